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
import { chartTimes, linePoints, normalise, regimeRanges, rollingPValuePoints, type Normalisation, type RegimeSpan } from "./series";

export interface Bands {
  entry: number;
  exit: number;
  stop: number | null;
}

export const PAIR_DRAWN_MARK = "titan:pair-drawn";
export const PAIR_DRAW_MEASURE = "titan:pair-draw";

export interface PairChartsProps {
  symbol1: string;
  symbol2: string;
  spread: PairSpread;
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

export function PairCharts({ symbol1, symbol2, spread, bands, normalisation, regimes, breaks, analysisStart, significance = 0.05, onDrawn }: PairChartsProps) {
  const panes = useMemo<ChartPaneSpec[]>(() => {
    const times = chartTimes(spread.ts);
    const shading = regimeRanges(regimes, times[times.length - 1]);
    const markers: ChartMarker[] = [];
    const offset = analysisStart ? Math.max(0, times.findIndex((t) => t >= toChartTime(analysisStart))) : 0;
    const sample = times.slice(offset);
    const za = breaks?.za_break_index;
    if (za !== undefined && za !== null && za >= 0 && sample[za] !== undefined) markers.push({ time: sample[za]!, kind: "signal", text: "break (Zivot-Andrews)" });
    const rolling = breaks?.rolling;
    const pvals = rolling?.end && rolling.pvalue ? rollingPValuePoints(sample, rolling.end, rolling.pvalue) : [];
    const legDigits = normalisation === "log" ? 3 : 1;
    const out: ChartPaneSpec[] = [
      {
        id: "legs",
        title: normalisation === "log" ? "Legs (log price)" : "Legs (rebased to 100)",
        height: 2,
        shading,
        series: [
          { id: "leg1", title: symbol1, data: linePoints(times, normalise(spread.price_1, normalisation)), precision: legDigits },
          { id: "leg2", title: symbol2, data: linePoints(times, normalise(spread.price_2, normalisation)), precision: legDigits },
        ],
      },
      { id: "spread", title: `Spread (β ${formatNumber(spread.hedge_ratio, 3)})`, height: 1.2, shading, series: [{ id: "spread", title: "spread", data: linePoints(times, spread.spread), precision: 4 }] },
      {
        id: "z",
        title: `Z-score (lookback ${spread.lookback})`,
        height: 1.5,
        shading,
        series: [{ id: "z", title: "z", data: linePoints(times, spread.zscore), priceLines: zBands(bands), markers, precision: 2, color: "#ab47bc" }],
      },
    ];
    if (pvals.length)
      out.push({
        id: "pvalue",
        title: `Rolling EG p-value (${rolling?.window ?? ""}-bar windows)`,
        height: 0.8,
        shading,
        series: [{ id: "pvalue", title: "p", data: pvals, precision: 3, color: "#ff9800", priceLines: [{ price: significance, title: `α ${significance * 100}%` }] }],
      });
    out.push({
      id: "hedge",
      title: "Kalman hedge ratio",
      height: 0.8,
      shading,
      series: [
        {
          id: "beta",
          title: "β(t)",
          data: linePoints(times, spread.dynamic_beta),
          precision: 3,
          color: "#26c6da",
          priceLines: spread.hedge_ratio !== null ? [{ price: spread.hedge_ratio, title: "static β" }] : [],
        },
      ],
    });
    return out;
  }, [spread, bands, normalisation, regimes, breaks, analysisStart, symbol1, symbol2, significance]);

  const drawn = useCallback(
    (ms: number) => {
      performance.mark(PAIR_DRAWN_MARK, { detail: { bars: spread.ts.length, chartMs: ms } });
      onDrawn?.(ms);
    },
    [onDrawn, spread.ts.length],
  );

  const last = spread.zscore[spread.zscore.length - 1];
  return (
    <TimeChart
      label={`Charts of ${symbol1}/${symbol2}: legs, spread, z-score, rolling p-value and Kalman hedge`}
      summary={`${spread.ts.length} bars from ${spread.ts[0] ?? "—"} to ${spread.ts[spread.ts.length - 1] ?? "—"}. Last z-score ${formatNumber(last ?? null, 2)}; bands: entry ±${bands.entry}, exit ±${bands.exit}${bands.stop !== null ? `, stop ±${bands.stop}` : ""}. ${regimes.length} regime spans shaded.`}
      panes={panes}
      height={820}
      onDrawn={drawn}
    />
  );
}
