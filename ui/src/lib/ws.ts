/**
 * The `/ws/stream/` client (docs/api.md, realtime/consumers.py).
 *
 * - First-message auth: `{"type":"auth","token":...}` right after the socket opens; the token
 *   never goes into the URL.
 * - Reconnects with exponential backoff and jitter; after a reconnect every topic is
 *   subscribed again, `pair:` topics with `since_seq` = the last seq seen, so the server
 *   replays what was missed; the `signals` topic (seqs per pair) catches up through REST.
 * - Gap detection: a `pair:` event whose seq jumps resubscribes with `since_seq`; a gap in a
 *   pair's seqs on `signals` is fetched through REST. Duplicates (seq already seen) are dropped.
 * - `resync` frames (a slow consumer): resubscribe with `since_seq`, or for `signals` fetch
 *   the listed `missed` ranges through REST.
 * - Close code 4401: refresh the access token once and reconnect; if that fails, or the next
 *   connection is refused again, `onUnauthenticated` (the sign-in).
 * - After each reconnect, a notice says how many missed signals it caught up.
 */

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

/** A server frame that belongs to a topic (`signal`, `task.progress`, ...). */
export interface StreamEvent {
  type: string;
  topic: string;
  seq?: number;
  data?: Record<string, unknown>;
  [extra: string]: unknown;
}

export type TopicListener = (event: StreamEvent) => void;

export interface CatchUpNotice {
  kind: "caught-up";
  /** Distinct signals received while catching up (replay, REST ranges, resync). */
  missed: number;
  at: number;
}

export interface StreamErrorFrame {
  type: "error";
  code: string;
  message: string;
}

export const CLOSE_UNAUTHENTICATED = 4401;

export interface StreamOptions {
  /** Default: `ws(s)://<this host>/ws/stream/`. */
  url?: string | (() => string);
  getToken: () => string | null;
  /** Renew the access token; false when the session is gone. */
  refresh: () => Promise<boolean>;
  /** The session is gone: show the sign-in. */
  onUnauthenticated: () => void;
  /** Signals of one pair with `afterSeq < seq <= untilSeq` (REST `GET signals/`). */
  fetchSignals?: (pairId: string, afterSeq: number, untilSeq?: number) => Promise<StreamEvent[]>;
  WebSocketImpl?: { new (url: string): WebSocket };
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  /** Heartbeat: a ping this often; no frame for two intervals closes and reconnects. */
  pingIntervalMs?: number;
}

function defaultUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss" : "ws"}://${host}/ws/stream/`;
}

const SIGNALS = "signals";

export class StreamClient {
  private readonly opts: StreamOptions;
  private ws: WebSocket | null = null;
  private state: ConnectionState = "closed";
  private started = false;
  private attempt = 0;
  private authRetried = false;
  private everOpened = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private readonly listeners = new Map<string, Set<TopicListener>>();
  /** Last seq delivered per `pair:` topic, and per pair on `signals` (`signals|<pair>`). */
  private readonly lastSeq = new Map<string, number>();
  /** Topics resubscribed after a gap: their live events are dropped until `subscribed`. */
  private readonly resyncing = new Set<string>();
  /** `<pair>:<seq>` of the signals delivered on `signals` (bounded): no duplicates. */
  private readonly delivered = new Set<string>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private readonly noticeListeners = new Set<(n: CatchUpNotice) => void>();
  private readonly errorListeners = new Set<(e: StreamErrorFrame) => void>();
  /** Catch-up window after a reconnect: ends at the pong of `barrier`. */
  private catchUp: { barrier: string; seen: Set<string>; pending: number; pongSeen: boolean } | null = null;
  private barrierCount = 0;
  lastNotice: CatchUpNotice | null = null;

  constructor(opts: StreamOptions) {
    this.opts = opts;
  }

