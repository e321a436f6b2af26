/** Live cells of one task row: status + progress, and the actions (cancel, open result). */
import { Link } from "react-router";
import { ProgressBar } from "@/components/ProgressBar";
import { isTerminal, resultRoute, useTaskProgress, type Task } from "@/lib/tasks";
import { useCancelTask } from "../api/cancel-task";

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

export function TaskProgressCell({ task: row }: { task: Task }) {
  const { task = row } = useTaskProgress(row.id, row);
  return (
    <div className="task-cell">
      <ProgressBar value={task.status === "succeeded" ? 1 : task.progress} label={`${task.kind} ${task.id.slice(0, 8)}`} status={task.status} />
      {task.message && <div className="task-message">{task.message}</div>}
      {task.error && <div className="task-message task-error">{task.error}</div>}
    </div>
  );
}

export function TaskActionsCell({ task: row }: { task: Task }) {
  const { task = row } = useTaskProgress(row.id, row);
  const cancel = useCancelTask();
  const route = task.status === "succeeded" ? resultRoute(task.result_url) : null;
  return (
    <div className="task-actions">
      {!isTerminal(task.status) && (
        <button
          type="button"
          className="btn btn-danger btn-small"
          disabled={cancel.isPending || task.cancel_requested}
          onClick={() => cancel.mutate(task.id)}
          aria-label={`Cancel ${task.kind} task ${task.id.slice(0, 8)}`}
        >
          {task.cancel_requested ? "Cancelling…" : "Cancel"}
        </button>
      )}
      {route && (
        <Link className="btn btn-small" to={route}>
          Open result
        </Link>
      )}
      {task.status === "succeeded" && !route && task.result_url && (
        <a className="btn btn-small" href={task.result_url}>
          Result (JSON)
        </a>
      )}
      {cancel.isError && (
        <span role="alert" className="field-error">
          {cancel.error.message}
        </span>
      )}
    </div>
  );
}
