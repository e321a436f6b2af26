/** Walk-forward endpoints: `POST walkforward/` (202 + task), `GET walkforward/`, `GET walkforward/<id>/`. */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Page, type Schemas } from "@/lib/api";

export type WalkForward = Schemas["WalkForward"];
export type WalkForwardDetail = Schemas["WalkForwardDetail"];
export type WalkForwardBody = Schemas["WalkForwardListInputRequest"];
export type Task = Schemas["Task"];

export interface FoldMetrics {
  sharpe?: number | null;
  annual_return?: number | null;
  total_return?: number | null;
  max_drawdown?: number | null;
  [key: string]: unknown;
}

/** A fold as the run stores it (backtests/compute.py `_compact_fold`). */
export interface Fold {
  index: number;
  train_start: number;
  train_end: number;
  test_start: number;
  test_end: number;
  train_start_ts: string;
  train_end_ts: string;
  test_start_ts: string;
  test_end_ts: string;
  status: string;
  pairs: unknown[];
  parameter_set: Record<string, unknown> | null;
  is_metrics: FoldMetrics | null;
  oos_metrics: FoldMetrics | null;
  n_trades: number;
  optimization: { n_trials?: number; deflated_sharpe?: number | null; pbo?: number | null; score?: number | null } | null;
}

export interface WalkForwardMetrics {
  headline?: Record<string, unknown>;
  oos_metrics?: FoldMetrics;
  is_sharpe_mean?: number | null;
  is_annual_return_mean?: number | null;
  wfe?: number | null;
  wfe_return?: number | null;
  deflated_sharpe?: number | null;
  expected_max_sharpe?: number | null;
  n_trials?: number | null;
  pbo?: number | null;
  pbo_splits?: number | null;
}

export interface Stitched {
  ts: string[];
  equity: Array<number | null>;
  returns?: Array<number | null>;
}

export const foldsOf = (run: WalkForwardDetail): Fold[] => (run.folds ?? []) as unknown as Fold[];
export const metricsOf = (run: { metrics: unknown }): WalkForwardMetrics => (run.metrics && typeof run.metrics === "object" ? (run.metrics as WalkForwardMetrics) : {});

export const createWalkForward = (body: WalkForwardBody) => api.post<Task>("walkforward/", body);
export const listWalkForwards = (signal?: AbortSignal) => api.get<Page<WalkForward>>("walkforward/", { ordering: "-created_at", limit: 50 }, { signal });
export const getWalkForward = (id: number, signal?: AbortSignal) => api.get<WalkForwardDetail>(`walkforward/${id}/`, undefined, { signal });

export const walkForwardListOptions = () => queryOptions({ queryKey: ["walkforward", "list"], queryFn: ({ signal }) => listWalkForwards(signal) });
export const walkForwardOptions = (id: number) =>
  queryOptions({ queryKey: ["walkforward", "detail", id], queryFn: ({ signal }) => getWalkForward(id, signal), enabled: Number.isFinite(id) });

export const useWalkForwards = () => useQuery(walkForwardListOptions());
export const useWalkForward = (id: number) => useQuery(walkForwardOptions(id));

export function useCreateWalkForward() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createWalkForward, onSuccess: () => void client.invalidateQueries({ queryKey: ["walkforward", "list"] }) });
}

export function runIdOf(task: { result_url?: string | null } | undefined): number | null {
  const m = task?.result_url?.match(/walkforward\/(\d+)/);
  return m ? Number(m[1]) : null;
}
