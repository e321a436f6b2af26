/** /tasks: every run with its status, live progress, cancel, and the link to its result. */
import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router";
import { EmptyState } from "@/components/EmptyState";
import { SelectField } from "@/components/Field";
import { PageHeader, Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { Table, type Column } from "@/components/Table";
import { formatTime } from "@/lib/format";
import { useDisplayPrefs } from "@/lib/prefs";
import { useSession } from "@/lib/session";
import type { Task } from "@/lib/tasks";
import { useTasks } from "../api/get-tasks";
import { useStartSelftest } from "../api/start-selftest";
import { StatusBadge, TaskActionsCell, TaskProgressCell } from "../components/TaskCells";

const STATUS_FILTERS = [
  { value: "", label: "All" },
  { value: "active", label: "Pending or running" },
  { value: "succeeded", label: "Succeeded" },
  { value: "failed", label: "Failed" },
  { value: "cancelled", label: "Cancelled" },
  { value: "interrupted", label: "Interrupted" },
];

const KINDS = ["", "scan", "fetch", "ingest", "backtest", "walkforward", "lookahead", "optimize", "regimes", "replay", "selftest"];
const PAGE = 50;

function duration(task: Task): string {
  if (!task.started_at) return "—";
  const end = task.finished_at ? Date.parse(task.finished_at) : Date.now();
  const s = Math.max(0, (end - Date.parse(task.started_at)) / 1000);
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export default function TasksPage() {
  const [status, setStatus] = useState("");
  const [kind, setKind] = useState("");
  const [offset, setOffset] = useState(0);
  const { time } = useDisplayPrefs();
  const { user } = useSession();
  const params = useMemo(
    () => ({ status: status === "active" ? ["pending", "running"] : status ? [status] : undefined, kind: kind || undefined, limit: PAGE, offset }),
    [status, kind, offset],
  );
  const tasks = useTasks(params);
  const selftest = useStartSelftest();
  useEffect(() => {
    document.title = "Tasks · TITAN";
  }, []);

  const columns: Array<Column<Task>> = [
    { key: "kind", header: "Kind", render: (t) => <code>{t.kind}</code>, sortValue: (t) => t.kind },
    { key: "status", header: "Status", render: (t) => <StatusBadge status={t.status} />, sortValue: (t) => t.status },
    { key: "progress", header: "Progress", render: (t) => <TaskProgressCell task={t} /> },
    { key: "created_at", header: "Started", render: (t) => formatTime(t.created_at, time), sortValue: (t) => t.created_at },
    { key: "duration", header: "Duration", render: duration, align: "right" },
    { key: "actions", header: "Actions", render: (t) => <TaskActionsCell task={t} /> },
  ];

  const data = tasks.data;
  return (
    <>
      <PageHeader
        title="Tasks"
        subtitle="Every long run: scans, fetches, backtests, walk-forwards, optimisations and replays. Progress is live."
        actions={
          user?.is_staff ? (
            <button type="button" className="btn" disabled={selftest.isPending} onClick={() => selftest.mutate({ chunks: 60, sleep_ms: 500 })}>
              Start a self-test run
            </button>
          ) : undefined
        }
      />
      {selftest.isError && <Alert error={selftest.error} title="Could not start the self-test" />}
      <Panel>
        <div className="form-grid filters" role="search" aria-label="Filter tasks">
          <SelectField
            label="Status"
            name="status"
            value={status}
            options={STATUS_FILTERS}
            onChange={(e) => {
              setStatus(e.target.value);
              setOffset(0);
            }}
          />
          <SelectField
            label="Kind"
            name="kind"
            value={kind}
            options={KINDS.map((k) => ({ value: k, label: k || "All" }))}
            onChange={(e) => {
              setKind(e.target.value);
              setOffset(0);
            }}
          />
        </div>
        {tasks.isLoading && <Loading label="Loading tasks…" />}
        {tasks.isError && <Alert error={tasks.error} title="Could not load the tasks" onRetry={() => void tasks.refetch()} />}
        {data && (
          <>
            <Table
              caption={`${data.count} task${data.count === 1 ? "" : "s"}${status || kind ? " matching the filters" : ""}`}
              columns={columns}
              rows={data.results}
              rowKey={(t) => t.id}
              empty={
                <EmptyState title={status || kind ? "No task matches these filters" : "No tasks yet"}>
                  {status || kind ? (
                    "Clear the filters to see every run."
                  ) : (
                    <>
                      Long runs appear here with their live progress. Start one: a <Link to="/scanner">scan</Link>, a <Link to="/backtests">backtest</Link>, a{" "}
                      <Link to="/walkforward">walk-forward</Link> or a provider fetch on the <Link to="/data">data page</Link>.
                    </>
                  )}
                </EmptyState>
              }
            />
            {data.count > PAGE && (
              <div className="pager" role="navigation" aria-label="Pages of tasks">
                <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                  Newer
                </button>
                <span className="muted">
                  {offset + 1}–{Math.min(offset + PAGE, data.count)} of {data.count}
                </span>
                <button type="button" className="btn btn-small" disabled={offset + PAGE >= data.count} onClick={() => setOffset(offset + PAGE)}>
                  Older
                </button>
              </div>
            )}
          </>
        )}
      </Panel>
    </>
  );
}
