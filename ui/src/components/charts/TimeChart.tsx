/**
 * One lightweight-charts v5 chart with several panes on ONE synchronised time axis, a legend
 * per pane that follows the crosshair, dashed price lines (bands), trade/signal markers and
 * shaded time ranges. Declarative: pass panes of series; data changes call `setData`, a
 * change of the panes' structure (ids, kinds) rebuilds the chart. For live updates use the
 * handle (`handleRef`): `append(seriesId, point)`, `setMarkers(seriesId, markers)`.
 *
 * Accessible: the chart region has role="img" with `label` as its name and `summary` as a
 * visually hidden description (what the chart shows, in words and numbers).
 */
import {
  AreaSeries,
  BaselineSeries,
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  CrosshairMode,
  HistogramSeries,
  LineSeries,
  LineStyle,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type MouseEventParams,
  type SeriesType,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { useEffect, useId, useImperativeHandle, useMemo, useRef, useState, type Ref } from "react";
import { useDisplayPrefs, type TimeMode } from "@/lib/prefs";
import { toSeriesMarkers, type ChartMarker } from "./markers";
import { ShadedRangesPrimitive, type ShadedRange } from "./shading";
import { chartTheme, type ChartTheme } from "./theme";
import { crosshairTimeFormatter, tickMarkFormatter } from "./time";

export type SeriesKind = "line" | "area" | "histogram" | "baseline" | "candlestick";

export interface LinePoint {
  /** UTC seconds (see `toChartTime`). */
  time: number;
  value: number;
  color?: string;
}

export interface CandlePoint {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

export interface PriceLineSpec {
  price: number;
  title: string;
  color?: string;
  /** Default true (bands are dashed). */
  dashed?: boolean;
}

export interface ChartSeriesSpec {
  id: string;
  title: string;
  kind?: SeriesKind;
  data: ReadonlyArray<LinePoint | CandlePoint>;
  color?: string;
  lineWidth?: 1 | 2 | 3 | 4;
  priceLines?: PriceLineSpec[];
  markers?: ChartMarker[];
  /** Digits shown on the axis and in the legend (default 2). */
  precision?: number;
  /** Baseline series: the base value (default 0). */
  baseValue?: number;
}

export interface ChartPaneSpec {
  id: string;
  title?: string;
  /** Relative height (stretch factor, default 1). */
  height?: number;
  series: ChartSeriesSpec[];
  /** Shaded time ranges drawn behind this pane's series. */
  shading?: ShadedRange[];
}

export interface ChartHandle {
  chart: IChartApi | null;
  series(id: string): ISeriesApi<SeriesType> | undefined;
  /** Add or replace the last point of a series (live data). */
  append(id: string, point: LinePoint | CandlePoint): void;
  setMarkers(id: string, markers: ChartMarker[]): void;
  fit(): void;
}

export interface TimeChartProps {
  /** The accessible name of the chart region ("Spread and z-score of KO/PEP"). */
  label: string;
  /** A visually hidden description of what the chart shows. */
  summary?: string;
  panes: ChartPaneSpec[];
  /** Total height in px (default 420). */
  height?: number;
  /** Default: the user's display preference (UTC unless changed). */
  timeMode?: TimeMode;
  handleRef?: Ref<ChartHandle>;
  /** Called after the data has been drawn (ms since the data prop changed). */
  onDrawn?: (ms: number) => void;
  className?: string;
  /** A floor for the right price scale's width (px): a chart whose axis labels widen when its
   * data arrives would otherwise resize (and reallocate) every pane's canvases then. */
  priceScaleMinWidth?: number;
  /** Time-scale conflation of dense series (default true). */
  conflation?: boolean;
}

interface Built {
  series: Map<
    string,
    {
      api: ISeriesApi<SeriesType>;
      spec: ChartSeriesSpec;
      markers: ISeriesMarkersPluginApi<Time> | null;
      pane: number;
      /** What was last given to `setData` / `createPriceLine` on this series: an effect run
       * with the same data array (a new z band, say) leaves the series' data alone. */
      data?: ChartSeriesSpec["data"];
      lines?: string;
    }
  >;
  shading: Map<number, ShadedRangesPrimitive>;
}

interface LegendRow {
  id: string;
  title: string;
  color: string;
  value: string;
}

function structureKey(panes: ChartPaneSpec[]): string {
  return panes.map((p) => `${p.id}[${p.series.map((s) => `${s.id}:${s.kind ?? "line"}`).join(",")}]`).join("|");
}

function seriesColor(spec: ChartSeriesSpec, index: number, theme: ChartTheme): string {
  return spec.color ?? theme.palette[index % theme.palette.length] ?? theme.neutral;
}

function addSeries(chart: IChartApi, spec: ChartSeriesSpec, pane: number, color: string, theme: ChartTheme): ISeriesApi<SeriesType> {
  const precision = spec.precision ?? 2;
  const priceFormat = { type: "price" as const, precision, minMove: 1 / 10 ** precision };
  const common = { title: "", priceFormat, lastValueVisible: true, priceLineVisible: false };
  switch (spec.kind ?? "line") {
    case "area":
      return chart.addSeries(AreaSeries, { ...common, lineColor: color, topColor: `${color}55`, bottomColor: `${color}05`, lineWidth: spec.lineWidth ?? 2 }, pane);
    case "histogram":
      return chart.addSeries(HistogramSeries, { ...common, color }, pane);
    case "baseline":
      return chart.addSeries(
        BaselineSeries,
        {
          ...common,
          baseValue: { type: "price", price: spec.baseValue ?? 0 },
          topLineColor: theme.up,
          topFillColor1: `${theme.up}44`,
          topFillColor2: `${theme.up}05`,
          bottomLineColor: theme.down,
          bottomFillColor1: `${theme.down}05`,
          bottomFillColor2: `${theme.down}44`,
          lineWidth: spec.lineWidth ?? 2,
        },
        pane,
      );
    case "candlestick":
      return chart.addSeries(
        CandlestickSeries,
        { ...common, upColor: theme.up, downColor: theme.down, wickUpColor: theme.up, wickDownColor: theme.down, borderVisible: false },
        pane,
      );
    default:
      return chart.addSeries(LineSeries, { ...common, color, lineWidth: spec.lineWidth ?? 2 }, pane);
  }
}

function valueText(point: unknown, precision: number): string {
  if (!point || typeof point !== "object") return "—";
  const p = point as Partial<LinePoint & CandlePoint>;
  if (typeof p.value === "number") return p.value.toFixed(precision);
  if (typeof p.close === "number") return `O ${p.open?.toFixed(precision)} H ${p.high?.toFixed(precision)} L ${p.low?.toFixed(precision)} C ${p.close.toFixed(precision)}`;
  return "—";
}

function priceLinesKey(lines: PriceLineSpec[] | undefined): string {
  return (lines ?? []).map((l) => `${l.price}|${l.title}|${l.color ?? ""}|${l.dashed ?? ""}`).join(";");
}

export function TimeChart({ label, summary, panes, height = 420, timeMode, handleRef, onDrawn, className = "", priceScaleMinWidth, conflation = true }: TimeChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const built = useRef<Built>({ series: new Map(), shading: new Map() });
  const prefs = useDisplayPrefs();
  const mode = timeMode ?? prefs.time;
  const theme = useMemo(() => chartTheme(prefs.theme, prefs.upColor), [prefs.theme, prefs.upColor]);
  const structure = structureKey(panes);
  const [legend, setLegend] = useState<Record<string, { time: string; rows: LegendRow[] }>>({});
  const [paneTops, setPaneTops] = useState<number[]>([]);
  const summaryId = useId();
  const panesRef = useRef(panes);
  panesRef.current = panes;

  // Create the chart (again when the structure, theme or time mode changes).
  useEffect(() => {
    const el = container.current;
    if (!el) return undefined;
    const chart = createChart(el, {
      autoSize: true,
      layout: {
        background: { color: theme.background },
        textColor: theme.text,
        fontFamily: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
        panes: { separatorColor: theme.border, separatorHoverColor: theme.crosshair, enableResize: true },
        attributionLogo: false,
      },
      grid: { vertLines: { color: theme.grid }, horzLines: { color: theme.grid } },
      crosshair: { mode: CrosshairMode.Normal, vertLine: { color: theme.crosshair, labelBackgroundColor: theme.border }, horzLine: { color: theme.crosshair, labelBackgroundColor: theme.border } },
      rightPriceScale: { borderColor: theme.border, ...(priceScaleMinWidth ? { minimumWidth: priceScaleMinWidth } : {}) },
      // A small minimum bar spacing: fitContent shows every bar of a long history (8,000+ daily
      // bars on ~1,300 px; the default 0.5 px kept only the last few years in view), drawn
      // conflated.
      timeScale: { borderColor: theme.border, timeVisible: true, secondsVisible: false, tickMarkFormatter: tickMarkFormatter(mode), enableConflation: conflation, minBarSpacing: 0.05 },
      localization: { timeFormatter: crosshairTimeFormatter(mode) },
    });
    chartRef.current = chart;
    const b: Built = { series: new Map(), shading: new Map() };
    built.current = b;
    let colorIndex = 0;
    panesRef.current.forEach((pane, paneIndex) => {
      pane.series.forEach((spec) => {
        const api = addSeries(chart, spec, paneIndex, seriesColor(spec, colorIndex++, theme), theme);
        b.series.set(spec.id, { api, spec, markers: null, pane: paneIndex });
      });
      const first = pane.series[0];
      if (first) {
        const prim = new ShadedRangesPrimitive([], theme.text);
        b.series.get(first.id)?.api.attachPrimitive(prim);
        b.shading.set(paneIndex, prim);
      }
    });
    const chartPanes = chart.panes();
    panesRef.current.forEach((pane, i) => chartPanes[i]?.setStretchFactor(pane.height ?? 1));

    const onMove = (param: MouseEventParams<Time>) => {
      const next: Record<string, { time: string; rows: LegendRow[] }> = {};
      const timeText = param.time !== undefined ? crosshairTimeFormatter(mode)(param.time) : "";
      let ci = 0;
      panesRef.current.forEach((pane) => {
        const rows: LegendRow[] = pane.series.map((spec) => {
          const entry = b.series.get(spec.id);
          const point = param.time !== undefined && entry ? param.seriesData.get(entry.api) : spec.data[spec.data.length - 1];
          return { id: spec.id, title: spec.title, color: seriesColor(spec, ci++, theme), value: valueText(point, spec.precision ?? 2) };
        });
        next[pane.id] = { time: timeText, rows };
      });
      setLegend(next);
    };
    chart.subscribeCrosshairMove(onMove);
    const measure = () => {
      const tops: number[] = [];
      let y = 0;
      chart.panes().forEach((p) => {
        tops.push(y);
        y += p.getHeight() + 1;
      });
      setPaneTops(tops);
    };
    const observer = typeof ResizeObserver !== "undefined" ? new ResizeObserver(() => measure()) : null;
    observer?.observe(el);
    requestAnimationFrame(measure);
    return () => {
      observer?.disconnect();
      chart.unsubscribeCrosshairMove(onMove);
      chart.remove();
      chartRef.current = null;
      built.current = { series: new Map(), shading: new Map() };
    };
  }, [structure, theme, mode, priceScaleMinWidth, conflation]);

  // Data, price lines, markers, shading.
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const started = performance.now();
    const b = built.current;
    const initialLegend: Record<string, { time: string; rows: LegendRow[] }> = {};
    let ci = 0;
    let dataChanged = false;
    panes.forEach((pane, paneIndex) => {
      pane.series.forEach((spec) => {
        const entry = b.series.get(spec.id);
        if (!entry) return;
        entry.spec = spec;
        if (entry.data !== spec.data) {
          entry.api.setData(spec.data as never);
          entry.data = spec.data;
          dataChanged = true;
        }
        const lines = priceLinesKey(spec.priceLines);
        if (entry.lines !== lines) {
          for (const line of entry.api.priceLines()) entry.api.removePriceLine(line);
          for (const pl of spec.priceLines ?? []) {
            entry.api.createPriceLine({
              price: pl.price,
              color: pl.color ?? theme.band,
              lineWidth: 1,
              lineStyle: pl.dashed === false ? LineStyle.Solid : LineStyle.Dashed,
              axisLabelVisible: true,
              title: pl.title,
            });
          }
          entry.lines = lines;
        }
        if (spec.markers?.length || entry.markers) {
          const markers = toSeriesMarkers(spec.markers ?? [], theme);
          if (entry.markers) entry.markers.setMarkers(markers);
          else entry.markers = createSeriesMarkers(entry.api, markers);
        }
      });
      b.shading.get(paneIndex)?.setRanges(pane.shading ?? [], theme.text);
      initialLegend[pane.id] = {
        time: "",
        rows: pane.series.map((spec) => ({ id: spec.id, title: spec.title, color: seriesColor(spec, ci++, theme), value: valueText(spec.data[spec.data.length - 1], spec.precision ?? 2) })),
      };
    });
    // Fit a new history into view once; a redraw for new bands keeps the user's zoom.
    if (dataChanged) chart.timeScale().fitContent();
    setLegend(initialLegend);
    if (onDrawn) requestAnimationFrame(() => onDrawn(performance.now() - started));
  }, [panes, structure, theme, mode, onDrawn]);

  useImperativeHandle(
    handleRef,
    (): ChartHandle => ({
      get chart() {
        return chartRef.current;
      },
      series: (id) => built.current.series.get(id)?.api,
      append: (id, point) => {
        built.current.series.get(id)?.api.update({ ...point, time: point.time as UTCTimestamp } as never);
      },
      setMarkers: (id, markers) => {
        const entry = built.current.series.get(id);
        if (!entry) return;
        const list = toSeriesMarkers(markers, theme);
        if (entry.markers) entry.markers.setMarkers(list);
        else entry.markers = createSeriesMarkers(entry.api, list);
      },
      fit: () => chartRef.current?.timeScale().fitContent(),
    }),
    [theme],
  );

  return (
    <figure className={`time-chart ${className}`}>
      <div className="time-chart-frame" style={{ height }}>
        <div ref={container} className="time-chart-canvas" role="img" aria-label={label} aria-describedby={summary ? summaryId : undefined} />
        {panes.map((pane, i) => {
          const l = legend[pane.id];
          return (
            <div key={pane.id} className="chart-legend" style={{ top: (paneTops[i] ?? 0) + 4 }} aria-hidden="true">
              {pane.title && <span className="chart-legend-title">{pane.title}</span>}
              {l?.time && <span className="chart-legend-time">{l.time}</span>}
              {l?.rows.map((r) => (
                <span key={r.id} className="chart-legend-item">
                  <span className="chart-legend-swatch" style={{ background: r.color }} />
                  {r.title} <b>{r.value}</b>
                </span>
              ))}
            </div>
          );
        })}
      </div>
      {summary && (
        <figcaption id={summaryId} className="visually-hidden">
          {summary}
        </figcaption>
      )}
    </figure>
  );
}
