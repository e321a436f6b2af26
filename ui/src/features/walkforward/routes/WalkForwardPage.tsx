/** One walk-forward run (`/walkforward/:id`): folds (live while it runs), equity, overfitting. */
import "@/components/research/research.css";
import { useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useParams } from "react-router";
import { MetricCard, MetricGrid } from "@/components/MetricCard";
import { PageHeader, Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { TaskProgress } from "@/components/TaskProgress";
import { formatNumber, formatPercent } from "@/lib/format";
import { isTerminal, useTaskProgress } from "@/lib/tasks";
import { foldsOf, metricsOf, useWalkForward, type Stitched } from "../api/walkforward";
import { FoldTable } from "../components/FoldTable";
import { FoldTimeline } from "../components/FoldTimeline";
import { OverfittingPanel } from "../components/OverfittingPanel";
import { WalkForwardCharts } from "../components/WalkForwardCharts";

export default function WalkForwardPage() {
  const { id } = useParams();
  const runId = Number(id);
  const client = useQueryClient();
  const query = useWalkForward(runId);
  const run = query.data;
  const running = run !== undefined && !isTerminal(run.status);
  const progress = useTaskProgress(running ? run.task : null);
  // Each fold is stored as it finishes: refetch on every progress step.
  useEffect(() => {
    if (running) void client.invalidateQueries({ queryKey: ["walkforward", "detail", runId] });
  }, [running, progress.progress, progress.status, client, runId]);
  if (query.isLoading) return <Loading label="Loading the walk-forward…" />;
  if (query.error || !run) return <Alert error={query.error} title="Could not load the walk-forward" onRetry={() => void query.refetch()} />;
  const folds = foldsOf(run);
  const m = metricsOf(run);
  const oos = m.oos_metrics ?? {};
  const symbols = Array.isArray(run.symbols) ? (run.symbols as string[]).join(", ") : "";
  return (
    <>
      <PageHeader title={`Walk-forward ${run.id}`} subtitle={`${symbols} · ${run.timeframe} · ${folds.length} folds · status ${run.status}`} />
      {running && run.task && (
        <Panel title="Running">
          <TaskProgress taskId={run.task} label="Walk-forward" />
        </Panel>
      )}
      {run.status === "failed" && <Alert title="The walk-forward failed" error={run.error || "failed"} />}
      <Panel title="Fold timeline">{folds.length ? <FoldTimeline folds={folds} /> : <p className="muted">The folds appear here as they finish.</p>}</Panel>
      {run.status === "succeeded" && (
        <>
          <MetricGrid label="Out-of-sample results">
            <MetricCard label="OOS total return" value={formatPercent(oos.total_return ?? null)} tone={(oos.total_return ?? 0) > 0 ? "up" : (oos.total_return ?? 0) < 0 ? "down" : "neutral"} />
            <MetricCard label="OOS Sharpe" value={formatNumber(oos.sharpe ?? null, 2)} />
            <MetricCard label="Mean IS Sharpe" value={formatNumber(m.is_sharpe_mean ?? null, 2)} />
            <MetricCard label="OOS max drawdown" value={formatPercent(oos.max_drawdown ?? null)} />
          </MetricGrid>
          <OverfittingPanel metrics={m} />
          <Panel title="Out of sample against in sample">
            <WalkForwardCharts folds={folds} stitched={(run.stitched as Stitched | null) ?? null} />
          </Panel>
        </>
      )}
      <Panel title="Folds">
        <FoldTable folds={folds} />
      </Panel>
    </>
  );
}
