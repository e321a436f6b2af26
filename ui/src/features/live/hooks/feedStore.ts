/**
 * The live feed's state, outside React: signals pushed from the WebSocket are queued and
 * applied together on an animation frame, at most every {@link FLUSH_INTERVAL_MS} (a steady
 * 100 signals/s costs 10 small updates a second, not 100 renders nor 60 chart repaints; a
 * lone signal after a quiet spell shows on the next frame), kept newest first and bounded at
 * {@link FEED_CAP}. Only the components that show the feed
 * subscribe (`useSyncExternalStore`), so a signal never re-renders the page around them; the
 * chart takes each frame's batch through {@link FeedStore.onBatch} and draws its markers
 * once per frame.
 *
 * Order: newest first by arrival, except that a pair's signals always stay in seq order. A
 * signal older (lower seq) than one of its pair already shown - a signal caught up after a
 * reconnect while newer live ones were already in - goes below that pair's newer signals
 * instead of on top. Duplicates (same pair and seq) are dropped.
 */
import { useSyncExternalStore } from "react";
import type { StreamEvent } from "@/lib/ws";

export const FEED_CAP = 200;
/** The least time between two updates of the feed (and of the chart's markers). */
export const FLUSH_INTERVAL_MS = 100;
/** How many signal ids the duplicate check remembers (more than the feed holds). */
const SEEN_CAP = 20_000;

export interface FeedSignal {
  key: string;
  pairId: number;
  seq: number;
  ts: string;
  kind: string;
  zscore: number | null;
  source: string;
}

export interface FeedSnapshot {
  /** Newest first, at most {@link FEED_CAP}. */
  items: readonly FeedSignal[];
  /** Distinct signals received since the page opened. */
  total: number;
}

export function toFeedSignal(event: StreamEvent): FeedSignal | null {
  if (event.type !== "signal" || !event.data) return null;
  const d = event.data;
  const pairId = Number(d.pair_id);
  const seq = Number(event.seq ?? d.seq);
  if (!Number.isFinite(pairId) || !Number.isFinite(seq)) return null;
  return {
    key: `${pairId}:${seq}`,
    pairId,
    seq,
    ts: String(d.ts ?? ""),
    kind: String(d.kind ?? ""),
    zscore: typeof d.zscore === "number" ? d.zscore : null,
    source: typeof d.source === "string" ? d.source : "live",
  };
}

type Schedule = (cb: () => void) => () => void;

const frameSchedule: Schedule =
  typeof requestAnimationFrame === "function"
    ? (cb) => {
        const id = requestAnimationFrame(cb);
        return () => cancelAnimationFrame(id);
      }
    : (cb) => {
        const id = setTimeout(cb, 16);
        return () => clearTimeout(id);
      };

interface Ranked {
  s: FeedSignal;
  /** Higher is newer: the arrival counter, or just below a newer signal of its pair. */
  rank: number;
}

export class FeedStore {
  private ranked: Ranked[] = [];
  private pending: FeedSignal[] = [];
  private cancel: (() => void) | null = null;
  private arrivals = 0;
  private total = 0;
  private readonly seen = new Set<string>();
  private snapshot: FeedSnapshot = { items: [], total: 0 };
  private readonly listeners = new Set<() => void>();
  private readonly batchListeners = new Set<(batch: readonly FeedSignal[]) => void>();

  private lastFlush = -Infinity;

  constructor(
    private readonly cap = FEED_CAP,
    private readonly schedule: Schedule = frameSchedule,
    private readonly interval = FLUSH_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Queue a signal; it is applied with the others of its frame (see the module notes). */
  push(signal: FeedSignal): void {
    this.pending.push(signal);
    if (this.cancel) return;
    const wait = this.lastFlush + this.interval - this.now();
    const onFrame = () => {
      this.cancel = null;
      this.flush();
    };
    if (wait <= 0) {
      this.cancel = this.schedule(onFrame);
      return;
    }
    let frame: (() => void) | null = null;
    const timer = setTimeout(() => {
      frame = this.schedule(onFrame);
    }, wait);
    this.cancel = () => {
      clearTimeout(timer);
      frame?.();
    };
  }

  /** Queue a stream event when it is a signal. */
  pushEvent(event: StreamEvent): void {
    const s = toFeedSignal(event);
    if (s) this.push(s);
  }

  /** Apply the queued signals now (the frame callback; tests). */
  flush(): void {
    this.lastFlush = this.now();
    const queued = this.pending;
    this.pending = [];
    const batch: FeedSignal[] = [];
    for (const s of queued) {
      if (this.seen.has(s.key)) continue;
      this.remember(s.key);
      batch.push(s);
    }
    if (!batch.length) return;
    this.total += batch.length;
    this.ranked = this.merge(batch);
    this.snapshot = { items: this.ranked.map((r) => r.s), total: this.total };
    this.batchListeners.forEach((l) => l(batch));
    this.listeners.forEach((l) => l());
  }

  private remember(key: string): void {
    this.seen.add(key);
    if (this.seen.size > SEEN_CAP) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }

  private merge(batch: FeedSignal[]): Ranked[] {
    // The newest held seq of each pair, and (for the rare out-of-order signal) its entries.
    const newest = new Map<number, number>();
    for (const r of this.ranked) if ((newest.get(r.s.pairId) ?? -Infinity) < r.s.seq) newest.set(r.s.pairId, r.s.seq);
    const fresh: Ranked[] = [];
    let late = false;
    for (const s of batch) {
      const top = newest.get(s.pairId);
      if (top !== undefined && s.seq < top) {
        late = true;
        fresh.push({ s, rank: this.rankBelow(s, [...fresh, ...this.ranked]) });
        continue;
      }
      this.arrivals += 1;
      newest.set(s.pairId, s.seq);
      fresh.push({ s, rank: this.arrivals });
    }
    if (!late) {
      // The common case: everything goes on top, newest first.
      const next = fresh.reverse().concat(this.ranked);
      return next.length > this.cap ? next.slice(0, this.cap) : next;
    }
    const next = fresh.concat(this.ranked).sort((a, b) => b.rank - a.rank);
    return next.length > this.cap ? next.slice(0, this.cap) : next;
  }

  /** A rank just below the oldest held signal of the same pair that is newer than `s`. */
  private rankBelow(s: FeedSignal, held: Ranked[]): number {
    let above: Ranked | null = null;
    for (const r of held) if (r.s.pairId === s.pairId && r.s.seq > s.seq && (above === null || r.s.seq < above.s.seq)) above = r;
    if (above === null) return this.arrivals + 1;
    // Several late signals below one newer signal keep their seq order among themselves.
    return above.rank - Math.min(0.5, (above.s.seq - s.seq) * 1e-6);
  }

  getSnapshot = (): FeedSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Each frame's new signals (after the duplicate check), oldest first. */
  onBatch(listener: (batch: readonly FeedSignal[]) => void): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  /** Stop the pending frame (the page unmounts). */
  dispose(): void {
    this.cancel?.();
    this.cancel = null;
    this.pending = [];
  }
}

export function useFeed(store: FeedStore): FeedSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
