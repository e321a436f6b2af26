/**
 * Backtests (`/backtests`): the form (pre-filled from `?pair=` and your preferences), the
 * run's live progress, the list of your runs, and the comparison of selected runs
 * (`?compare=1,2`).
 */
import "@/components/research/research.css";
import { useEffect, useMemo, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { EmptyState } from "@/components/EmptyState";
import { PageHeader, Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { Table, type Column } from "@/components/Table";
import { TaskProgress } from "@/components/TaskProgress";
import { formatNumber, formatPercent, formatTime } from "@/lib/format";
import { useDisplayPrefs } from "@/lib/prefs";
import { useTaskProgress } from "@/lib/tasks";
import { metricsOf, runIdOf, useBacktests, useCreateBacktest, type Backtest } from "../api/backtests";
import { useMe } from "../api/me";
import { usePairs } from "../api/pairs";
import { BacktestForm } from "../components/BacktestForm";
import { CompareView } from "../components/CompareView";

export default function BacktestsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const prefs = useDisplayPrefs();
  const pairParam = params.get("pair");
  const pair = pairParam && Number.isFinite(Number(pairParam)) ? Number(pairParam) : null;
  const compare = useMemo(() => (params.get("compare") ?? "").split(",").map(Number).filter((n) => Number.isFinite(n) && n > 0), [params]);
  const me = useMe();
  const pairs = usePairs();
  const list = useBacktests();
  const create = useCreateBacktest();
  const taskId = create.data?.id ?? null;
  const progress = useTaskProgress(taskId);
  const [selected, setSelected] = useState<number[]>(compare);

  useEffect(() => {
    if (progress.status !== "succeeded") return;
    void list.refetch();
    const id = runIdOf(progress.task);
    if (id !== null) navigate(`/backtests/${id}`);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [progress.status]);

  const toggle = (id: number) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const columns: Array<Column<Backtest>> = [
    {
      key: "select",
      header: "Compare",
      render: (r) => (
        <input type="checkbox" aria-label={`Select backtest ${r.id} to compare`} checked={selected.includes(r.id)} onChange={() => toggle(r.id)} disabled={r.status !== "succeeded"} />
      ),
    },
    { key: "id", header: "Run", render: (r) => <Link to={`/backtests/${r.id}`}>#{r.id}</Link>, sortValue: (r) => r.id },
    { key: "pair", header: "Pair", render: (r) => `${r.symbol_1} / ${r.symbol_2}`, sortValue: (r) => `${r.symbol_1}/${r.symbol_2}` },
    { key: "status", header: "Status", render: (r) => <span className={`badge badge-${r.status}`}>{r.status}</span>, sortValue: (r) => r.status },
    { key: "ret", header: "Total return", render: (r) => formatPercent(metricsOf(r).total_return ?? null), sortValue: (r) => metricsOf(r).total_return ?? null, align: "right" },
    { key: "sharpe", header: "Sharpe", render: (r) => formatNumber(metricsOf(r).sharpe ?? null, 2), sortValue: (r) => metricsOf(r).sharpe ?? null, align: "right" },
    { key: "dd", header: "Max DD", render: (r) => formatPercent(metricsOf(r).max_drawdown ?? null), sortValue: (r) => metricsOf(r).max_drawdown ?? null, align: "right" },
    { key: "look", header: "Lookahead", render: (r) => (r.lookahead_ok === null ? "not checked" : r.lookahead_ok ? "✓ clean" : "✗ found"), sortValue: (r) => String(r.lookahead_ok) },
    { key: "created", header: "Created", render: (r) => formatTime(r.created_at, prefs.time), sortValue: (r) => r.created_at },
  ];
  const runs = list.data?.results ?? [];
  return (
    <>
      <PageHeader title="Backtests" subtitle="Run a pair through the strategy with costs, check it for lookahead, compare runs." />
      {compare.length > 0 && <CompareView ids={compare} />}
      <Panel title="New backtest">
        {me.isLoading || pairs.isLoading ? (
          <Loading label="Loading your preferences…" />
        ) : (
          <BacktestForm pairs={pairs.data?.results ?? []} pair={pair} me={me.data} submitting={create.isPending} error={create.error} onSubmit={(body) => create.mutate(body)} />
        )}
        {taskId && <TaskProgress taskId={taskId} label="Backtest" resultLink={(t) => (runIdOf(t) !== null ? `/backtests/${runIdOf(t)}` : null)} />}
      </Panel>
      <Panel
        title="Your backtests"
        actions={
          <button type="button" className="btn" disabled={selected.length < 2} onClick={() => setParams((p) => (p.set("compare", selected.join(",")), p))}>
            Compare selected ({selected.length})
          </button>
        }
      >
        {list.isLoading && <Loading label="Loading your backtests…" />}
        {list.error && <Alert error={list.error} title="Could not load your backtests" onRetry={() => void list.refetch()} />}
        {list.data && (
          <Table
            caption="Your backtests"
            hideCaption
            columns={columns}
            rows={runs}
            rowKey={(r) => r.id}
            empty={<EmptyState title="No backtest yet">Fill in the form above, or open a pair and press “Backtest this pair”.</EmptyState>}
          />
        )}
      </Panel>
    </>
  );
}
