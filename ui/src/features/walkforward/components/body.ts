/** The walk-forward form's values and the body of `POST walkforward/` (only fields given). */
import type { WalkForwardBody } from "../api/walkforward";

export interface WalkForwardFormValues {
  symbols: string;
  start: string;
  end: string;
  timeframe: "1d" | "1h";
  train_bars: string;
  test_bars: string;
  n_folds: string;
  embargo: string;
  window: "rolling" | "anchored";
  top_k: string;
  objective: string;
  grid_lookback: string;
  grid_entry_z: string;
  pbo_splits: string;
  cost_bps: string;
  slippage_bps: string;
  capital: string;
}

export const DEFAULT_VALUES: WalkForwardFormValues = {
  symbols: "",
  start: "",
  end: "",
  timeframe: "1d",
  train_bars: "504",
  test_bars: "126",
  n_folds: "4",
  embargo: "5",
  window: "rolling",
  top_k: "1",
  objective: "sharpe",
  grid_lookback: "40, 60",
  grid_entry_z: "1.5, 2",
  pbo_splits: "8",
  cost_bps: "",
  slippage_bps: "",
  capital: "",
};

const num = (v: string): number | undefined => (v.trim() === "" ? undefined : Number(v));
const list = (v: string): number[] | undefined => {
  const items = v
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number);
  return items.length ? items : undefined;
};
const date = (v: string): string | undefined => (v ? new Date(`${v}T00:00:00Z`).toISOString() : undefined);

function compact<T extends Record<string, unknown>>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return Object.keys(out).length ? out : undefined;
}

export function buildBody(v: WalkForwardFormValues): WalkForwardBody {
  const symbols = v.symbols
    .split(/[,\s]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const grid = compact({ lookback: list(v.grid_lookback), entry_z: list(v.grid_entry_z) });
  const config = compact({
    train_bars: num(v.train_bars),
    test_bars: num(v.test_bars),
    n_folds: num(v.n_folds),
    embargo: num(v.embargo),
    window: v.window,
    top_k: num(v.top_k),
    objective: v.objective as NonNullable<WalkForwardBody["config"]>["objective"],
    pbo_splits: num(v.pbo_splits),
    grid,
  });
  const costs = compact({ cost_bps: num(v.cost_bps), slippage_bps: num(v.slippage_bps) });
  const body: WalkForwardBody = { timeframe: v.timeframe };
  if (symbols.length) body.symbols = symbols;
  const start = date(v.start);
  const end = date(v.end);
  if (start) body.start = start;
  if (end) body.end = end;
  if (config) body.config = config;
  if (costs) body.costs = costs;
  const capital = num(v.capital);
  if (capital !== undefined) body.capital = capital;
  return body;
}

export function validate(v: WalkForwardFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const symbols = v.symbols.split(/[,\s]+/).filter(Boolean);
  if (symbols.length === 1) errors.symbols = "Give at least two symbols (or none for every symbol).";
  if (new Set(symbols.map((s) => s.toUpperCase())).size !== symbols.length) errors.symbols = "Symbols must be distinct.";
  for (const key of ["grid_lookback", "grid_entry_z"] as const) {
    if ((list(v[key]) ?? []).some((x) => !Number.isFinite(x))) errors[key === "grid_lookback" ? "config.grid.lookback" : "config.grid.entry_z"] = "Numbers separated by commas.";
  }
  if (v.start && v.end && v.start >= v.end) errors.end = "End must be after start.";
  return errors;
}
