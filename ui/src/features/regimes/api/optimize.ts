/** `POST parameters/optimize` (202 + task `optimize`; the task's result holds the grid's top rows). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "@/lib/api";

export type OptimizeBody = Schemas["ParametersOptimizeInputRequest"];

export interface GridRow {
  lookback: number;
  entry_z: number;
  exit_z: number;
  stop_z: number | null;
  score: number | null;
  sharpe?: number | null;
  n_trades?: number;
  eligible?: boolean;
  rank?: number;
}

export interface OptimizeResult {
  best?: Record<string, unknown> | null;
  objective?: string;
  n_trials?: number;
  deflated_sharpe?: number | null;
  pbo?: number | null;
  table?: GridRow[];
  parameter_set_ids?: number[];
}

export const optimize = (body: OptimizeBody) => api.post<Schemas["Task"]>("parameters/optimize", body);

export function useOptimize() {
  const client = useQueryClient();
  return useMutation({ mutationFn: optimize, onSuccess: () => void client.invalidateQueries({ queryKey: ["parameters", "list"] }) });
}
