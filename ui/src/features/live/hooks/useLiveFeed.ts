/**
 * The live feed: every `signal` event of the user's `signals` topic, batched into one React
 * update per animation frame (100 signals/s cost ~60 small renders, not 100), the rendered
 * list capped at {@link FEED_CAP} newest entries. `onBatch` gets each frame's new signals
 * (the chart adds them as markers without a re-render).
 */
import { useEffect, useRef, useState } from "react";
import { useTopic } from "@/lib/stream";
import type { StreamEvent } from "@/lib/ws";

export const FEED_CAP = 200;

export interface FeedSignal {
  key: string;
  pairId: number;
  seq: number;
  ts: string;
  kind: string;
  zscore: number | null;
  source: string;
}

export function toFeedSignal(event: StreamEvent): FeedSignal | null {
  if (event.type !== "signal" || !event.data) return null;
  const d = event.data;
  const pairId = Number(d.pair_id);
  const seq = Number(event.seq ?? d.seq);
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

const schedule: (cb: () => void) => number =
  typeof requestAnimationFrame === "function" ? (cb) => requestAnimationFrame(cb) : (cb) => setTimeout(cb, 16) as unknown as number;

export function useLiveFeed(onBatch?: (batch: FeedSignal[]) => void) {
  const [feed, setFeed] = useState<FeedSignal[]>([]);
  const [total, setTotal] = useState(0);
  const pending = useRef<FeedSignal[]>([]);
  const scheduled = useRef(false);
  const batchRef = useRef(onBatch);
  batchRef.current = onBatch;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useTopic("signals", (event) => {
    const s = toFeedSignal(event);
    if (!s) return;
    pending.current.push(s);
    if (scheduled.current) return;
    scheduled.current = true;
    schedule(() => {
      scheduled.current = false;
      if (!mounted.current) return;
      const batch = pending.current;
      pending.current = [];
      batchRef.current?.(batch);
      setTotal((t) => t + batch.length);
      setFeed((old) => {
        const next = [...batch.reverse(), ...old];
        return next.length > FEED_CAP ? next.slice(0, FEED_CAP) : next;
      });
    });
  });
  return { feed, total };
}
