/** POST tasks/<id>/cancel: cooperative, the run stops at its next chunk. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { cancelTask, taskQueryKey, type Task } from "@/lib/tasks";

export { cancelTask };

export function useCancelTask() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => cancelTask(id),
    onSuccess: (task: Task) => {
      client.setQueryData(taskQueryKey(task.id), task);
      void client.invalidateQueries({ queryKey: ["tasks", "list"] });
    },
  });
}
