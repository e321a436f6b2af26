/** Grid optimisation of a pair with live progress, then the parameter-stability heatmap. */
import { useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { CheckboxField, NumberField, SelectField, TextField } from "@/components/Field";
import { MetricCard, MetricGrid } from "@/components/MetricCard";
import { Alert } from "@/components/Status";
import { TaskProgress } from "@/components/TaskProgress";
import { ApiError } from "@/lib/api";
import { formatNumber, formatPercent } from "@/lib/format";
import { isTerminal, useTaskProgress } from "@/lib/tasks";
import { useOptimize, type OptimizeBody, type OptimizeResult } from "../api/optimize";
import { Heatmap } from "./Heatmap";

const list = (v: string) =>
  v
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number);
const iso = (d: string) => (d ? new Date(`${d}T00:00:00Z`).toISOString() : undefined);

export function buildOptimizeBody(pair: number, v: { lookback: string; entry_z: string; exit_z: string; stop_z: string; objective: string; min_trades: string; start: string; end: string; per_regime: boolean }): OptimizeBody {
  const body: OptimizeBody = {
    pair,
    grid: { lookback: list(v.lookback), entry_z: list(v.entry_z), exit_z: list(v.exit_z), stop_z: v.stop_z.trim() === "" ? [null] : list(v.stop_z) },
    objective: v.objective as OptimizeBody["objective"],
    min_trades: Number(v.min_trades) || 0,
    per_regime: v.per_regime,
    regime_method: "volatility",
    min_regime_bars: 120,
    execution_lag: 1,
    name: "",
  };
  const s = iso(v.start);
  const e = iso(v.end);
  if (s) body.start = s;
  if (e) body.end = e;
  return body;
}

export function OptimizePanel({ pair }: { pair: number }) {
  const client = useQueryClient();
  const opt = useOptimize();
  const [v, setV] = useState({ lookback: "40, 60, 90", entry_z: "1.5, 2, 2.5", exit_z: "0.5", stop_z: "4", objective: "sharpe", min_trades: "5", start: "", end: "", per_regime: false });
  const [clientError, setClientError] = useState<ApiError | null>(null);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));
  const taskId = opt.data?.id ?? null;
  const progress = useTaskProgress(taskId);
  useEffect(() => {
    if (taskId && isTerminal(progress.status)) void client.invalidateQueries({ queryKey: ["parameters", "list"] });
  }, [taskId, progress.status, client]);
  const result = progress.status === "succeeded" ? (((progress.task as { result?: unknown } | undefined)?.result ?? null) as OptimizeResult | null) : null;
  const shown = clientError ?? opt.error;
  return (
    <>
      <form
        className="form"
        aria-label="Grid optimisation"
        onSubmit={(e) => {
          e.preventDefault();
          const errors: Record<string, string> = {};
          for (const k of ["lookback", "entry_z", "exit_z"] as const) if (!list(v[k]).length || list(v[k]).some((x) => !Number.isFinite(x))) errors[`grid.${k}`] = "Numbers separated by commas.";
          if (Object.keys(errors).length) return setClientError(new ApiError({ status: 400, title: "Check the grid", errors }));
          setClientError(null);
          opt.mutate(buildOptimizeBody(pair, v));
        }}
      >
        <div className="form-grid">
          <TextField label="Lookback grid" name="grid.lookback" error={shown} value={v.lookback} onChange={set("lookback")} hint="heatmap columns" />
          <TextField label="Entry |z| grid" name="grid.entry_z" error={shown} value={v.entry_z} onChange={set("entry_z")} hint="heatmap rows" />
          <TextField label="Exit |z| grid" name="grid.exit_z" error={shown} value={v.exit_z} onChange={set("exit_z")} />
          <TextField label="Stop |z| grid" name="grid.stop_z" error={shown} value={v.stop_z} onChange={set("stop_z")} hint="blank: no stop" />
          <SelectField label="Objective" name="objective" error={shown} value={v.objective} onChange={set("objective")} options={["sharpe", "sortino", "calmar"].map((o) => ({ value: o, label: o }))} />
          <NumberField label="Min trades" name="min_trades" min={0} step={1} error={shown} value={v.min_trades} onChange={set("min_trades")} />
          <TextField label="From (UTC date)" name="start" type="date" error={shown} value={v.start} onChange={set("start")} />
          <TextField label="To (UTC date)" name="end" type="date" error={shown} value={v.end} onChange={set("end")} />
          <CheckboxField label="Also fit one set per volatility regime" name="per_regime" error={shown} checked={v.per_regime} onChange={(e) => setV((x) => ({ ...x, per_regime: e.target.checked }))} />
        </div>
        {shown !== null && shown !== undefined && <Alert error={shown} title="The optimisation was not started" hideFields={["grid.lookback", "grid.entry_z", "grid.exit_z", "grid.stop_z", "objective", "min_trades", "start", "end", "per_regime"]} />}
        <button type="submit" className="btn btn-primary" disabled={opt.isPending || progress.isRunning}>
          {opt.isPending ? "Starting…" : "Optimise"}
        </button>
      </form>
      {taskId && <TaskProgress taskId={taskId} label="Grid optimisation" doneMessage={result ? `done: ${formatNumber(result.n_trials ?? null, 0)} parameter sets tried` : undefined} />}
      {result && (
        <>
          <MetricGrid label="Optimisation result">
            <MetricCard label="Best set" value={result.best ? `${String(result.best.lookback)} / ${String(result.best.entry_z)} / ${String(result.best.exit_z)}` : "—"} hint="lookback (bars) / entry |z| / exit |z|" />
            <MetricCard label="Trials" value={formatNumber(result.n_trials ?? null, 0)} />
            <MetricCard label="Deflated Sharpe" value={formatPercent(result.deflated_sharpe ?? null, 0)} hint="probability the best Sharpe is real after this many trials" />
            <MetricCard label="PBO" value={formatPercent(result.pbo ?? null, 0)} hint="chance the in-sample best is below median out of sample" />
          </MetricGrid>
          <h3>Parameter stability: {result.objective ?? v.objective} by entry_z × lookback</h3>
          <Heatmap rows={result.table ?? []} objective={result.objective ?? v.objective} />
        </>
      )}
    </>
  );
}
