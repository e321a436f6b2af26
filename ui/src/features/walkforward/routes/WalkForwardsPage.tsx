/** Walk-forward (`/walkforward`): the form (universe from `?pair=`), live progress, your runs. */
import "@/components/research/research.css";
import { useEffect } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { EmptyState } from "@/components/EmptyState";
import { PageHeader, Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { Table, type Column } from "@/components/Table";
import { TaskProgress } from "@/components/TaskProgress";
import { formatNumber, formatTime } from "@/lib/format";
import { useDisplayPrefs } from "@/lib/prefs";
import { useTaskProgress } from "@/lib/tasks";
import { usePair } from "../api/pairs";
import { metricsOf, runIdOf, useCreateWalkForward, useWalkForwards, type WalkForward } from "../api/walkforward";
import { WalkForwardForm } from "../components/WalkForwardForm";

export default function WalkForwardsPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const prefs = useDisplayPrefs();
  const pairParam = params.get("pair");
  const pair = usePair(pairParam ? Number(pairParam) : null);
  const symbols = pair.data ? `${pair.data.symbol_1}, ${pair.data.symbol_2}` : "";
  const list = useWalkForwards();
  const create = useCreateWalkForward();
  const taskId = create.data?.id ?? null;
  const progress = useTaskProgress(taskId);
  useEffect(() => {
    if (progress.status !== "succeeded") return;
    const id = runIdOf(progress.task);
    if (id !== null) navigate(`/walkforward/${id}`);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [progress.status]);
  const columns: Array<Column<WalkForward>> = [
    { key: "id", header: "Run", render: (r) => <Link to={`/walkforward/${r.id}`}>#{r.id}</Link>, sortValue: (r) => r.id },
    { key: "symbols", header: "Universe", render: (r) => (Array.isArray(r.symbols) ? (r.symbols as string[]).join(", ") : "—") },
    { key: "status", header: "Status", render: (r) => <span className={`badge badge-${r.status}`}>{r.status}</span>, sortValue: (r) => r.status },
    { key: "wfe", header: "WFE", render: (r) => formatNumber(metricsOf(r).wfe ?? null, 2), sortValue: (r) => metricsOf(r).wfe ?? null, align: "right" },
    { key: "pbo", header: "PBO", render: (r) => formatNumber(metricsOf(r).pbo ?? null, 2), sortValue: (r) => metricsOf(r).pbo ?? null, align: "right" },
    { key: "created", header: "Created", render: (r) => formatTime(r.created_at, prefs.time), sortValue: (r) => r.created_at },
  ];
  return (
    <>
      <PageHeader title="Walk-forward" subtitle="Select pairs and parameters on each train window, trade the next test window, stitch the out-of-sample results." />
      <Panel title="New walk-forward">
        {pair.isLoading ? <Loading label="Loading the pair…" /> : <WalkForwardForm symbols={symbols} submitting={create.isPending} error={create.error} onSubmit={(b) => create.mutate(b)} />}
        {taskId && <TaskProgress taskId={taskId} label="Walk-forward" resultLink={(t) => (runIdOf(t) !== null ? `/walkforward/${runIdOf(t)}` : null)} />}
      </Panel>
      <Panel title="Your walk-forward runs">
        {list.isLoading && <Loading label="Loading your runs…" />}
        {list.error && <Alert error={list.error} title="Could not load your runs" onRetry={() => void list.refetch()} />}
        {list.data && (
          <Table caption="Your walk-forward runs" hideCaption columns={columns} rows={list.data.results} rowKey={(r) => r.id} empty={<EmptyState title="No walk-forward yet">Fill in the form above: two symbols, a few folds, a small grid.</EmptyState>} />
        )}
      </Panel>
    </>
  );
}
