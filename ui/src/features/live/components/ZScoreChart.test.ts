import type { Time, UTCTimestamp } from "lightweight-charts";
import { MarkerSet, barIndex, markerOf } from "./ZScoreChart";

const marker = (time: number, text = "") => ({ time: time as UTCTimestamp as Time, position: "inBar" as const, shape: "circle" as const, color: "#000", text });

it("keeps markers time-sorted, once per signal, and counts a time range", () => {
  const set = new MarkerSet();
  expect(set.newest).toBeNull();
  expect(set.add("7:1", marker(100, "a"))).toBe(true);
  expect(set.add("7:3", marker(300, "c"))).toBe(true);
  expect(set.add("7:2", marker(200, "b"))).toBe(true); // a caught-up signal: inserted in place
  expect(set.add("7:2", marker(200, "b"))).toBe(false); // a duplicate
  expect(set.add("7:4", marker(200, "d"))).toBe(true); // same bar: after the earlier one
  expect(set.list.map((m) => m.text)).toEqual(["a", "b", "d", "c"]);
  expect(set.newest).toBe(300);
  expect(set.countBetween(150, 300)).toBe(3);
  expect(set.countBetween(301, 400)).toBe(0);
});

it("finds the bar of a time and maps signal kinds to markers", () => {
  const times = [10, 20, 30, 40];
  expect(barIndex(times, 5)).toBe(0);
  expect(barIndex(times, 30)).toBe(2);
  expect(barIndex(times, 35)).toBe(2);
  expect(barIndex(times, 99)).toBe(3);
  expect(markerOf({ ts: "2021-01-04T00:00:00Z", kind: "enter_long" })).toEqual({ time: 1609718400, kind: "long" });
  expect(markerOf({ ts: "2021-01-04T00:00:00Z", kind: "enter_short" })?.kind).toBe("short");
  expect(markerOf({ ts: "2021-01-04T00:00:00Z", kind: "correction" })).toBeNull();
  expect(markerOf({ ts: "not a time", kind: "exit" })).toBeNull();
});
