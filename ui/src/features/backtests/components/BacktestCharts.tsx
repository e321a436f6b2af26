/** Equity, drawdown and the z-score with the trades as markers, on one time axis. */
import { useMemo } from "react";
import { TimeChart, type ChartPaneSpec } from "@/components/charts";
import { formatPercent } from "@/lib/format";
import type { BacktestDetail, Metrics, Trade } from "../api/backtests";
import { drawdown, points, times, tradeMarkers } from "./series";

/** `params` as the run stores it: the resolved `strategy` and `capital`. */
interface Params {
  strategy?: { entry_z?: number; exit_z?: number; stop_z?: number | null };
  capital?: number;
}

export function BacktestCharts({ run, metrics }: { run: BacktestDetail; metrics: Metrics }) {
  const panes = useMemo<ChartPaneSpec[]>(() => {
    const t = times(run.ts ?? []);
    const stored = (run.params ?? {}) as Params;
    const params = { ...(stored.strategy ?? {}), capital: stored.capital };
    const trades = (run.trades ?? []) as unknown as Trade[];
    const equity = run.equity ?? [];
    const dd = drawdown(equity, params.capital).map((v) => (v === null ? null : v * 100));
    const bands = [];
    if (params.entry_z !== undefined) bands.push({ price: params.entry_z, title: `entry +${params.entry_z}` }, { price: -params.entry_z, title: `entry −${params.entry_z}` });
    if (params.exit_z !== undefined) bands.push({ price: params.exit_z, title: `exit +${params.exit_z}`, color: "#26a69a" }, { price: -params.exit_z, title: `exit −${params.exit_z}`, color: "#26a69a" });
    if (params.stop_z !== undefined && params.stop_z !== null) bands.push({ price: params.stop_z, title: `stop +${params.stop_z}`, color: "#f23645" }, { price: -params.stop_z, title: `stop −${params.stop_z}`, color: "#f23645" });
    return [
      { id: "equity", title: "Equity", height: 2, series: [{ id: "equity", title: "equity", kind: "area", data: points(t, equity), precision: 0 }] },
      { id: "dd", title: "Drawdown (%)", height: 1, series: [{ id: "dd", title: "drawdown %", kind: "area", data: points(t, dd), precision: 1, color: "#f23645" }] },
      { id: "z", title: "Z-score and trades (▲ long, ▼ short, ● exit, ■ stop)", height: 1.6, series: [{ id: "z", title: "z", data: points(t, run.zscore ?? []), markers: tradeMarkers(trades, t), priceLines: bands, color: "#ab47bc" }] },
    ];
  }, [run]);
  return (
    <TimeChart
      label={`Backtest ${run.id} of ${run.symbol_1}/${run.symbol_2}: equity, drawdown and z-score with trades`}
      summary={`Total return ${formatPercent(metrics.total_return ?? null)}, maximum drawdown ${formatPercent(metrics.max_drawdown ?? null)}, ${(run.trades ?? []).length} trades.`}
      panes={panes}
      height={620}
    />
  );
}
