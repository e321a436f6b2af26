/**
 * Live: monitors, the replay feed, the live signal feed and the pair's z-score with live
 * markers.
 *
 * Speed (100 signals/s without a main-thread task over 50 ms): signals go into a feed store
 * (one update per animation frame), never into this page's state, so a signal renders only
 * the feed list and sets the chart's markers; the page itself re-renders when the monitors
 * are refetched (at most every {@link MONITORS_REFRESH_MS} while signals arrive), the
 * selection or the connection state change.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { PageHeader, Panel } from "@/components/Page";
import { Notice } from "@/components/Status";
import { useCatchUpNotice, useConnectionState, useTopic } from "@/lib/stream";
import { useMonitors, monitorsKey } from "../api/monitors";
import { useParameterSets } from "../api/pairs";
import { LiveFeed } from "../components/LiveFeed";
import { MonitorForm } from "../components/MonitorForm";
import { MonitorList } from "../components/MonitorList";
import { ReplayPanel } from "../components/ReplayPanel";
import { DEFAULT_BANDS, ZScoreChart, type ZBands } from "../components/ZScoreChart";
import { FeedStore } from "../hooks/feedStore";

const STATE_TEXT = { connecting: "connecting…", open: "connected, live", reconnecting: "connection lost, reconnecting…", closed: "offline" } as const;

/** The monitors' table (position, last bar) is refreshed this often while signals arrive. */
export const MONITORS_REFRESH_MS = 2_000;

export default function LivePage() {
  const monitors = useMonitors();
  const client = useQueryClient();
  const [selected, setSelected] = useState<number | null>(null);
  const state = useConnectionState();
  const notice = useCatchUpNotice();
  const [store] = useState(() => new FeedStore());
  useEffect(() => () => store.dispose(), [store]);
  const rows = useMemo(() => monitors.data?.results ?? [], [monitors.data]);
  const pairId = selected ?? rows[0]?.pair_id ?? null;
  const current = rows.find((m) => m.pair_id === pairId);
  const pairNames = useMemo(() => new Map(rows.map((m) => [m.pair_id, `${m.symbol_1}/${m.symbol_2}`])), [rows]);
  const label = current ? `${current.symbol_1}/${current.symbol_2}` : "";
  const sets = useParameterSets(pairId);
  const setId = current?.parameter_set_id ?? null;
  const chosen = sets.data?.results.find((s) => s.id === setId);
  const bands = useMemo<ZBands>(
    () => (chosen ? { lookback: chosen.lookback, entry: chosen.entry_z, exit: chosen.exit_z, stop: chosen.stop_z } : DEFAULT_BANDS),
    [chosen],
  );
  const bandsReady = setId === null || !sets.isLoading;

  useTopic("signals", (event) => store.pushEvent(event));

  // The selected pair's own topic (its seq stream: resubscribed with since_seq after a
  // drop); its signals mark the monitors' table stale, refetched at most every 2 s.
  const refresh = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (refresh.current) clearTimeout(refresh.current);
    },
    [],
  );
  // Back after a dropped connection: the table may have missed changes.
  const lost = useRef(false);
  useEffect(() => {
    if (state === "reconnecting") lost.current = true;
    else if (state === "open" && lost.current) {
      lost.current = false;
      void client.invalidateQueries({ queryKey: monitorsKey });
    }
  }, [state, client]);
  useTopic(pairId !== null ? `pair:${pairId}` : null, (event) => {
    if (event.type !== "signal" || refresh.current) return;
    refresh.current = setTimeout(() => {
      refresh.current = null;
      void client.invalidateQueries({ queryKey: monitorsKey });
    }, MONITORS_REFRESH_MS);
  });

  return (
    <>
      <PageHeader
        title="Live"
        subtitle={
          <span role="status" aria-live="polite" data-testid="live-connection">
            Connection: {STATE_TEXT[state]}
          </span>
        }
      />
      {notice && state === "open" && (
        <Notice tone={notice.missed ? "warning" : "info"}>
          <span data-testid="live-caught-up" data-missed={notice.missed}>
            Reconnected: caught up {notice.missed} missed signal{notice.missed === 1 ? "" : "s"}.
          </span>
        </Notice>
      )}
      <Panel title="New monitor">
        <MonitorForm />
      </Panel>
      <Panel title="Monitors">
        <MonitorList selected={pairId} onSelect={(m) => setSelected(m.pair_id)} />
      </Panel>
      {pairId !== null && current && (
        <div className="grid-2">
          <Panel title={`Z-score of ${label}`}>
            {bandsReady && <ZScoreChart key={pairId} pairId={pairId} label={label} bands={bands} store={store} />}
          </Panel>
          <Panel title={`Replay ${label}`}>
            <ReplayPanel pairId={pairId} label={label} />
          </Panel>
        </div>
      )}
      <Panel title="Live feed">
        <LiveFeed store={store} pairNames={pairNames} />
      </Panel>
    </>
  );
}
