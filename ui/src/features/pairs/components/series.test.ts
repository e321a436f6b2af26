import { chartTimes, linePoints, normalise, pairLines, regimeRanges, rollingPValuePoints } from "./series";

describe("pair series", () => {
  it("rebases a leg to 100 at its first close, or takes logs", () => {
    expect(normalise([null, 50, 75, 25], "rebased")).toEqual([null, 100, 150, 50]);
    expect(normalise([Math.E, 1], "log")).toEqual([1, 0]);
  });

  it("skips missing values", () => {
    expect(linePoints([1, 2, 3], [1, null, Number.NaN])).toEqual([{ time: 1, value: 1 }]);
  });

  it("builds every line in one pass as the separate transforms do", () => {
    const cols = {
      ts: ["2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", "2020-01-03T00:00:00Z"],
      price_1: [null, 50, 75],
      price_2: [10, 20, null],
      spread: [0.1, null, 0.3],
      zscore: [null, null, 1.5],
      dynamic_beta: [0.9, 0.8, Number.NaN],
    };
    for (const mode of ["rebased", "log"] as const) {
      const lines = pairLines(cols, mode);
      const times = chartTimes(cols.ts);
      expect(lines.times).toEqual(times);
      expect(lines.leg1).toEqual(linePoints(times, normalise(cols.price_1, mode)));
      expect(lines.leg2).toEqual(linePoints(times, normalise(cols.price_2, mode)));
      expect(lines.spread).toEqual(linePoints(times, cols.spread));
      expect(lines.z).toEqual([{ time: times[2], value: 1.5 }]);
      expect(lines.beta).toEqual(linePoints(times, cols.dynamic_beta));
    }
  });

  it("steps each rolling window's p-value from its last bar (end exclusive) to the next window's", () => {
    const times = [10, 20, 30, 40, 50];
    expect(rollingPValuePoints(times, [3, 5], [0.2, 0.01])).toEqual([
      { time: 30, value: 0.2 },
      { time: 40, value: 0.2 },
      { time: 50, value: 0.01 },
    ]);
  });

  it("runs an open regime span to the last bar and names it", () => {
    const [r] = regimeRanges([{ label: 1, name: "high", start: "2020-01-01T00:00:00Z", end: null }], 1_700_000_000);
    expect(r).toMatchObject({ from: 1_577_836_800, to: 1_700_000_000, label: "high" });
  });
});
