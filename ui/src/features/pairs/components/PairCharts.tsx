/**
 * The pair's charts on one synchronised time axis: both legs (normalised), the spread, the
 * z-score with its entry/exit/stop bands, the rolling Engle-Granger p-value and the Kalman
 * hedge drift. Regime spans are shaded in every pane; the structural break is marked.
 */
import { useCallback, useMemo } from "react";
import { TimeChart, toChartTime, type ChartMarker, type ChartPaneSpec, type PriceLineSpec } from "@/components/charts";
import { formatNumber } from "@/lib/format";
import type { PairSpread } from "../api/getPairSpread";
import type { Breaks } from "./StatsPanel";
import { pairLines, regimeRanges, rollingPValuePoints, type Normalisation, type RegimeSpan } from "./series";

export interface Bands {
  entry: number;
  exit: number;
  stop: number | null;
}

/** Wide enough for the legs' and the spread's labels ("4000.0", "−0.5000"): the axis does not
 * widen when the bars arrive, so the panes' canvases are not resized in that frame. */
const PRICE_SCALE_WIDTH = 84;

/** 1 px lines: a canvas strokes a 1 px anti-aliased line as a hairline, several times faster
 * than a 2 px one over thousands of segments (the draw's largest cost in a profile), and
 * thousands of daily bars read better thin. */
const LINE = 1;

export const PAIR_DRAWN_MARK = "titan:pair-drawn";
export const PAIR_DRAW_MEASURE = "titan:pair-draw";

export interface PairChartsProps {
  symbol1: string;
  symbol2: string;
  /** `null` while the spread loads: the chart is built already (its panes follow from the
   * pair), so the data's arrival costs only `setData` and one paint. */
  spread: PairSpread | null;
  bands: Bands;
  normalisation: Normalisation;
  regimes: readonly RegimeSpan[];
  breaks?: Breaks;
  /** First bar of the analysed sample (the breaks' bar indices count from it). */
  analysisStart?: string | null;
  significance?: number;
  onDrawn?: (ms: number) => void;
}

export function zBands({ entry, exit, stop }: Bands): PriceLineSpec[] {
  const lines: PriceLineSpec[] = [
    { price: entry, title: `entry +${entry}` },
    { price: -entry, title: `entry −${entry}` },
    { price: exit, title: `exit +${exit}`, color: "#26a69a" },
    { price: -exit, title: `exit −${exit}`, color: "#26a69a" },
  ];
  if (stop !== null) lines.push({ price: stop, title: `stop +${stop}`, color: "#f23645" }, { price: -stop, title: `stop −${stop}`, color: "#f23645" });
  return lines;
}

const NO_SPREAD: PairSpread = {
  pair_id: 0,
  lookback: 0,
  hedge_ratio: null,
  intercept: null,
  ts: [],
  price_1: [],
  price_2: [],
  spread: [],
  zscore: [],
  dynamic_beta: [],
  dynamic_alpha: [],
  dynamic_spread: [],
};

