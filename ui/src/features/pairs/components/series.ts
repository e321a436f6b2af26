/** Pure transforms from the API's arrays to chart points (tested in series.test.ts). */
import type { LinePoint, ShadedRange } from "@/components/charts";
import { toChartTime } from "@/components/charts";

export type Normalisation = "rebased" | "log";

/** Chart seconds of each ISO timestamp. */
export function chartTimes(ts: readonly string[]): number[] {
  return ts.map((t) => toChartTime(t));
}

/** `values` as line points, skipping nulls/NaN (a gap in the line). */
export function linePoints(times: readonly number[], values: ReadonlyArray<number | null | undefined>): LinePoint[] {
  const out: LinePoint[] = [];
  for (let i = 0; i < times.length; i += 1) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) out.push({ time: times[i]!, value: v });
  }
  return out;
}

/** A leg normalised: rebased so its first valid close is 100, or its natural log. */
export function normalise(values: ReadonlyArray<number | null>, mode: Normalisation): Array<number | null> {
  if (mode === "log") return values.map((v) => (v !== null && v > 0 ? Math.log(v) : null));
  const first = values.find((v) => v !== null && Number.isFinite(v) && v !== 0);
  if (first === undefined || first === null) return values.map(() => null);
  return values.map((v) => (v === null ? null : (100 * v) / first));
}

/**
 * Rolling Engle-Granger p-values as points at each window's last bar (`end` is exclusive,
 * as the engine returns it; indices refer to the analysed sample).
 */
export function rollingPValuePoints(times: readonly number[], ends: readonly number[], pvalues: ReadonlyArray<number | null>): LinePoint[] {
  const out: LinePoint[] = [];
  ends.forEach((end, k) => {
    const p = pvalues[k];
    const t = times[Math.min(times.length - 1, end - 1)];
    if (t !== undefined && p !== null && p !== undefined && Number.isFinite(p)) out.push({ time: t, value: p });
  });
  return out.sort((a, b) => a.time - b.time).filter((p, i, arr) => i === 0 || p.time > arr[i - 1]!.time);
}

/** Okabe-Ito (colour-blind safe) shades for regime labels; -1 (unknown) is grey. */
const REGIME_COLOURS = ["#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#D55E00", "#0072B2", "#F0E442"];

export function regimeColour(label: number, alpha = 0.16): string {
  const hex = label < 0 ? "#999999" : REGIME_COLOURS[label % REGIME_COLOURS.length]!;
  const a = Math.round(alpha * 255)
    .toString(16)
    .padStart(2, "0");
  return `${hex}${a}`;
}

export interface RegimeSpan {
  label: number;
  name: string;
  start: string;
  end: string | null;
}

/** Regime spans as shaded ranges (an open end runs to the last bar). */
export function regimeRanges(spans: readonly RegimeSpan[], lastTime: number | undefined): ShadedRange[] {
  return spans.map((s) => ({
    from: toChartTime(s.start),
    to: s.end ? toChartTime(s.end) : (lastTime ?? toChartTime(s.start)),
    color: regimeColour(s.label),
    label: s.name || `regime ${s.label}`,
  }));
}
