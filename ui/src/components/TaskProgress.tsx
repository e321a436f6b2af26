/** A task's live progress with its cancel button and, when done, the link to its result. */
import { useState, type ReactNode } from "react";
import { Link } from "react-router";
import { cancelTask, isTerminal, resultRoute, useTaskProgress, type Task } from "@/lib/tasks";
import { ProgressBar } from "./ProgressBar";
import { Alert } from "./Status";

/**
 * `doneMessage`: what to say once the task has succeeded, in place of its last progress
 * message (which describes a step, "storing 10 pairs", not the outcome).
 */
export function TaskProgress({ taskId, label, resultLink, doneMessage }: { taskId: string; label?: string; resultLink?: (task: Task) => string | null; doneMessage?: ReactNode }) {
  const { task, error, isLoading } = useTaskProgress(taskId);
  const [cancelError, setCancelError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  if (isLoading) return <ProgressBar value={null} label={label ?? "Task"} status="loading" />;
  if (error) return <Alert error={error} title="Could not load the task" />;
  if (!task) return null;
  const done = isTerminal(task.status);
  const link = done && task.status === "succeeded" ? (resultLink ? resultLink(task) : resultRoute(task.result_url)) : null;
  return (
    <div className="task-progress">
      <ProgressBar value={task.status === "succeeded" ? 1 : task.progress} label={label ?? task.kind} status={task.status} />
      {task.status === "succeeded" && doneMessage !== undefined ? (
        <div className="task-message" role="status">
          {doneMessage}
        </div>
      ) : (
        task.message && <div className="task-message">{task.message}</div>
      )}
      {task.error && <Alert title={`Task ${task.status}`} error={task.error} />}
      <div className="task-actions">
        {!done && (
          <button
            type="button"
            className="btn btn-danger btn-small"
            disabled={cancelling || task.cancel_requested}
            onClick={async () => {
              setCancelling(true);
              setCancelError(null);
              try {
                await cancelTask(task.id);
              } catch (e) {
                setCancelError(e);
              } finally {
                setCancelling(false);
              }
            }}
          >
            {task.cancel_requested ? "Cancelling…" : "Cancel"}
          </button>
        )}
        {link && (
          <Link className="btn btn-small" to={link}>
            Open the result
          </Link>
        )}
      </div>
      {cancelError !== null && <Alert error={cancelError} title="Cancel failed" />}
    </div>
  );
}