export function PairCharts({ symbol1, symbol2, spread: given, bands, normalisation, regimes, breaks, analysisStart, significance = 0.05, onDrawn }: PairChartsProps) {
  const spread = given ?? NO_SPREAD;
  const loading = given === null;
  // Three memos so that each input change redoes only its own part: the points (the costly
  // part, once per data arrival or normalisation), the marks on them, and the bands (a new
  // band is a new price line; the series keep their data, TimeChart skips their setData).
  const lines = useMemo(() => pairLines(spread, normalisation), [spread, normalisation]);
  const marks = useMemo(() => {
    const times = lines.times;
    const markers: ChartMarker[] = [];
    const start = analysisStart ? toChartTime(analysisStart) : null;
    const offset = start !== null ? Math.max(0, times.findIndex((t) => t >= start)) : 0;
    const sample = offset ? times.slice(offset) : times;
    const za = breaks?.za_break_index;
    if (za !== undefined && za !== null && za >= 0 && sample[za] !== undefined) markers.push({ time: sample[za]!, kind: "signal", text: "break (Zivot-Andrews)" });
    const rolling = breaks?.rolling;
    const hasPValues = Boolean(rolling?.end?.length && rolling.pvalue?.length);
    const pvals = hasPValues ? rollingPValuePoints(sample, rolling!.end!, rolling!.pvalue!) : [];
    return { markers, hasPValues, pvals, window: rolling?.window };
  }, [lines, breaks, analysisStart]);
  const shading = useMemo(() => regimeRanges(regimes, lines.times[lines.times.length - 1]), [regimes, lines]);
  const zLines = useMemo(() => zBands(bands), [bands]);
  const pvalueLines = useMemo(() => [{ price: significance, title: `α ${significance * 100}%` }], [significance]);
  const betaLines = useMemo(() => (spread.hedge_ratio !== null ? [{ price: spread.hedge_ratio, title: "static β" }] : []), [spread.hedge_ratio]);

  const panes = useMemo<ChartPaneSpec[]>(() => {
    const legDigits = normalisation === "log" ? 3 : 1;
    const out: ChartPaneSpec[] = [
      {
        id: "legs",
        title: normalisation === "log" ? "Legs (log price)" : "Legs (rebased to 100)",
        height: 2,
        shading,
        series: [
          { id: "leg1", title: symbol1, data: lines.leg1, precision: legDigits, lineWidth: LINE },
          { id: "leg2", title: symbol2, data: lines.leg2, precision: legDigits, lineWidth: LINE },
        ],
      },
      { id: "spread", title: `Spread (β ${formatNumber(spread.hedge_ratio, 3)})`, height: 1.2, shading, series: [{ id: "spread", title: "spread", data: lines.spread, precision: 4, lineWidth: LINE }] },
      {
        id: "z",
        title: `Z-score (lookback ${spread.lookback})`,
        height: 1.5,
        shading,
        series: [{ id: "z", title: "z", data: lines.z, priceLines: zLines, markers: marks.markers, precision: 2, color: "#ab47bc", lineWidth: LINE }],
      },
    ];
    // The pane's presence follows from the stored analysis, not from the spread's bars: the
    // chart keeps its structure (is not rebuilt) when the bars arrive.
    if (marks.hasPValues)
      out.push({
        id: "pvalue",
        title: `Rolling EG p-value (${marks.window ?? ""}-bar windows)`,
        height: 0.8,
        shading,
        series: [{ id: "pvalue", title: "p", data: marks.pvals, precision: 3, color: "#ff9800", priceLines: pvalueLines, lineWidth: LINE }],
      });
    out.push({
      id: "hedge",
      title: "Kalman hedge ratio",
      height: 0.8,
      shading,
      series: [{ id: "beta", title: "β(t)", data: lines.beta, precision: 3, color: "#26c6da", priceLines: betaLines, lineWidth: LINE }],
    });
    return out;
  }, [lines, marks, shading, zLines, pvalueLines, betaLines, normalisation, spread.hedge_ratio, spread.lookback, symbol1, symbol2]);

  const drawn = useCallback(
    (ms: number) => {
      if (loading) return; // the empty chart, before the bars: nothing drawn to report
      performance.mark(PAIR_DRAWN_MARK, { detail: { bars: spread.ts.length, chartMs: ms } });
      onDrawn?.(ms);
    },
    [onDrawn, spread.ts.length, loading],
  );

  const last = spread.zscore[spread.zscore.length - 1];
  return (
    <TimeChart
      label={`Charts of ${symbol1}/${symbol2}: legs, spread, z-score, rolling p-value and Kalman hedge`}
      summary={loading ? "Loading the spread…" : `${spread.ts.length} bars from ${spread.ts[0] ?? "—"} to ${spread.ts[spread.ts.length - 1] ?? "—"}. Last z-score ${formatNumber(last ?? null, 2)}; bands: entry ±${bands.entry}, exit ±${bands.exit}${bands.stop !== null ? `, stop ±${bands.stop}` : ""}. ${regimes.length} regime spans shaded.`}
      panes={panes}
      height={820}
      onDrawn={drawn}
      priceScaleMinWidth={PRICE_SCALE_WIDTH}
    />
  );
}
