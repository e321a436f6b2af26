/**
 * The live feed list (newest first, bounded). It subscribes to the feed store itself, so a
 * frame of new signals renders this list only (rows are memoised: a frame adds a few rows
 * and drops as many at the end; rows far down the list are skipped by the browser until
 * scrolled to, see {@link NEAR_ROWS}). Kind is a word and an arrow, not colour alone.
 */
import "./live.css";
import { memo } from "react";
import { EmptyState } from "@/components/EmptyState";
import { formatNumber, formatTime } from "@/lib/format";
import { useDisplayPrefs } from "@/lib/prefs";
import { FEED_CAP, useFeed, type FeedSignal, type FeedStore } from "../hooks/feedStore";

const KIND: Record<string, { mark: string; text: string; tone: string }> = {
  enter_long: { mark: "▲", text: "enter long", tone: "up" },
  enter_short: { mark: "▼", text: "enter short", tone: "down" },
  exit: { mark: "●", text: "exit", tone: "neutral" },
  stop: { mark: "■", text: "stop", tone: "warning" },
};

export function kindLabel(kind: string) {
  return KIND[kind] ?? { mark: "◆", text: kind.replace(/_/g, " "), tone: "neutral" };
}

/** Rows from this one down are below the list's scrolled-to top (360 px hold about 13): the
 * browser skips their style, layout and paint until the list is scrolled near them
 * (`content-visibility: auto`). A frame that replaces the whole list (a burst after a stall)
 * then lays out and paints about 24 rows, not 200. A flag, not `:nth-child`, so an insertion
 * on top re-styles only the rows that cross it. */
export const NEAR_ROWS = 24;

const Row = memo(function Row({ s, pairName, timeMode, far }: { s: FeedSignal; pairName: string; timeMode: "utc" | "local"; far: boolean }) {
  const k = kindLabel(s.kind);
  return (
    <li className={`feed-row tone-${k.tone}${far ? " feed-row-far" : ""}`} data-key={s.key}>
      <span className="feed-kind">
        <span aria-hidden="true">{k.mark} </span>
        {k.text}
      </span>
      <span className="feed-pair">{pairName}</span>
      <span className="feed-z">z {formatNumber(s.zscore, 2)}</span>
      <span className="feed-ts">{formatTime(s.ts, timeMode, false)}</span>
      <span className="feed-seq">#{s.seq}</span>
      {s.source === "replay" && <span className="badge">replay</span>}
    </li>
  );
});

export const LiveFeed = memo(function LiveFeed({ store, pairNames }: { store: FeedStore; pairNames: Map<number, string> }) {
  const { time: timeMode } = useDisplayPrefs();
  const { items, total } = useFeed(store);
  if (items.length === 0)
    return (
      <EmptyState title="No signal yet">
        Signals appear here the moment a monitor decides. To see some now, start a replay of a monitor above.
      </EmptyState>
    );
  return (
    <>
      <p className="field-hint" aria-live="off">
        {total} signal{total === 1 ? "" : "s"} received{total > FEED_CAP ? ` · showing the newest ${FEED_CAP}` : ""}
      </p>
      <ol className="feed" aria-label="Live signals" data-total={total} tabIndex={0}>
        {items.map((s, i) => (
          <Row key={s.key} s={s} pairName={pairNames.get(s.pairId) ?? `pair ${s.pairId}`} timeMode={timeMode} far={i >= NEAR_ROWS} />
        ))}
      </ol>
    </>
  );
});
