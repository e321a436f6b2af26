import { act, render, screen } from "@testing-library/react";
import { StreamContextForTests } from "./testStream";
import { LiveFeed } from "../components/LiveFeed";
import { FEED_CAP, useLiveFeed, type FeedSignal } from "./useLiveFeed";

function Feed({ onBatch }: { onBatch: (b: FeedSignal[]) => void }) {
  const { feed, total } = useLiveFeed(onBatch);
  return <LiveFeed feed={feed} total={total} pairNames={new Map([[7, "KO/PEP"]])} />;
}

it("batches signals per frame and caps the rendered list", { timeout: 30_000 }, async () => {
  const { client, Provider } = StreamContextForTests();
  const batches: number[] = [];
  render(
    <Provider>
      <Feed onBatch={(b) => batches.push(b.length)} />
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
