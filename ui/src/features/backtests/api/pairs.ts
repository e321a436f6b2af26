/** `GET pairs/<id>/` and `GET pairs/<id>/spread`: the pair a backtest is about (form, z chart). */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Page, type Schemas } from "@/lib/api";

export type Pair = Schemas["PairDetail"];

export const getPair = (id: number, signal?: AbortSignal) => api.get<Pair>(`pairs/${id}/`, undefined, { signal });
export const pairOptions = (id: number | null) =>
  queryOptions({ queryKey: ["pairs", "detail", id], queryFn: ({ signal }) => getPair(id as number, signal), enabled: id !== null && Number.isFinite(id) });
export const usePair = (id: number | null) => useQuery(pairOptions(id));

export const listPairs = (signal?: AbortSignal) => api.get<Page<Schemas["Pair"]>>("pairs/", { ordering: "pvalue", limit: 200 }, { signal });
export const usePairs = () => useQuery(queryOptions({ queryKey: ["pairs", "list", { ordering: "pvalue" }], queryFn: ({ signal }) => listPairs(signal) }));
