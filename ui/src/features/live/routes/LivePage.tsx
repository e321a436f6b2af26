/** Live: monitors, the replay feed, the live signal feed and the pair's z-score with live markers. */
import { useCallback, useMemo, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { PageHeader, Panel } from "@/components/Page";
import { Notice } from "@/components/Status";
import { useCatchUpNotice, useConnectionState, useTopic } from "@/lib/stream";
import { useMonitors, monitorsKey } from "../api/monitors";
import { LiveFeed } from "../components/LiveFeed";
import { MonitorForm } from "../components/MonitorForm";
import { MonitorList } from "../components/MonitorList";
import { ReplayPanel } from "../components/ReplayPanel";
import { ZScoreChart, type ZChartHandle } from "../components/ZScoreChart";
import { toFeedSignal, useLiveFeed, type FeedSignal } from "../hooks/useLiveFeed";

const STATE_TEXT = { connecting: "connecting…", open: "connected, live", reconnecting: "connection lost, reconnecting…", closed: "offline" } as const;

export default function LivePage() {
  const monitors = useMonitors();
  const client = useQueryClient();
  const [selected, setSelected] = useState<number | null>(null);
  const state = useConnectionState();
  const notice = useCatchUpNotice();
  const chart = useRef<ZChartHandle>(null);
  const rows = monitors.data?.results ?? [];
  const pairId = selected ?? rows[0]?.pair_id ?? null;
  const current = rows.find((m) => m.pair_id === pairId);
  const pairNames = useMemo(() => new Map(rows.map((m) => [m.pair_id, `${m.symbol_1}/${m.symbol_2}`])), [rows]);
  const label = current ? `${current.symbol_1}/${current.symbol_2}` : "";

  const onBatch = useCallback(
    (batch: FeedSignal[]) => {
      const mine = batch.filter((s) => s.pairId === pairId);
      if (mine.length) chart.current?.addSignals(mine);
    },
    [pairId],
  );
  const { feed, total } = useLiveFeed(onBatch);
  // The selected pair's own topic (its seq stream: resubscribed with since_seq after a drop).
  useTopic(pairId !== null ? `pair:${pairId}` : null, (event) => {
    if (toFeedSignal(event)) void client.invalidateQueries({ queryKey: monitorsKey, refetchType: "none" });
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
          Reconnected: caught up {notice.missed} missed signal{notice.missed === 1 ? "" : "s"}.
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
            <ZScoreChart key={pairId} pairId={pairId} label={label} handleRef={chart} />
          </Panel>
          <Panel title={`Replay ${label}`}>
            <ReplayPanel pairId={pairId} label={label} />
          </Panel>
        </div>
      )}
      <Panel title="Live feed">
        <LiveFeed feed={feed} total={total} pairNames={pairNames} />
      </Panel>
    </>
  );
}