  // -- public API ---------------------------------------------------------------------------

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** Open the connection (idempotent). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.authRetried = false;
    this.connect();
  }

  /** Close for good (sign-out); subscriptions are kept for the next start. */
  stop(): void {
    this.started = false;
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= 1) ws.close(1000);
    this.setState("closed");
  }

  /** Follow a topic; returns the unsubscribe function. */
  subscribe(topic: string, listener: TopicListener): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
      if (this.state === "open") this.sendSubscribe(topic);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(topic);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.listeners.delete(topic);
        this.resyncing.delete(topic);
        this.forgetSeqs(topic);
        if (this.state === "open") this.send({ type: "unsubscribe", topic });
      }
    };
  }

  /** The last seq seen on a `pair:` topic (or of a pair on `signals`: `lastSeen("signals", 7)`). */
  lastSeen(topic: string, pairId?: string | number): number | undefined {
    return this.lastSeq.get(pairId === undefined ? topic : `${SIGNALS}|${pairId}`);
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onNotice(listener: (n: CatchUpNotice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  onError(listener: (e: StreamErrorFrame) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Drop the socket as a network failure would (tests, "reconnect now"). */
  reconnectNow(): void {
    this.ws?.close(4000);
  }

  // -- connection ---------------------------------------------------------------------------

  private setState(next: ConnectionState): void {
    if (this.state === next) return;
    this.state = next;
    this.stateListeners.forEach((l) => l(next));
  }

  private url(): string {
    const { url } = this.opts;
    if (typeof url === "function") return url();
    return url ?? defaultUrl();
  }

  private connect(): void {
    if (!this.started) return;
    this.setState(this.everOpened ? "reconnecting" : "connecting");
    const Impl = this.opts.WebSocketImpl ?? WebSocket;
    const ws = new Impl(this.url());
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      const token = this.opts.getToken();
      if (!token) {
        ws.close(1000);
        void this.unauthenticated();
        return;
      }
      ws.send(JSON.stringify({ type: "auth", token }));
    };
    ws.onmessage = (msg: MessageEvent) => {
      if (this.ws !== ws) return;
      this.lastFrameAt = Date.now();
      let frame: unknown;
      try {
        frame = JSON.parse(String(msg.data));
      } catch {
        return;
      }
      if (frame && typeof frame === "object") this.handle(frame as Record<string, unknown>);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.clearPing();
      if (!this.started) return;
      if (ev.code === CLOSE_UNAUTHENTICATED) {
        void this.unauthenticated();
        return;
      }
      this.scheduleReconnect();
    };
  }

  /** 4401 (or no token): refresh once and reconnect, else give up to the sign-in. */
  private async unauthenticated(): Promise<void> {
    if (!this.authRetried) {
      this.authRetried = true;
      this.setState("reconnecting");
      if (await this.opts.refresh()) {
        if (this.started) this.connect();
        return;
      }
    }
    this.started = false;
    this.setState("closed");
    this.opts.onUnauthenticated();
  }

  /** The delay before reconnect attempt `attempt` (0-based): capped 2^n backoff, jittered. */
  backoffDelay(attempt: number): number {
    const base = this.opts.baseDelayMs ?? 500;
    const max = this.opts.maxDelayMs ?? 30_000;
    const ceiling = Math.min(max, base * 2 ** attempt);
    const random = this.opts.random ?? Math.random;
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  private scheduleReconnect(): void {
    this.setState("reconnecting");
    const delay = this.backoffDelay(this.attempt);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private clearPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private clearTimers(): void {
    this.clearPing();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private startPing(): void {
    const every = this.opts.pingIntervalMs ?? 25_000;
    if (every <= 0) return;
    this.clearPing();
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastFrameAt > 2 * every) {
        this.ws?.close(4000);
        return;
      }
      this.send({ type: "ping", ts: Date.now() });
    }, every);
  }

  private send(frame: Record<string, unknown>): void {
    if (this.ws && this.ws.readyState === 1) this.ws.send(JSON.stringify(frame));
  }

  private sendSubscribe(topic: string, sinceSeq?: number): void {
    const since = sinceSeq ?? (topic.startsWith("pair:") ? this.lastSeq.get(topic) : undefined);
    this.send(since === undefined ? { type: "subscribe", topic } : { type: "subscribe", topic, since_seq: since });
  }

  private forgetSeqs(topic: string): void {
    if (topic === SIGNALS) {
      for (const key of [...this.lastSeq.keys()]) if (key.startsWith(`${SIGNALS}|`)) this.lastSeq.delete(key);
    } else this.lastSeq.delete(topic);
  }

  // -- frames -------------------------------------------------------------------------------

  private handle(frame: Record<string, unknown>): void {
    const type = frame.type;
    switch (type) {
      case "authenticated":
        this.onAuthenticated();
        return;
      case "pong":
        if (this.catchUp && frame.ts === this.catchUp.barrier) {
          this.catchUp.pongSeen = true;
          this.maybeFinishCatchUp();
        }
        return;
      case "ping":
        this.send({ type: "pong", ts: frame.ts });
        return;
      case "subscribed":
        this.resyncing.delete(String(frame.topic));
        return;
      case "unsubscribed":
        return;
      case "error":
        this.errorListeners.forEach((l) => l(frame as unknown as StreamErrorFrame));
        return;
      case "resync":
        this.onResync(frame);
        return;
      default:
        if (typeof frame.topic === "string") this.onEvent(frame as StreamEvent);
    }
  }

  private onAuthenticated(): void {
    const reconnect = this.everOpened;
    this.everOpened = true;
    this.attempt = 0;
    this.authRetried = false;
    this.setState("open");
    this.startPing();
    this.resyncing.clear();
    if (reconnect) {
      this.barrierCount += 1;
      this.catchUp = { barrier: `catch-up-${this.barrierCount}`, seen: new Set(), pending: 0, pongSeen: false };
    }
    for (const topic of this.listeners.keys()) {
      this.sendSubscribe(topic);
      if (reconnect && topic === SIGNALS) this.fetchSignalGaps();
    }
    if (this.catchUp) this.send({ type: "ping", ts: this.catchUp.barrier });
  }

  /** After a reconnect: each pair's signals after the last seq seen, through REST. */
  private fetchSignalGaps(): void {
    for (const [key, seq] of this.lastSeq) {
      if (key.startsWith(`${SIGNALS}|`)) this.fetchRange(key.slice(SIGNALS.length + 1), seq);
    }
  }

  private fetchRange(pairId: string, afterSeq: number, untilSeq?: number): void {
    const fetchSignals = this.opts.fetchSignals;
    if (!fetchSignals) return;
    if (this.catchUp) this.catchUp.pending += 1;
    const window = this.catchUp;
    fetchSignals(pairId, afterSeq, untilSeq)
      .then((events) => {
        for (const event of events) this.deliverSignalsEvent({ ...event, topic: SIGNALS }, true);
      })
      .catch(() => undefined)
      .finally(() => {
        if (window && window === this.catchUp) {
          window.pending -= 1;
          this.maybeFinishCatchUp();
        }
      });
  }

  private maybeFinishCatchUp(): void {
    const c = this.catchUp;
    if (!c || !c.pongSeen || c.pending > 0) return;
    this.catchUp = null;
    this.notice(c.seen.size);
  }

  private notice(missed: number): void {
    const notice: CatchUpNotice = { kind: "caught-up", missed, at: Date.now() };
    this.lastNotice = notice;
    this.noticeListeners.forEach((l) => l(notice));
  }

  private onResync(frame: Record<string, unknown>): void {
    const topic = String(frame.topic);
    if (!this.listeners.has(topic)) return;
    if (topic === SIGNALS) {
      const missed = (frame.missed ?? {}) as Record<string, [number, number]>;
      const total = { count: 0 };
      const before = this.catchUp;
      if (!before) this.catchUp = { barrier: "", seen: new Set(), pending: 0, pongSeen: true };
      for (const [pair, [first, last]] of Object.entries(missed)) {
        total.count += 1;
        this.fetchRange(pair, first - 1, last);
      }
      if (!total.count) this.maybeFinishCatchUp();
      return;
    }
    const since = typeof frame.since_seq === "number" ? frame.since_seq : this.lastSeq.get(topic);
    this.resyncing.add(topic);
    this.sendSubscribe(topic, since);
  }

  private onEvent(event: StreamEvent): void {
    const topic = event.topic;
    if (topic === SIGNALS) {
      this.deliverSignalsEvent(event, false);
      return;
    }
    if (topic.startsWith("pair:") && typeof event.seq === "number") {
      if (this.resyncing.has(topic)) return; // the resubscription replays it
      const last = this.lastSeq.get(topic);
      if (last !== undefined && event.seq <= last) return; // duplicate
      if (last !== undefined && event.seq > last + 1) {
        this.resyncing.add(topic);
        this.sendSubscribe(topic, last);
        return;
      }
      this.lastSeq.set(topic, event.seq);
      if (this.catchUp && event.type === "signal") this.catchUp.seen.add(`${topic.slice(5)}:${event.seq}`);
    }
    this.dispatch(topic, event);
  }

  private deliverSignalsEvent(event: StreamEvent, fetched: boolean): void {
    const pair = event.data?.pair_id;
    if (typeof event.seq !== "number" || pair === undefined || pair === null) {
      this.dispatch(SIGNALS, event);
      return;
    }
    const key = `${SIGNALS}|${String(pair)}`;
    const last = this.lastSeq.get(key);
    const id = `${String(pair)}:${event.seq}`;
    if (this.delivered.has(id)) return; // duplicate
    if (fetched) {
      // A caught-up signal: older than the live ones, delivered once.
      this.remember(id);
      if (this.catchUp) this.catchUp.seen.add(`${String(pair)}:${event.seq}`);
      if (last === undefined || event.seq > last) this.lastSeq.set(key, event.seq);
      this.dispatch(SIGNALS, event);
      return;
    }
    if (last !== undefined && event.seq <= last) return; // duplicate
    if (last !== undefined && event.seq > last + 1) {
      if (!this.catchUp) this.catchUp = { barrier: "", seen: new Set(), pending: 0, pongSeen: true };
      this.fetchRange(String(pair), last, event.seq - 1);
    }
    this.lastSeq.set(key, event.seq);
    this.remember(id);
    this.dispatch(SIGNALS, event);
  }

  private remember(id: string): void {
    this.delivered.add(id);
    if (this.delivered.size > 10_000) {
      const oldest = this.delivered.values().next().value;
      if (oldest !== undefined) this.delivered.delete(oldest);
    }
  }

  private dispatch(topic: string, event: StreamEvent): void {
    this.listeners.get(topic)?.forEach((l) => {
      try {
        l(event);
      } catch (error) {
        console.error("stream listener failed", error);
      }
    });
  }
}
