/**
 * Backtest endpoints: `POST backtests/` (202 + task), `GET backtests/` (list),
 * `GET backtests/<id>/` (a run with its result), `POST backtests/<id>/lookahead` (202 + task).
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Page, type Schemas } from "@/lib/api";

export type Backtest = Schemas["Backtest"];
export type BacktestDetail = Schemas["BacktestDetail"];
export type BacktestBody = Schemas["BacktestListInputRequest"];
export type Task = Schemas["Task"];

/** The metrics of a run (engine/backtest/results.py Metrics; NaN is null). */
export interface Metrics {
  total_return?: number | null;
  annual_return?: number | null;
  annual_volatility?: number | null;
  sharpe?: number | null;
  sortino?: number | null;
  max_drawdown?: number | null;
  calmar?: number | null;
  hit_rate?: number | null;
  turnover?: number | null;
  exposure?: number | null;
  n_trades?: number | null;
  n_closed_trades?: number | null;
  final_equity?: number | null;
  total_costs?: number | null;
  [key: string]: unknown;
}

export interface Trade {
  side: string;
  reason: string;
  entry_bar: number;
  exit_bar: number | null;
  entry_signal_bar?: number;
  exit_signal_bar?: number | null;
  holding_bars: number;
  net_pnl: number;
  trade_return: number;
  trading_costs?: number;
  borrow_costs?: number;
  [key: string]: unknown;
}

export interface LookaheadReport {
  ok?: boolean;
  differences?: unknown[];
  warnings?: string[];
  [key: string]: unknown;
}

export const metricsOf = (run: { metrics: unknown }): Metrics => (run.metrics && typeof run.metrics === "object" ? (run.metrics as Metrics) : {});

export const createBacktest = (body: BacktestBody) => api.post<Task>("backtests/", body);

export const listBacktests = (query: { pair?: number; limit?: number; offset?: number }, signal?: AbortSignal) =>
  api.get<Page<Backtest>>("backtests/", { ordering: "-created_at", limit: 50, ...query }, { signal });

export const getBacktest = (id: number, signal?: AbortSignal) => api.get<BacktestDetail>(`backtests/${id}/`, undefined, { signal });

export const checkLookahead = (id: number, cuts = 5) => api.post<Task>(`backtests/${id}/lookahead`, { cuts });

export const backtestListOptions = (query: { pair?: number } = {}) =>
  queryOptions({ queryKey: ["backtests", "list", query], queryFn: ({ signal }) => listBacktests(query, signal) });

export const backtestOptions = (id: number) =>
  queryOptions({ queryKey: ["backtests", "detail", id], queryFn: ({ signal }) => getBacktest(id, signal), enabled: Number.isFinite(id) });

export const useBacktests = (query: { pair?: number } = {}) => useQuery(backtestListOptions(query));
export const useBacktest = (id: number) => useQuery(backtestOptions(id));

export function useCreateBacktest() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createBacktest, onSuccess: () => void client.invalidateQueries({ queryKey: ["backtests", "list"] }) });
}

export function useLookahead(id: number) {
  return useMutation({ mutationFn: (cuts: number) => checkLookahead(id, cuts) });
}

/** The run id of a finished backtest task (`result_url` is `/api/backtests/<id>/`). */
export function runIdOf(task: { result_url?: string | null; result?: unknown } | undefined): number | null {
  const m = task?.result_url?.match(/backtests\/(\d+)/);
  if (m) return Number(m[1]);
  const r = task?.result as { id?: number; backtest_id?: number } | undefined;
  return r?.backtest_id ?? r?.id ?? null;
}
