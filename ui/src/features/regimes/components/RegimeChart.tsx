/** The pair's z-score with its regime spans shaded and named (legend below, not colour alone). */
import { useMemo } from "react";
import { TimeChart, toChartTime, type ChartPaneSpec, type LinePoint } from "@/components/charts";
import type { Spread } from "../api/pairs";
import type { Regime } from "../api/regimes";

const COLOURS = ["#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#D55E00", "#0072B2"];
export const regimeFill = (label: number) => `${label < 0 ? "#999999" : COLOURS[label % COLOURS.length]}33`;

export function RegimeChart({ spread, regimes, title }: { spread: Spread; regimes: readonly Regime[]; title: string }) {
  const panes = useMemo<ChartPaneSpec[]>(() => {
    const t = spread.ts.map((s) => toChartTime(s));
    const z: LinePoint[] = [];
    spread.zscore.forEach((v, i) => {
      if (v !== null && Number.isFinite(v)) z.push({ time: t[i]!, value: v });
    });
    const last = t[t.length - 1];
    const shading = regimes.map((r) => ({ from: toChartTime(r.start), to: r.end ? toChartTime(r.end) : (last ?? toChartTime(r.start)), color: regimeFill(r.label), label: r.name || `regime ${r.label}` }));
    return [{ id: "z", title: "Z-score with regimes shaded", shading, series: [{ id: "z", title: "z", data: z, color: "#ab47bc" }] }];
  }, [spread, regimes]);
  const names = [...new Map(regimes.map((r) => [r.label, r.name || `regime ${r.label}`])).entries()].sort((a, b) => a[0] - b[0]);
  return (
    <>
      <TimeChart label={title} summary={`${regimes.length} regime spans: ${names.map(([, n]) => n).join(", ")}.`} panes={panes} height={320} />
      {names.length > 0 && (
        <ul className="regime-legend" aria-label="Regimes">
          {names.map(([label, name]) => (
            <li key={label}>
              <span className="legend-swatch" style={{ background: regimeFill(label) }} aria-hidden="true" /> {name} (label {label}): {regimes.filter((r) => r.label === label).length} spans
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
