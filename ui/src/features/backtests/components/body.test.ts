import { buildBody, initialValues, validate } from "./body";

const me = { id: 1, username: "demo", capital: "1000000.00", cost_bps: 1, slippage_bps: 0.5, borrow_rate: 0.02, default_params: { lookback: 90, entry_z: 2.5, exit_z: 0.25, stop_z: null, max_holding: 30 } };

describe("backtest form body", () => {
  it("pre-fills from the pair and the user's preferences", () => {
    const v = initialValues(7, me);
    expect(v).toMatchObject({ pair: "7", lookback: "90", entry_z: "2.5", exit_z: "0.25", stop_z: "", max_holding: "30", cost_bps: "1", slippage_bps: "0.5", borrow_rate: "0.02", capital: "1000000.00" });
  });

  it("sends only documented fields, a blank stop as null, dates as UTC", () => {
    const v = { ...initialValues(7, me), start: "2019-01-01", max_holding: "" };
    expect(buildBody(v)).toEqual({
      pair: 7,
      formation_bars: 252,
      adaptive: false,
      regime_method: "volatility",
      start: "2019-01-01T00:00:00.000Z",
      params: { lookback: 90, entry_z: 2.5, exit_z: 0.25, stop_z: null, execution_lag: 1, hedge: "static" },
      costs: { cost_bps: 1, slippage_bps: 0.5, borrow_rate: 0.02 },
      capital: 1000000,
    });
  });

  it("checks exit < entry < stop and the window", () => {
    const v = { ...initialValues(7, me), exit_z: "3", stop_z: "2", start: "2020-01-01", end: "2019-01-01" };
    expect(validate(v)).toEqual({ "params.exit_z": "Exit must be below entry.", "params.stop_z": "Stop must be above entry.", end: "End must be after start." });
    expect(validate({ ...v, pair: "" }).pair).toBe("Choose a pair.");
  });
});
