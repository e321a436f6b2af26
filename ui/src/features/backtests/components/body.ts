/** The backtest form's values and the request body built from them (only fields given). */
import type { BacktestBody } from "../api/backtests";
import type { Me as MeOut } from "../api/me";

export interface BacktestFormValues {
  pair: string;
  start: string;
  end: string;
  formation_bars: string;
  lookback: string;
  entry_z: string;
  exit_z: string;
  stop_z: string;
  max_holding: string;
  execution_lag: string;
  hedge: "static" | "dynamic";
  adaptive: boolean;
  regime_method: "volatility" | "markov";
  cost_bps: string;
  slippage_bps: string;
  borrow_rate: string;
  capital: string;
}

interface DefaultParams {
  lookback?: number;
  entry_z?: number;
  exit_z?: number;
  stop_z?: number | null;
  max_holding?: number | null;
}

const s = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

/** Initial values: the pair, then the user's preferences (costs, capital, default_params). */
export function initialValues(pair: number | null, me: MeOut | undefined): BacktestFormValues {
  const d = (me?.default_params ?? {}) as DefaultParams;
  return {
    pair: pair === null ? "" : String(pair),
    start: "",
    end: "",
    formation_bars: "252",
    lookback: s(d.lookback ?? 60),
    entry_z: s(d.entry_z ?? 2),
    exit_z: s(d.exit_z ?? 0.5),
    stop_z: d.stop_z === null ? "" : s(d.stop_z ?? 4),
    max_holding: s(d.max_holding),
    execution_lag: "1",
    hedge: "static",
    adaptive: false,
    regime_method: "volatility",
    cost_bps: s(me?.cost_bps),
    slippage_bps: s(me?.slippage_bps),
    borrow_rate: s(me?.borrow_rate),
    capital: s(me?.capital),
  };
}

const num = (v: string): number | undefined => (v.trim() === "" ? undefined : Number(v));
const date = (v: string): string | undefined => (v ? new Date(`${v}T00:00:00Z`).toISOString() : undefined);

function compact<T extends Record<string, unknown>>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return Object.keys(out).length ? out : undefined;
}

/** The body of `POST backtests/` (documented fields only; blanks are left out). */
export function buildBody(v: BacktestFormValues): BacktestBody {
  const params = compact({
    lookback: num(v.lookback),
    entry_z: num(v.entry_z),
    exit_z: num(v.exit_z),
    // A blank stop disables it (null), as the API documents.
    stop_z: v.stop_z.trim() === "" ? null : Number(v.stop_z),
    max_holding: num(v.max_holding),
    execution_lag: num(v.execution_lag),
    hedge: v.hedge,
  });
  const costs = compact({ cost_bps: num(v.cost_bps), slippage_bps: num(v.slippage_bps), borrow_rate: num(v.borrow_rate) });
  const body: BacktestBody = {
    pair: num(v.pair) ?? null,
    formation_bars: num(v.formation_bars) ?? 252,
    adaptive: v.adaptive,
    regime_method: v.regime_method,
  };
  const start = date(v.start);
  const end = date(v.end);
  if (start) body.start = start;
  if (end) body.end = end;
  if (params) body.params = params;
  if (costs) body.costs = costs;
  const capital = num(v.capital);
  if (capital !== undefined) body.capital = capital;
  return body;
}

/** Client-side checks mirroring the API's (exit < entry < stop); field -> message. */
export function validate(v: BacktestFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!v.pair) errors.pair = "Choose a pair.";
  const e = num(v.entry_z);
  const x = num(v.exit_z);
  const st = num(v.stop_z);
  if (e !== undefined && x !== undefined && !(x < e)) errors["params.exit_z"] = "Exit must be below entry.";
  if (e !== undefined && st !== undefined && !(st > e)) errors["params.stop_z"] = "Stop must be above entry.";
  if (v.start && v.end && v.start >= v.end) errors.end = "End must be after start.";
  return errors;
}
