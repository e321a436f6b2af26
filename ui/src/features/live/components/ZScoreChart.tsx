/**
 * The pair's z-score (with the monitor's lookback) with its bands and the signals as markers.
 *
 * Markers live in this component's own series-markers plugin (`createSeriesMarkers` on the
 * chart's z series), not in the chart's props: the chart's props change only when the bars
 * do, so a signal never re-renders the chart nor sets its 8,000 bars again (which also used
 * to clear the markers: every render of the page passed new props, and the chart reset the
 * markers it had not been given). Live signals come from the feed store, one batch per
 * feed update (at most every 100 ms), set as markers in a task after the feed's frame (see
 * the live-signals effect), so the markers are set at most once per update.
 *
 * The view: the chart opens on the last {@link INITIAL_BARS} bars (a whole history at once
 * puts 30 years on 600 px, where a signal is a speck among thousands of bars), or around the
 * newest stored signal when that is older; it then follows the newest signal (a signal
 * outside the view scrolls the view to it, keeping the zoom) while the previous newest one
 * is still in view, so a user who scrolled away is not pulled back.
 *
 * `data-markers` (markers set on the series, read back from the plugin) and
 * `data-markers-visible` (those inside the chart's visible time range) on the chart's frame
 * say what the chart holds, for tests and for the curious.
 */
import { createSeriesMarkers, type ISeriesApi, type ISeriesMarkersPluginApi, type SeriesMarker, type SeriesType, type Time } from "lightweight-charts";
import { memo, useCallback, useEffect, useMemo, useRef } from "react";
import { TimeChart, chartTheme, toChartTime, toSeriesMarkers, type ChartHandle, type ChartMarker, type ChartPaneSpec, type LinePoint } from "@/components/charts";
import { Alert, Loading } from "@/components/Status";
import { useDisplayPrefs } from "@/lib/prefs";
import { usePairSignals } from "../api/signals";
import { useSpread } from "../api/spread";
import type { FeedSignal, FeedStore } from "../hooks/feedStore";

/** The monitor's parameters the chart shows: z lookback and the bands. */
export interface ZBands {
  lookback?: number;
  entry: number;
  exit: number;
  stop?: number | null;
}

export const DEFAULT_BANDS: ZBands = { entry: 2, exit: 0.5 };

/** Bars in view when the chart opens (about two years of daily bars). */
export const INITIAL_BARS = 500;

export function markerOf(s: { ts: string; kind: string }): ChartMarker | null {
  const time = toChartTime(s.ts);
  if (!Number.isFinite(time)) return null;
  switch (s.kind) {
    case "enter_long":
      return { time, kind: "long" };
    case "enter_short":
      return { time, kind: "short" };
    case "stop":
      return { time, kind: "stop" };
    case "exit":
      return { time, kind: "exit" };
    default:
      return null; // a correction notice is not a decision
  }
}

