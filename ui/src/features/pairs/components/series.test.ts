import { linePoints, normalise, regimeRanges, rollingPValuePoints } from "./series";

describe("pair series", () => {
  it("rebases a leg to 100 at its first close, or takes logs", () => {
    expect(normalise([null, 50, 75, 25], "rebased")).toEqual([null, 100, 150, 50]);
    expect(normalise([Math.E, 1], "log")).toEqual([1, 0]);
  });

  it("skips missing values", () => {
    expect(linePoints([1, 2, 3], [1, null, Number.NaN])).toEqual([{ time: 1, value: 1 }]);
  });

  it("puts each rolling window's p-value at its last bar (end exclusive)", () => {
    const times = [10, 20, 30, 40, 50];
    expect(rollingPValuePoints(times, [3, 5], [0.2, 0.01])).toEqual([
      { time: 30, value: 0.2 },
      { time: 50, value: 0.01 },
    ]);
  });

  it("runs an open regime span to the last bar and names it", () => {
    const [r] = regimeRanges([{ label: 1, name: "high", start: "2020-01-01T00:00:00Z", end: null }], 1_700_000_000);
    expect(r).toMatchObject({ from: 1_577_836_800, to: 1_700_000_000, label: "high" });
  });
});
