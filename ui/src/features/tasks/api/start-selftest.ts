/** POST tasks/selftest (staff): a chunked, cancellable run to check the task machinery. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { Task } from "@/lib/tasks";

export interface SelftestInput {
  chunks?: number;
  chunk_ms?: number;
  sleep_ms?: number;
}

export const startSelftest = (input: SelftestInput) => api.post<Task>("tasks/selftest", input);

export function useStartSelftest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: startSelftest,
    onSuccess: () => void client.invalidateQueries({ queryKey: ["tasks", "list"] }),
  });
}
