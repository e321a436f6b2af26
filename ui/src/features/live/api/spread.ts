/** `GET pairs/<id>/spread?lookback=`: the z-score series the live markers are drawn on (with
 * the monitor's lookback, so the chart's z is the z its signals were decided on). */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";

export interface Spread {
  ts: string[];
  zscore: Array<number | null>;
  [key: string]: unknown;
}

export const getSpread = (pair: number, lookback?: number, signal?: AbortSignal) =>
  api.get<Spread>(`pairs/${pair}/spread`, lookback ? { lookback } : undefined, { signal });
export const spreadQueryOptions = (pair: number, lookback?: number) =>
  queryOptions({ queryKey: ["pairs", "spread", pair, lookback ?? null], queryFn: ({ signal }) => getSpread(pair, lookback, signal) });
export const useSpread = (pair: number | null, lookback?: number) => useQuery({ ...spreadQueryOptions(pair ?? 0, lookback), enabled: pair !== null });
