/** Trade and signal markers: a distinct shape and a letter per kind (not colour alone). */
import type { SeriesMarker, Time, UTCTimestamp } from "lightweight-charts";
import type { ChartTheme } from "./theme";

export type MarkerKind = "long" | "short" | "exit" | "stop" | "signal";

export interface ChartMarker {
  /** UTC seconds. */
  time: number;
  kind: MarkerKind;
  /** Shown beside the marker; default: L, S, X, stop. */
  text?: string;
}

export function toSeriesMarkers(markers: ChartMarker[], theme: ChartTheme): SeriesMarker<Time>[] {
  return [...markers]
    .sort((a, b) => a.time - b.time)
    .map((m) => {
      const time = m.time as UTCTimestamp;
      switch (m.kind) {
        case "long":
          return { time, position: "belowBar", shape: "arrowUp", color: theme.up, text: m.text ?? "L" };
        case "short":
          return { time, position: "aboveBar", shape: "arrowDown", color: theme.down, text: m.text ?? "S" };
        case "exit":
          return { time, position: "inBar", shape: "circle", color: theme.neutral, text: m.text ?? "X" };
        case "stop":
          return { time, position: "aboveBar", shape: "square", color: theme.stop, text: m.text ?? "stop" };
        default:
          return { time, position: "inBar", shape: "circle", color: theme.palette[1] ?? theme.neutral, text: m.text ?? "" };
      }
    });
}
