/** Pure transforms from the API's arrays to chart points (tested in series.test.ts). */
import type { LinePoint, ShadedRange } from "@/components/charts";
import { toChartTime } from "@/components/charts";

export type Normalisation = "rebased" | "log";

/** Chart seconds of each ISO timestamp. */
export function chartTimes(ts: readonly string[]): number[] {
  return ts.map((t) => toChartTime(t));
}

/** The API's columns the pair chart draws (a subset of the spread endpoint's answer). */
export interface SpreadColumns {
  ts: readonly string[];
  price_1: ReadonlyArray<number | null>;
  price_2: ReadonlyArray<number | null>;
  spread: ReadonlyArray<number | null>;
  zscore: ReadonlyArray<number | null>;
  dynamic_beta: ReadonlyArray<number | null>;
}

/** Every line of the pair chart, built in one pass over the bars. */
export interface PairLines {
  /** Chart seconds of every bar. */
  times: number[];
  leg1: LinePoint[];
  leg2: LinePoint[];
  spread: LinePoint[];
  z: LinePoint[];
  beta: LinePoint[];
}

function firstValid(values: ReadonlyArray<number | null>): number | null {
  for (const v of values) if (v !== null && Number.isFinite(v) && v !== 0) return v;
  return null;
}

const valid = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/**
 * All the chart's points in one loop: each timestamp is parsed once and each point object is
 * made once (8,000+ bars x 5 lines; the separate `chartTimes` + `normalise` + `linePoints`
 * passes parsed, allocated and walked every column again). Nulls and NaN are skipped (a
 * gap in the line); legs are normalised as `normalise` does.
 */
export function pairLines(s: SpreadColumns, mode: Normalisation): PairLines {
  const n = s.ts.length;
  const times = new Array<number>(n);
  const out: PairLines = { times, leg1: [], leg2: [], spread: [], z: [], beta: [] };
  const base1 = mode === "rebased" ? firstValid(s.price_1) : null;
  const base2 = mode === "rebased" ? firstValid(s.price_2) : null;
  const leg = (v: number | null | undefined, base: number | null): number | null => {
    if (!valid(v)) return null;
    if (mode === "log") return v > 0 ? Math.log(v) : null;
    return base === null ? null : (100 * v) / base;
  };
  for (let i = 0; i < n; i += 1) {
    const time = toChartTime(s.ts[i]!);
    times[i] = time;
    const l1 = leg(s.price_1[i], base1);
    if (l1 !== null) out.leg1.push({ time, value: l1 });
    const l2 = leg(s.price_2[i], base2);
    if (l2 !== null) out.leg2.push({ time, value: l2 });
    const sp = s.spread[i];
    if (valid(sp)) out.spread.push({ time, value: sp });
    const z = s.zscore[i];
    if (valid(z)) out.z.push({ time, value: z });
    const b = s.dynamic_beta[i];
    if (valid(b)) out.beta.push({ time, value: b });
  }
  return out;
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
 * Rolling Engle-Granger p-values as a step line: from each window's last bar (`end` is
 * exclusive, as the engine returns it; indices refer to the analysed sample) every bar carries
 * the p-value of the latest window that ends at or before it. One point per bar, not one per
 * window: on a time scale of 8,000+ bars the chart conflates its data, and ten sparse points
 * (a 504-bar window every 126 bars) were conflated down to the last one, so the pane showed
 * its value and no line.
 */
export function rollingPValuePoints(times: readonly number[], ends: readonly number[], pvalues: ReadonlyArray<number | null>): LinePoint[] {
  const windows: Array<{ at: number; p: number }> = [];
  ends.forEach((end, k) => {
    const p = pvalues[k];
    const at = Math.min(times.length - 1, end - 1);
    if (at >= 0 && times[at] !== undefined && p !== null && p !== undefined && Number.isFinite(p)) windows.push({ at, p });
  });
  windows.sort((a, b) => a.at - b.at);
  const out: LinePoint[] = [];
  windows.forEach((w, k) => {
    const next = k + 1 < windows.length ? windows[k + 1]!.at : times.length;
    for (let i = w.at; i < next; i += 1) out.push({ time: times[i]!, value: w.p });
  });
  return out;
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
