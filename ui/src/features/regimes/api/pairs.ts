/** `GET pairs/` and `GET pairs/<id>/spread`: the pair picker and the chart regimes are shaded on. */
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Page, type Schemas } from "@/lib/api";

export const listPairs = (signal?: AbortSignal) => api.get<Page<Schemas["Pair"]>>("pairs/", { ordering: "pvalue", limit: 200 }, { signal });
export const usePairs = () => useQuery(queryOptions({ queryKey: ["pairs", "list", { ordering: "pvalue" }], queryFn: ({ signal }) => listPairs(signal) }));

export interface Spread {
  ts: string[];
  zscore: Array<number | null>;
  spread: Array<number | null>;
}
export const getSpread = (id: number, signal?: AbortSignal) => api.get<Spread>(`pairs/${id}/spread`, { lookback: 60 }, { signal });
export const useSpread = (id: number | null) =>
  useQuery(queryOptions({ queryKey: ["regimes", "spread", id], queryFn: ({ signal }) => getSpread(id as number, signal), enabled: id !== null, placeholderData: keepPreviousData, staleTime: 60_000 }));
