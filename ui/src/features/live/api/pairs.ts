/** `GET pairs/` (the user's pairs, for the monitor form) and `GET parameters/?pair=`. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Page, type Schemas } from "@/lib/api";

export type Pair = Schemas["Pair"];
export type ParameterSet = Schemas["ParameterSet"];

export const getPairs = (signal?: AbortSignal) => api.get<Page<Pair>>("pairs/", { limit: 500 }, { signal });
export const pairsQueryOptions = () => queryOptions({ queryKey: ["pairs", "list", "live"], queryFn: ({ signal }) => getPairs(signal) });
export const usePairs = () => useQuery(pairsQueryOptions());

export const getParameterSets = (pair: number, signal?: AbortSignal) => api.get<Page<ParameterSet>>("parameters/", { pair, limit: 200 }, { signal });
export const useParameterSets = (pair: number | null) =>
  useQuery({ queryKey: ["parameters", "list", pair], queryFn: ({ signal }) => getParameterSets(pair ?? 0, signal), enabled: pair !== null });
