/** A small two-pane chart in the chosen theme, time and colours (a synthetic spread). */
import { useMemo } from "react";
import { TimeChart, type ChartPaneSpec, type LinePoint } from "@/components/charts";

function preview(): ChartPaneSpec[] {
  const start = Date.UTC(2024, 0, 1) / 1000;
  const day = 86_400;
  const spread: LinePoint[] = [];
  const z: LinePoint[] = [];
  let s = 0;
  for (let i = 0; i < 260; i += 1) {
    // A deterministic mean-reverting wiggle: no randomness, same picture every time.
    s = 0.92 * s + Math.sin(i / 6) * 0.35 + Math.sin(i / 17) * 0.2;
    spread.push({ time: start + i * day, value: Number(s.toFixed(3)) });
    z.push({ time: start + i * day, value: Number((s / 1.1).toFixed(3)) });
  }
  const t = (i: number) => start + i * day;
  return [
    { id: "spread", title: "Spread", height: 1, series: [{ id: "spread", title: "Spread", data: spread, precision: 3 }], shading: [{ from: t(60), to: t(120), color: "rgba(255, 152, 0, 0.10)", label: "high volatility" }] },
    {
      id: "z",
      title: "z-score",
      height: 1,
      series: [
        {
          id: "z",
          title: "z",
          kind: "baseline",
          data: z,
          priceLines: [
            { price: 2, title: "entry" },
            { price: -2, title: "entry" },
            { price: 0.5, title: "exit" },
            { price: -0.5, title: "exit" },
          ],
          markers: [
            { time: t(20), kind: "short" },
            { time: t(40), kind: "exit" },
            { time: t(150), kind: "long" },
            { time: t(175), kind: "stop" },
          ],
        },
      ],
    },
  ];
}

export function ChartPreview() {
  const panes = useMemo(preview, []);
  return <TimeChart label="Chart preview: a spread and its z-score" summary="A synthetic spread with one shaded high-volatility regime, and its z-score with dashed entry and exit bands and four trade markers." panes={panes} height={320} />;
}
