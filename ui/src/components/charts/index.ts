export { TimeChart } from "./TimeChart";
export type { ChartHandle, ChartPaneSpec, ChartSeriesSpec, LinePoint, CandlePoint, PriceLineSpec, SeriesKind, TimeChartProps } from "./TimeChart";
export type { ChartMarker, MarkerKind } from "./markers";
export { toSeriesMarkers } from "./markers";
export type { ShadedRange } from "./shading";
export { ShadedRangesPrimitive } from "./shading";
export { chartTheme, type ChartTheme } from "./theme";
export { toChartTime } from "./time";
