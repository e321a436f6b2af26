/**
 * Stitched out-of-sample equity with the test windows shaded, and below it the in-sample
 * against the out-of-sample Sharpe of each fold as grouped bars (a bar chart by fold: on the
 * time axis one value per fold was a one-bar sliver in a months-wide window).
 */
import { useMemo } from "react";
import { TimeChart, toChartTime, type ChartPaneSpec, type LinePoint } from "@/components/charts";
import type { Fold, Stitched } from "../api/walkforward";
import { FoldSharpeBars } from "./FoldSharpeBars";

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
    ];
  }, [folds, stitched]);
  return (
    <>
      <TimeChart
        label="Walk-forward: stitched out-of-sample equity with the test windows shaded"
        summary={`${folds.length} folds; ${stitched?.ts.length ?? 0} out-of-sample bars stitched.`}
        panes={panes}
        height={340}
      />
      <h3 className="fold-sharpe-title">Sharpe per fold: in sample against out of sample</h3>
      <FoldSharpeBars folds={folds} />
    </>
  );
}
