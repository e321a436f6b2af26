/** One backtest (`/backtests/:id`): progress while it runs, then equity, drawdown, trades, metrics, lookahead. */
import "@/components/research/research.css";
import { useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { PageHeader, Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { TaskProgress } from "@/components/TaskProgress";
import { formatTime } from "@/lib/format";
import { useDisplayPrefs } from "@/lib/prefs";
import { isTerminal, useTaskProgress } from "@/lib/tasks";
import { metricsOf, useBacktest, type LookaheadReport, type Trade } from "../api/backtests";
import { BacktestCharts } from "../components/BacktestCharts";
import { LookaheadPanel } from "../components/LookaheadPanel";
import { MetricsCards } from "../components/MetricsCards";
import { TradesTable } from "../components/TradesTable";

export default function BacktestPage() {
  const { id } = useParams();
  const runId = Number(id);
  const prefs = useDisplayPrefs();
  const client = useQueryClient();
  const query = useBacktest(runId);
  const run = query.data;
  const running = run !== undefined && !isTerminal(run.status);
  const progress = useTaskProgress(running ? run.task : null);
  useEffect(() => {
    if (running && isTerminal(progress.status)) void client.invalidateQueries({ queryKey: ["backtests", "detail", runId] });
  }, [running, progress.status, client, runId]);

  if (query.isLoading) return <Loading label="Loading the backtest…" />;
  if (query.error || !run) return <Alert error={query.error} title="Could not load the backtest" onRetry={() => void query.refetch()} />;
  const metrics = metricsOf(run);
  const warnings = (run as { warnings?: unknown }).warnings;
  // Each warning is `{code, message}` (OpenAPI `Warning`); older results carried strings.
  const warningList = Array.isArray(warnings) ? warnings.map(warningText) : [];
  return (
    <>
      <PageHeader
        title={`Backtest ${run.id}: ${run.symbol_1} / ${run.symbol_2}`}
        subtitle={
          <>
            {run.timeframe} · {formatTime(run.start, prefs.time, false)} to {formatTime(run.end, prefs.time, false)} · {run.adaptive ? "regime-adaptive" : "static parameters"} · status {run.status}
          </>
        }
        actions={
          <>
            {run.pair !== null && (
              <Link className="btn" to={`/pairs/${run.pair}`}>
                Open the pair
              </Link>
            )}
            <Link className="btn" to={`/backtests?pair=${run.pair ?? ""}&compare=${run.id}`}>
              Compare…
            </Link>
            {run.pair !== null && (
              <Link className="btn btn-ghost" to={`/live?pair=${run.pair}`}>
                Monitor live
              </Link>
            )}
          </>
        }
      />
      {running && run.task && (
        <Panel title="Running">
          <TaskProgress taskId={run.task} label="Backtest" />
        </Panel>
      )}
      {run.status === "failed" && <Alert title="The backtest failed" error={run.error || "failed"} />}
      {run.status === "succeeded" && (
        <>
          {warningList.length > 0 && (
            <div className="alert alert-warning" role="status" aria-label="Warnings">
              <strong>Warnings</strong>
              <ul>
                {warningList.map((w) => (
                  <li key={w}>⚠ {w}</li>
                ))}
              </ul>
            </div>
          )}
          <MetricsCards metrics={metrics} />
          <Panel title="Equity, drawdown and trades">
            <BacktestCharts run={run} metrics={metrics} />
          </Panel>
          <LookaheadPanel runId={run.id} report={(run.lookahead as LookaheadReport | null) ?? null} finished />
          <Panel title="Trades">
            <TradesTable trades={(run.trades ?? []) as unknown as Trade[]} ts={run.ts ?? []} />
          </Panel>
          <Panel title="Parameters">
            <pre className="pre-small" aria-label="Parameters used" tabIndex={0}>
              {JSON.stringify(run.params, null, 2)}
            </pre>
          </Panel>
        </>
      )}
    </>
  );
}

function warningText(w: unknown): string {
  if (typeof w === "string") return w;
  if (w && typeof w === "object" && typeof (w as { message?: unknown }).message === "string") return (w as { message: string }).message;
  return JSON.stringify(w);
}
