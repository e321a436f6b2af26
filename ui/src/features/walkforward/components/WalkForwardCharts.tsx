/**
 * Stitched out-of-sample equity with the test windows shaded, against the in-sample
 * results: per fold, the in-sample and out-of-sample Sharpe at the fold's test start.
 */
import { useMemo } from "react";
import { TimeChart, toChartTime, type ChartPaneSpec, type LinePoint } from "@/components/charts";
import type { Fold, Stitched } from "../api/walkforward";

function perFold(folds: readonly Fold[], pick: (f: Fold) => number | null | undefined): LinePoint[] {
  const out: LinePoint[] = [];
  for (const f of folds) {
    const v = pick(f);
    if (v !== null && v !== undefined && Number.isFinite(v)) out.push({ time: toChartTime(f.test_start_ts), value: v });
  }
  return out.sort((a, b) => a.time - b.time);
}

export function WalkForwardCharts({ folds, stitched }: { folds: readonly Fold[]; stitched: Stitched | null }) {
  const panes = useMemo<ChartPaneSpec[]>(() => {
    const shading = folds.map((f, i) => ({ from: toChartTime(f.test_start_ts), to: toChartTime(f.test_end_ts), color: i % 2 ? "rgba(255,152,0,0.14)" : "rgba(38,198,218,0.14)", label: `test ${f.index + 1}` }));
    const eq: LinePoint[] = [];
    (stitched?.ts ?? []).forEach((t, i) => {
      const v = stitched?.equity[i];
      if (v !== null && v !== undefined && Number.isFinite(v)) eq.push({ time: toChartTime(t), value: v });
    });
    return [
      { id: "oos", title: "Stitched out-of-sample equity", height: 2, shading, series: [{ id: "oos-eq", title: "OOS equity", kind: "area", data: eq, precision: 0 }] },
      {
        id: "sharpe",
        title: "Sharpe per fold: in sample (line) vs out of sample (bars)",
        height: 1,
        shading,
        series: [
          { id: "oos-sharpe", title: "OOS Sharpe", kind: "histogram", data: perFold(folds, (f) => f.oos_metrics?.sharpe), color: "#ff9800" },
          { id: "is-sharpe", title: "IS Sharpe", data: perFold(folds, (f) => f.is_metrics?.sharpe), color: "#2962ff" },
        ],
      },
    ];
  }, [folds, stitched]);
  return (
    <TimeChart
      label="Walk-forward: stitched out-of-sample equity and Sharpe per fold in and out of sample"
      summary={`${folds.length} folds; ${stitched?.ts.length ?? 0} out-of-sample bars stitched.`}
      panes={panes}
      height={460}
    />
  );
}
