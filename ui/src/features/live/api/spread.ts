/** `GET pairs/<id>/spread`: the z-score series the live markers are drawn on. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";

export interface Spread {
  ts: string[];
  zscore: Array<number | null>;
  [key: string]: unknown;
}

export const getSpread = (pair: number, signal?: AbortSignal) => api.get<Spread>(`pairs/${pair}/spread`, undefined, { signal });
export const spreadQueryOptions = (pair: number) => queryOptions({ queryKey: ["pairs", "spread", pair], queryFn: ({ signal }) => getSpread(pair, signal) });
export const useSpread = (pair: number | null) => useQuery({ ...spreadQueryOptions(pair ?? 0), enabled: pair !== null });
