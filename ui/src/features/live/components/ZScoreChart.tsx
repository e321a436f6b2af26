/** The pair's z-score with its bands and the signals as markers; live signals are added through
 * the chart handle (no re-render, no reload). */
import { useEffect, useImperativeHandle, useMemo, useRef, type Ref } from "react";
import { TimeChart, toChartTime, type ChartHandle, type ChartMarker, type LinePoint } from "@/components/charts";
import { Alert, Loading } from "@/components/Status";
import { usePairSignals } from "../api/signals";
import { useSpread } from "../api/spread";

export interface ZChartHandle {
  addSignals(signals: Array<{ ts: string; kind: string }>): void;
}

export function markerOf(s: { ts: string; kind: string }): ChartMarker {
  const time = toChartTime(s.ts);
  switch (s.kind) {
    case "enter_long":
      return { time, kind: "long" };
    case "enter_short":
      return { time, kind: "short" };
    case "stop":
      return { time, kind: "stop" };
    default:
      return { time, kind: "exit" };
  }
}

export function ZScoreChart({ pairId, label, entry = 2, exit = 0.5, handleRef }: { pairId: number; label: string; entry?: number; exit?: number; handleRef?: Ref<ZChartHandle> }) {
  const spread = useSpread(pairId);
  const stored = usePairSignals(pairId);
  const chart = useRef<ChartHandle>(null);
  const markers = useRef<Map<number, ChartMarker>>(new Map());
  const data = useMemo<LinePoint[]>(() => {
    const out: LinePoint[] = [];
    spread.data?.ts.forEach((t, i) => {
      const z = spread.data?.zscore[i];
      if (typeof z === "number") out.push({ time: toChartTime(t), value: z });
    });
    return out;
  }, [spread.data]);

  useEffect(() => {
    markers.current = new Map((stored.data?.results ?? []).map((s) => { const m = markerOf(s); return [m.time, m] as const; }));
    chart.current?.setMarkers("z", [...markers.current.values()]);
  }, [stored.data, data]);

  useImperativeHandle(handleRef, () => ({
    addSignals(signals) {
      for (const s of signals) {
        const m = markerOf(s);
        markers.current.set(m.time, m);
      }
      chart.current?.setMarkers("z", [...markers.current.values()]);
    },
  }));

  if (spread.isLoading) return <Loading label="Loading the z-score…" />;
  if (spread.error) return <Alert error={spread.error} title="Could not load the z-score" onRetry={() => void spread.refetch()} />;
  return (
    <TimeChart
      label={`Z-score of ${label} with live signals`}
      summary={`${data.length} bars; dashed bands at ±${entry} (entry) and ±${exit} (exit); markers: ▲ enter long, ▼ enter short, ● exit, ■ stop.`}
      height={320}
      handleRef={chart}
      panes={[
        {
          id: "z",
          title: "z-score",
          series: [
            {
              id: "z",
              title: "z",
              data,
              priceLines: [
                { price: entry, title: `+${entry} entry` },
                { price: -entry, title: `-${entry} entry` },
                { price: exit, title: `+${exit} exit` },
                { price: -exit, title: `-${exit} exit` },
              ],
            },
          ],
        },
      ]}
    />
  );
}
