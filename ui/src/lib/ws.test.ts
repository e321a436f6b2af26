import { CLOSE_UNAUTHENTICATED, StreamClient, type StreamEvent, type StreamOptions } from "./ws";
import { FakeWebSocket } from "@/test/fakeWebSocket";

function client(over: Partial<StreamOptions> = {}) {
  const calls = { refresh: 0, unauthenticated: 0, fetched: [] as Array<[string, number, number | undefined]> };
  const c = new StreamClient({
    url: "ws://test/ws/stream/",
    getToken: () => "tok-1",
    refresh: async () => {
      calls.refresh += 1;
      return true;
    },
    onUnauthenticated: () => {
      calls.unauthenticated += 1;
    },
    WebSocketImpl: FakeWebSocket as unknown as StreamOptions["WebSocketImpl"],
    random: () => 0.5,
    baseDelayMs: 100,
    maxDelayMs: 2_000,
    pingIntervalMs: 0,
    ...over,
  });
  return { c, calls };
}

const signal = (pair: number, seq: number, topic = `pair:${pair}`) => ({ type: "signal", topic, seq, data: { pair_id: pair, kind: "long", ts: "2024-01-02T00:00:00Z" } });

beforeEach(() => {
  FakeWebSocket.reset();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe("StreamClient", () => {
  it("authenticates with the first message, never in the URL", () => {
    const { c } = client();
    c.start();
    const ws = FakeWebSocket.last;
    expect(ws.url).toBe("ws://test/ws/stream/");
    expect(ws.url).not.toContain("tok");
    ws.open();
    expect(ws.sent[0]).toEqual({ type: "auth", token: "tok-1" });
    expect(c.connectionState).toBe("connecting");
    ws.receive({ type: "authenticated" });
    expect(c.connectionState).toBe("open");
  });

  it("subscribes only after authentication and delivers events by topic", () => {
    const { c } = client();
    const got: StreamEvent[] = [];
    c.subscribe("task:abc", (e) => got.push(e));
    c.start();
    const ws = FakeWebSocket.last;
    ws.open();
    expect(ws.sentOfType("subscribe")).toEqual([]);
    ws.receive({ type: "authenticated" });
    expect(ws.sentOfType("subscribe")).toEqual([{ type: "subscribe", topic: "task:abc" }]);
    ws.receive({ type: "task.progress", topic: "task:abc", data: { progress: 0.5 } });
    ws.receive({ type: "task.progress", topic: "task:other", data: { progress: 0.9 } });
    expect(got.map((e) => e.data?.progress)).toEqual([0.5]);
  });

  it("reconnects with exponential backoff and jitter, capped", () => {
    const { c } = client({ random: () => 1 });
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => c.backoffDelay(n))).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
    const low = client({ random: () => 0 }).c;
    expect([0, 1, 2, 10].map((n) => low.backoffDelay(n))).toEqual([50, 100, 200, 1000]);

    c.start();
    FakeWebSocket.last.drop();
    expect(c.connectionState).toBe("reconnecting");
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(99);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.last.drop();
    vi.advanceTimersByTime(199);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(3);
    // A successful connection resets the backoff.
    FakeWebSocket.last.accept();
    FakeWebSocket.last.drop();
    expect(c.connectionState).toBe("reconnecting");
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(4);
  });

  it("resubscribes every topic after a reconnect, pair topics with since_seq = last seq seen", () => {
    const { c } = client();
    c.subscribe("pair:7", () => undefined);
    c.subscribe("pair:9", () => undefined);
    c.subscribe("task:t1", () => undefined);
    c.start();
    let ws = FakeWebSocket.last;
    ws.accept();
    ws.receive(signal(7, 1));
    ws.receive(signal(7, 2));
    ws.receive(signal(7, 3));
    ws.drop();
    vi.advanceTimersByTime(100);
    ws = FakeWebSocket.last;
    ws.accept();
    expect(ws.sentOfType("subscribe")).toEqual([
      { type: "subscribe", topic: "pair:7", since_seq: 3 },
      { type: "subscribe", topic: "pair:9" },
      { type: "subscribe", topic: "task:t1" },
    ]);
  });

  it("counts the replayed signals after a reconnect in a caught-up notice (ends at the pong barrier)", () => {
    const { c } = client();
    const notices: number[] = [];
    c.onNotice((n) => notices.push(n.missed));
    const got: number[] = [];
    c.subscribe("pair:7", (e) => got.push(e.seq ?? -1));
    c.start();
    let ws = FakeWebSocket.last;
    ws.accept();
    ws.receive(signal(7, 1));
    ws.drop();
    vi.advanceTimersByTime(100);
    ws = FakeWebSocket.last;
    ws.accept();
    const ping = ws.sentOfType("ping")[0];
    expect(ping).toBeDefined();
    ws.receive({ type: "subscribed", topic: "pair:7" });
    ws.receive(signal(7, 2));
    ws.receive(signal(7, 3));
    ws.receive(signal(7, 3)); // duplicate: dropped
    expect(notices).toEqual([]);
    ws.receive({ type: "pong", ts: ping?.ts });
    expect(notices).toEqual([2]);
    expect(got).toEqual([1, 2, 3]);
  });

  it("detects a gap on a pair topic and resubscribes with since_seq; the replay fills it in order", () => {
    const { c } = client();
    const got: number[] = [];
    c.subscribe("pair:7", (e) => got.push(e.seq ?? -1));
    c.start();
    const ws = FakeWebSocket.last;
    ws.accept();
    ws.receive({ type: "subscribed", topic: "pair:7" });
    ws.receive(signal(7, 1));
    ws.receive(signal(7, 2));
    ws.receive(signal(7, 5)); // 3 and 4 are missing
    expect(ws.sentOfType("subscribe").at(-1)).toEqual({ type: "subscribe", topic: "pair:7", since_seq: 2 });
    ws.receive(signal(7, 6)); // in flight before the resubscription: dropped, it is replayed
    ws.receive({ type: "subscribed", topic: "pair:7" });
    for (const seq of [3, 4, 5, 6]) ws.receive(signal(7, seq));
    expect(got).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("handles resync on a pair topic by resubscribing with its since_seq", () => {
    const { c } = client();
    c.subscribe("pair:7", () => undefined);
    c.start();
    const ws = FakeWebSocket.last;
    ws.accept();
    ws.receive(signal(7, 1));
    ws.receive({ type: "resync", topic: "pair:7", since_seq: 40, reason: "slow_consumer" });
    expect(ws.sentOfType("subscribe").at(-1)).toEqual({ type: "subscribe", topic: "pair:7", since_seq: 40 });
  });

  it("handles resync on signals by fetching each missed range through REST", async () => {
    const fetched: Array<[string, number, number | undefined]> = [];
    const { c } = client({
      fetchSignals: async (pair, after, until) => {
        fetched.push([pair, after, until]);
        const out: StreamEvent[] = [];
        for (let s = after + 1; s <= (until ?? after); s += 1) out.push({ ...signal(Number(pair), s, "signals") });
        return out;
      },
    });
    const got: string[] = [];
    const notices: number[] = [];
    c.onNotice((n) => notices.push(n.missed));
    c.subscribe("signals", (e) => got.push(`${String(e.data?.pair_id)}:${e.seq}`));
    c.start();
    const ws = FakeWebSocket.last;
    ws.accept();
    ws.receive(signal(7, 1, "signals"));
    ws.receive({ type: "resync", topic: "signals", reason: "slow_consumer", missed: { "7": [2, 4], "9": [10, 11] } });
    await vi.waitFor(() => expect(notices).toEqual([5]));
    expect(fetched).toEqual([
      ["7", 1, 4],
      ["9", 9, 11],
    ]);
    expect(got).toEqual(["7:1", "7:2", "7:3", "7:4", "9:10", "9:11"]);
    // The subscription stays (no resubscribe for signals).
    expect(ws.sentOfType("subscribe")).toHaveLength(1);
  });

  it("fetches a gap in one pair's seqs on signals through REST, once", async () => {
    const fetched: Array<[string, number, number | undefined]> = [];
    const { c } = client({
      fetchSignals: async (pair, after, until) => {
        fetched.push([pair, after, until]);
        return [signal(Number(pair), 2, "signals"), signal(Number(pair), 3, "signals")];
      },
    });
    const got: string[] = [];
    c.subscribe("signals", (e) => got.push(`${String(e.data?.pair_id)}:${e.seq}`));
    c.start();
    const ws = FakeWebSocket.last;
    ws.accept();
    ws.receive(signal(7, 1, "signals"));
    ws.receive(signal(8, 50, "signals")); // another pair: its own seq line, no gap
    ws.receive(signal(7, 4, "signals"));
    await vi.waitFor(() => expect(got).toHaveLength(5));
    expect(fetched).toEqual([["7", 1, 3]]);
    expect(got).toEqual(["7:1", "8:50", "7:4", "7:2", "7:3"]);
  });

  it("after a reconnect, catches up signals per pair through REST and says how many", async () => {
    const { c } = client({
      fetchSignals: async (pair, after) => (pair === "7" ? [signal(7, after + 1, "signals"), signal(7, after + 2, "signals")] : []),
    });
    const notices: number[] = [];
    c.onNotice((n) => notices.push(n.missed));
    c.subscribe("signals", () => undefined);
    c.start();
    let ws = FakeWebSocket.last;
    ws.accept();
    ws.receive(signal(7, 3, "signals"));
    ws.drop();
    vi.advanceTimersByTime(100);
    ws = FakeWebSocket.last;
    ws.accept();
    expect(ws.sentOfType("subscribe").at(-1)).toEqual({ type: "subscribe", topic: "signals" });
    ws.receive({ type: "pong", ts: ws.sentOfType("ping")[0]?.ts });
    await vi.waitFor(() => expect(notices).toEqual([2]));
    expect(c.lastSeen("signals", 7)).toBe(5);
  });

  it("on close 4401 refreshes the token once and reconnects", async () => {
    let token = "old";
    const { c, calls } = client({
      getToken: () => token,
      refresh: async () => {
        token = "new";
        return true;
      },
    });
    c.start();
    const first = FakeWebSocket.last;
    first.open();
    expect(first.sent[0]).toEqual({ type: "auth", token: "old" });
    first.drop(CLOSE_UNAUTHENTICATED);
    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2));
    FakeWebSocket.last.open();
    expect(FakeWebSocket.last.sent[0]).toEqual({ type: "auth", token: "new" });
    FakeWebSocket.last.receive({ type: "authenticated" });
    expect(c.connectionState).toBe("open");
    expect(calls.unauthenticated).toBe(0);
  });

  it("a second 4401 in a row goes to the sign-in, without reconnecting", async () => {
    const { c, calls } = client();
    c.start();
    FakeWebSocket.last.open();
    FakeWebSocket.last.drop(CLOSE_UNAUTHENTICATED);
    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2));
    FakeWebSocket.last.open();
    FakeWebSocket.last.drop(CLOSE_UNAUTHENTICATED);
    await vi.waitFor(() => expect(calls.unauthenticated).toBe(1));
    expect(calls.refresh).toBe(1);
    expect(c.connectionState).toBe("closed");
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it("4401 with a failing refresh goes straight to the sign-in", async () => {
    const { c, calls } = client({ refresh: async () => false });
    c.start();
    FakeWebSocket.last.open();
    FakeWebSocket.last.drop(CLOSE_UNAUTHENTICATED);
    await vi.waitFor(() => expect(calls.unauthenticated).toBe(1));
    expect(c.connectionState).toBe("closed");
  });

  it("exposes its state to listeners and unsubscribes the last listener of a topic", () => {
    const { c } = client();
    const states: string[] = [];
    c.onState((s) => states.push(s));
    const off1 = c.subscribe("pair:1", () => undefined);
    const off2 = c.subscribe("pair:1", () => undefined);
    c.start();
    const ws = FakeWebSocket.last;
    ws.accept();
    off1();
    expect(ws.sentOfType("unsubscribe")).toEqual([]);
    off2();
    expect(ws.sentOfType("unsubscribe")).toEqual([{ type: "unsubscribe", topic: "pair:1" }]);
    ws.drop();
    c.stop();
    expect(states).toEqual(["connecting", "open", "reconnecting", "closed"]);
  });

  it("closes a silent connection after two heartbeat intervals and reconnects", () => {
    const { c } = client({ pingIntervalMs: 1_000 });
    c.start();
    const ws = FakeWebSocket.last;
    ws.accept();
    vi.advanceTimersByTime(1_000);
    expect(ws.sentOfType("ping")).toHaveLength(1);
    vi.advanceTimersByTime(2_100);
    expect(ws.readyState).toBe(3);
    expect(c.connectionState).toBe("reconnecting");
  });
});
