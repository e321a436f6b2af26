/** Result arrays to chart points: equity, drawdown, z-score and trade markers. */
import type { ChartMarker, LinePoint } from "@/components/charts";
import { toChartTime } from "@/components/charts";
import type { Trade } from "../api/backtests";

export function points(times: readonly number[], values: ReadonlyArray<number | null | undefined>): LinePoint[] {
  const out: LinePoint[] = [];
  for (let i = 0; i < times.length; i += 1) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) out.push({ time: times[i]!, value: v });
  }
  return out;
}

export const times = (ts: readonly string[]): number[] => ts.map((t) => toChartTime(t));

/** Drawdown from the running peak (<= 0), as a fraction; the peak starts at `capital`. */
export function drawdown(equity: ReadonlyArray<number | null>, capital?: number): Array<number | null> {
  let peak = capital ?? -Infinity;
  return equity.map((e) => {
    if (e === null || !Number.isFinite(e)) return null;
    peak = Math.max(peak, e);
    return peak > 0 ? e / peak - 1 : 0;
  });
}

/** Entry arrows (long up, short down) and exit circles / stop squares at the execution bars. */
export function tradeMarkers(trades: readonly Trade[], t: readonly number[]): ChartMarker[] {
  const out: ChartMarker[] = [];
  for (const tr of trades) {
    const entry = t[tr.entry_bar];
    if (entry !== undefined) out.push({ time: entry, kind: tr.side === "short" ? "short" : "long", text: tr.side === "short" ? "S" : "L" });
    const exit = tr.exit_bar === null ? undefined : t[tr.exit_bar];
    if (exit !== undefined) out.push({ time: exit, kind: tr.reason.includes("stop") ? "stop" : "exit", text: tr.reason.includes("stop") ? "stop" : "X" });
  }
  return out;
}

/** Equity rebased to 100 at its first value (to overlay runs with different capital). */
export function rebased(equity: ReadonlyArray<number | null>): Array<number | null> {
  const first = equity.find((e) => e !== null && Number.isFinite(e) && e !== 0);
  return first === undefined || first === null ? equity.map(() => null) : equity.map((e) => (e === null ? null : (100 * e) / first));
}