/** The index of the last bar at or before `time` (0 when before the first). */
export function barIndex(times: readonly number[], time: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((times[mid] ?? 0) <= time) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

type Marker = SeriesMarker<Time>;

/** The first position in the time-sorted `list` whose time is at or after `time`. */
function lowerBound(list: readonly Marker[], time: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Number(list[mid]?.time) < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Markers in time order, built once each: a frame of live signals costs its own markers
 * (a binary insertion each, an append in the usual case) and one copy, not a re-sort. */
export class MarkerSet {
  private readonly keys = new Set<string>();
  readonly list: Marker[] = [];

  add(key: string, marker: Marker): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    const t = Number(marker.time);
    const last = this.list[this.list.length - 1];
    if (last === undefined || Number(last.time) <= t) this.list.push(marker);
    else this.list.splice(lowerBound(this.list, t + 1), 0, marker);
    return true;
  }

  get newest(): number | null {
    const last = this.list[this.list.length - 1];
    return last === undefined ? null : Number(last.time);
  }

  /** How many markers fall in `[from, to]` (chart seconds). */
  countBetween(from: number, to: number): number {
    return lowerBound(this.list, to + 1) - lowerBound(this.list, from);
  }
}

interface Plugin {
  series: ISeriesApi<SeriesType>;
  api: ISeriesMarkersPluginApi<Time>;
}

export const ZScoreChart = memo(function ZScoreChart({ pairId, label, bands = DEFAULT_BANDS, store }: { pairId: number; label: string; bands?: ZBands; store: FeedStore }) {
  const spread = useSpread(pairId, bands.lookback);
  const stored = usePairSignals(pairId);
  const prefs = useDisplayPrefs();
  const theme = useMemo(() => chartTheme(prefs.theme, prefs.upColor), [prefs.theme, prefs.upColor]);
  const chart = useRef<ChartHandle>(null);
  const frame = useRef<HTMLDivElement>(null);
  const markers = useRef(new MarkerSet());
  const plugin = useRef<Plugin | null>(null);
  /** The newest marker time the view follows; null before the first. */
  const followed = useRef<number | null>(null);
  const liveSeen = useRef(false);

  const data = useMemo<LinePoint[]>(() => {
    const out: LinePoint[] = [];
    spread.data?.ts.forEach((t, i) => {
      const z = spread.data?.zscore[i];
      if (typeof z === "number") out.push({ time: toChartTime(t), value: z });
    });
    return out;
  }, [spread.data]);
  const times = useMemo(() => data.map((p) => p.time), [data]);
  const { entry, exit, stop } = bands;
  const panes = useMemo<ChartPaneSpec[]>(
    () => [
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
              { price: exit, title: `${exit ? "+" : ""}${exit} exit` },
              ...(exit ? [{ price: -exit, title: `-${exit} exit` }] : []),
              ...(stop ? [{ price: stop, title: `+${stop} stop` }, { price: -stop, title: `-${stop} stop` }] : []),
            ],
          },
        ],
      },
    ],
    [data, entry, exit, stop],
  );

  /** Write what the chart holds on its frame (read back from the chart). */
  const count = useCallback(() => {
    const el = frame.current;
    const p = plugin.current;
    const range = chart.current?.chart?.timeScale().getVisibleRange();
    if (!el || !p) return;
    el.dataset.markers = String(p.api.markers().length);
    el.dataset.markersVisible = range ? String(markers.current.countBetween(Number(range.from), Number(range.to))) : "0";
  }, []);

  /** Set the markers on the z series (the plugin is made again when the chart was). */
  const draw = useCallback((): boolean => {
    const series = chart.current?.series("z");
    if (!series) return false;
    if (plugin.current?.series !== series) plugin.current = { series, api: createSeriesMarkers(series, []) };
    plugin.current.api.setMarkers(markers.current.list.slice());
    return true;
  }, []);

  const add = useCallback(
    (key: string, m: ChartMarker | null): boolean => {
      if (!m) return false;
      const [marker] = toSeriesMarkers([m], theme);
      return marker !== undefined && markers.current.add(key, marker);
    },
    [theme],
  );

  const showInitial = useCallback(() => {
    const scale = chart.current?.chart?.timeScale();
    const n = times.length;
    if (!scale || n === 0) return;
    let from = Math.max(0, n - INITIAL_BARS);
    let to = n - 1;
    const newest = markers.current.newest;
    if (newest !== null) {
      const i = barIndex(times, newest);
      if (i < from) {
        from = Math.max(0, i - Math.round(INITIAL_BARS * 0.8));
        to = Math.min(n - 1, from + INITIAL_BARS);
      }
    }
    scale.setVisibleLogicalRange({ from: from - 0.5, to: to + 2 });
    followed.current = newest;
  }, [times]);

  /** Keep the newest signal in view while the user follows the feed. */
  const follow = useCallback(
    (time: number) => {
      const scale = chart.current?.chart?.timeScale();
      const range = scale?.getVisibleLogicalRange();
      if (!scale || !range || times.length === 0) return;
      const prev = followed.current;
      const prevIndex = prev === null ? null : barIndex(times, prev);
      if (prevIndex !== null && (prevIndex < range.from - 1 || prevIndex > range.to + 1)) return; // scrolled away
      followed.current = time;
      const i = barIndex(times, time);
      if (i >= range.from && i <= range.to) return;
      const width = range.to - range.from;
      const from = Math.max(-0.5, i - width * 0.8);
      scale.setVisibleLogicalRange({ from, to: from + width });
    },
    [times],
  );

  // A new theme or up colour: the markers are made again in its colours.
  const themed = useRef(theme);
  if (themed.current !== theme) {
    themed.current = theme;
    markers.current = new MarkerSet();
  }

  // The bars were set (or the chart rebuilt: theme, time mode): markers and view again.
  useEffect(() => {
    for (const s of stored.data?.results ?? []) add(`${s.pair_id}:${s.seq}`, markerOf(s));
    for (const s of store.getSnapshot().items) if (s.pairId === pairId) add(s.key, markerOf(s));
    if (!data.length || !draw()) return;
    showInitial();
    count();
  }, [data, draw, add, showInitial, count, prefs.time, stored.data, store, pairId]);

  // Stored signals (the page opened): merged with any live ones already in.
  useEffect(() => {
    for (const s of stored.data?.results ?? []) add(`${s.pair_id}:${s.seq}`, markerOf(s));
    if (!draw()) return;
    if (!liveSeen.current) showInitial();
    count();
  }, [stored.data, draw, add, showInitial, count]);

  // Live signals: at most one setMarkers per feed update, in a task of its own. The batch
  // arrives in the feed store's animation frame, where the feed list renders, is laid out
  // and painted; setting the markers there too (and the chart's repaint, which places every
  // visible marker) made that one task the sum of both. Deferred with a zero timeout, the
  // feed's frame, this setMarkers and the chart's repaint (its own next animation frame)
  // are three tasks, each a fraction of the 50 ms budget (decision 47).
  useEffect(() => {
    let queued: FeedSignal[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const apply = () => {
      timer = null;
      const batch = queued;
      queued = [];
      let newest: number | null = null;
      for (const s of batch) {
        const m = markerOf(s);
        if (!m || !add(s.key, m)) continue;
        if (newest === null || m.time > newest) newest = m.time;
      }
      if (newest === null) return;
      liveSeen.current = true;
      if (!draw()) return;
      follow(newest);
      count();
    };
    const off = store.onBatch((batch: readonly FeedSignal[]) => {
      for (const s of batch) if (s.pairId === pairId) queued.push(s);
      if (queued.length && timer === null) timer = setTimeout(apply, 0);
    });
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, [store, pairId, draw, add, follow, count]);

  // The user scrolls or zooms: the visible count follows.
  useEffect(() => {
    const scale = chart.current?.chart?.timeScale();
    if (!scale) return undefined;
    let pending = false;
    const onRange = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        count();
      });
    };
    scale.subscribeVisibleLogicalRangeChange(onRange);
    return () => scale.unsubscribeVisibleLogicalRangeChange(onRange);
  }, [data, count, prefs.theme, prefs.time, prefs.upColor]);

  if (spread.isLoading) return <Loading label="Loading the z-score…" />;
  if (spread.error) return <Alert error={spread.error} title="Could not load the z-score" onRetry={() => void spread.refetch()} />;
  return (
    <div ref={frame} className="zchart" data-testid="live-zscore-chart" data-markers="0" data-markers-visible="0">
      <TimeChart
        label={`Z-score of ${label} with live signals`}
        summary={`${data.length} bars, z-score${bands.lookback ? ` over ${bands.lookback} bars` : ""}; dashed bands at ±${entry} (entry) and ±${exit} (exit)${stop ? ` and ±${stop} (stop)` : ""}; markers: ▲ enter long, ▼ enter short, ● exit, ■ stop. The view follows the newest signal.`}
        height={320}
        handleRef={chart}
        panes={panes}
      />
    </div>
  );
});
