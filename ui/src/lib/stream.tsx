/**
 * React bindings of the WebSocket client: one {@link StreamClient} per app, started while
 * the session is signed in.
 *
 *   useTopic("pair:7", (event) => ...)     follow a topic while mounted
 *   useConnectionState()                    "connecting" | "open" | "reconnecting" | "closed"
 *   useCatchUpNotice()                      the last "caught up N missed signals" notice
 */
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { api } from "./api";
import { expire, getAccessToken, refresh, useSession } from "./session";
import { StreamClient, type CatchUpNotice, type ConnectionState, type StreamEvent, type TopicListener } from "./ws";

interface SignalPage {
  results: Array<{ pair_id?: number; pair?: number; seq: number; [k: string]: unknown }>;
  next: string | null;
}

/** Signals of one pair after `afterSeq` (up to `untilSeq`), as stream events. */
export async function fetchSignalsAsEvents(pairId: string, afterSeq: number, untilSeq?: number): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  let since = afterSeq;
  for (let page = 0; page < 20; page += 1) {
    const answer = await api.get<SignalPage>("signals/", { pair: pairId, since_seq: since, until_seq: untilSeq, limit: 500 });
    for (const row of answer.results) {
      events.push({ type: "signal", topic: "signals", seq: row.seq, data: { ...row, pair_id: row.pair_id ?? row.pair ?? Number(pairId) } });
      since = Math.max(since, row.seq);
    }
    if (!answer.next || answer.results.length === 0) break;
  }
  return events;
}

export function createStreamClient(): StreamClient {
  return new StreamClient({
    getToken: getAccessToken,
    refresh,
    onUnauthenticated: expire,
    fetchSignals: fetchSignalsAsEvents,
  });
}

let defaultClient: StreamClient | null = null;
function getDefaultClient(): StreamClient {
  defaultClient ??= createStreamClient();
  return defaultClient;
}

const StreamContext = createContext<StreamClient | null>(null);

/** Provides the client and starts/stops it with the session. */
export function StreamProvider({ client, children }: { client?: StreamClient; children: ReactNode }) {
  const [instance] = useState(() => client ?? getDefaultClient());
  const { status } = useSession();
  useEffect(() => {
    if (status === "signed-in") instance.start();
    else if (status === "signed-out" || status === "expired") instance.stop();
  }, [status, instance]);
  return <StreamContext.Provider value={instance}>{children}</StreamContext.Provider>;
}

export function useStreamClient(): StreamClient {
  return useContext(StreamContext) ?? getDefaultClient();
}

/** Follow `topic` while mounted (null: nothing). The latest `onEvent` is always called. */
export function useTopic(topic: string | null | undefined, onEvent: TopicListener): void {
  const client = useStreamClient();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!topic) return undefined;
    return client.subscribe(topic, (event) => handler.current(event));
  }, [client, topic]);
}

export function useConnectionState(): ConnectionState {
  const client = useStreamClient();
  return useSyncExternalStore(
    (cb) => client.onState(cb),
    () => client.connectionState,
    () => client.connectionState,
  );
}

/** The latest catch-up notice after a reconnect (null before the first). */
export function useCatchUpNotice(): CatchUpNotice | null {
  const client = useStreamClient();
  const [notice, setNotice] = useState<CatchUpNotice | null>(client.lastNotice);
  useEffect(() => client.onNotice(setNotice), [client]);
  return notice;
}
