import { act, render, screen } from "@testing-library/react";
import { StreamContextForTests } from "./testStream";
import { useTopic } from "@/lib/stream";
import { LiveFeed, NEAR_ROWS } from "../components/LiveFeed";
import { FEED_CAP, FLUSH_INTERVAL_MS, FeedStore, type FeedSignal } from "./feedStore";

function signal(pairId: number, seq: number, kind = "exit"): FeedSignal {
  return { key: `${pairId}:${seq}`, pairId, seq, ts: "2020-01-02T00:00:00Z", kind, zscore: -2.1, source: "replay" };
}

/** A store whose frames the test runs by hand. */
function manualStore(cap = FEED_CAP) {
  const frames: Array<() => void> = [];
  const store = new FeedStore(
    cap,
    (cb) => {
      frames.push(cb);
      return () => frames.splice(frames.indexOf(cb), 1);
    },
    0,
  );
  const frame = () => frames.splice(0).forEach((cb) => cb());
  return { store, frames, frame };
}

function Feed({ store }: { store: FeedStore }) {
  useTopic("signals", (event) => store.pushEvent(event));
  return <LiveFeed store={store} pairNames={new Map([[7, "KO/PEP"]])} />;
}

it("batches signals per frame and caps the rendered list", { timeout: 30_000 }, async () => {
  const { client, Provider } = StreamContextForTests();
  const store = new FeedStore();
  const batches: number[] = [];
  store.onBatch((b) => batches.push(b.length));
  render(
    <Provider>
      <Feed store={store} />
    </Provider>,
  );
  act(() => {
    for (let seq = 1; seq <= 500; seq += 1) client.emit("signals", { type: "signal", topic: "signals", seq, data: { pair_id: 7, ts: "2020-01-02T00:00:00Z", kind: seq % 2 ? "enter_long" : "exit", zscore: -2.1, source: "replay" } });
  });
  await act(() => new Promise((r) => setTimeout(r, 50)));
  expect(batches).toEqual([500]); // one update for the burst
  const items = screen.getByRole("list", { name: "Live signals" }).querySelectorAll("li");
  expect(items.length).toBe(FEED_CAP);
  expect(items[0]).toHaveTextContent("#500");
  expect(items[0]).toHaveTextContent("exit");
  expect(items[1]).toHaveTextContent("enter long");
  expect(screen.getByText(/500 signals received · showing the newest 200/)).toBeInTheDocument();
});

it("applies one frame's signals at once and only notifies then", () => {
  const { store, frames, frame } = manualStore();
  let notified = 0;
  store.subscribe(() => (notified += 1));
  store.push(signal(7, 1));
  store.push(signal(7, 2));
  expect(frames).toHaveLength(1); // one frame scheduled for both
  expect(store.getSnapshot().items).toHaveLength(0);
  frame();
  expect(notified).toBe(1);
  expect(store.getSnapshot().items.map((s) => s.seq)).toEqual([2, 1]);
  const before = store.getSnapshot();
  store.push(signal(7, 2)); // a duplicate: no new snapshot, no notification
  frame();
  expect(store.getSnapshot()).toBe(before);
  expect(notified).toBe(1);
  expect(store.getSnapshot().total).toBe(2);
});

it("keeps each pair's signals in seq order when caught-up ones arrive after newer live ones", () => {
  const { store, frame } = manualStore();
  [1, 2].forEach((seq) => store.push(signal(7, seq)));
  store.push(signal(9, 1));
  frame();
  // Live 6 and 7 arrive before the catch-up of 3..5 (a reconnect), pair 9 in between.
  store.push(signal(7, 6));
  store.push(signal(9, 2));
  store.push(signal(7, 7));
  frame();
  [3, 4, 5].forEach((seq) => store.push(signal(7, seq)));
  frame();
  const order = store.getSnapshot().items.map((s) => s.key);
  expect(order).toEqual(["7:7", "9:2", "7:6", "7:5", "7:4", "7:3", "9:1", "7:2", "7:1"]);
  expect(store.getSnapshot().total).toBe(9);
});

it("bounds the feed and counts every distinct signal", () => {
  const { store, frame } = manualStore(5);
  for (let seq = 1; seq <= 12; seq += 1) store.push(signal(7, seq));
  frame();
  expect(store.getSnapshot().items.map((s) => s.seq)).toEqual([12, 11, 10, 9, 8]);
  expect(store.getSnapshot().total).toBe(12);
});

it("drops the pending frame when disposed", () => {
  const { store, frames } = manualStore();
  store.push(signal(7, 1));
  expect(frames).toHaveLength(1);
  store.dispose();
  expect(frames).toHaveLength(0);
});

it("updates at most every FLUSH_INTERVAL_MS under a steady stream", () => {
  vi.useFakeTimers();
  try {
    let now = 1_000;
    const frames: Array<() => void> = [];
    const store = new FeedStore(FEED_CAP, (cb) => (frames.push(cb), () => undefined), FLUSH_INTERVAL_MS, () => now);
    const frame = () => frames.splice(0).forEach((cb) => cb());
    store.push(signal(7, 1));
    frame(); // the first one shows on the next frame
    expect(store.getSnapshot().total).toBe(1);
    now += 16;
    store.push(signal(7, 2));
    expect(frames).toHaveLength(0); // too soon: waits for the interval, then a frame
    now += FLUSH_INTERVAL_MS;
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    store.push(signal(7, 3)); // joins the pending update
    frame();
    expect(store.getSnapshot().items.map((s) => s.seq)).toEqual([3, 2, 1]);
  } finally {
    vi.useRealTimers();
  }
});

it("leaves the rows below the list's top to the browser (content-visibility) and moves the line down", () => {
  const { store, frame } = manualStore();
  render(<LiveFeed store={store} pairNames={new Map([[7, "KO/PEP"]])} />);
  for (let seq = 1; seq <= NEAR_ROWS + 5; seq += 1) store.push(signal(7, seq));
  act(() => frame());
  const far = () => screen.getAllByRole("listitem").map((li) => li.classList.contains("feed-row-far"));
  expect(far()).toEqual([...Array<boolean>(NEAR_ROWS).fill(false), ...Array<boolean>(5).fill(true)]);
  const topBefore = screen.getAllByRole("listitem")[NEAR_ROWS - 1]?.dataset.key;
  store.push(signal(7, NEAR_ROWS + 6));
  act(() => frame());
  // The row that was the last near one is now the first far one.
  expect(screen.getAllByRole("listitem")[NEAR_ROWS]?.dataset.key).toBe(topBefore);
  expect(far().filter(Boolean)).toHaveLength(6);
});
