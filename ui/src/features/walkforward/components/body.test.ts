import { buildBody, DEFAULT_VALUES, validate } from "./body";

describe("walk-forward body", () => {
  it("builds the config from the form (grid lists, symbols upper-cased)", () => {
    expect(buildBody({ ...DEFAULT_VALUES, symbols: "ko, pep", start: "2015-01-01", n_folds: "3" })).toEqual({
      timeframe: "1d",
      symbols: ["KO", "PEP"],
      start: "2015-01-01T00:00:00.000Z",
      config: { train_bars: 504, test_bars: 126, n_folds: 3, embargo: 5, window: "rolling", top_k: 1, objective: "sharpe", pbo_splits: 8, grid: { lookback: [40, 60], entry_z: [1.5, 2] } },
    });
  });

  it("rejects one symbol, duplicates and a bad grid", () => {
    expect(validate({ ...DEFAULT_VALUES, symbols: "KO" }).symbols).toMatch(/at least two/);
    expect(validate({ ...DEFAULT_VALUES, symbols: "KO, ko" }).symbols).toMatch(/distinct/);
    expect(validate({ ...DEFAULT_VALUES, grid_entry_z: "1, x" })["config.grid.entry_z"]).toMatch(/Numbers/);
  });
});
