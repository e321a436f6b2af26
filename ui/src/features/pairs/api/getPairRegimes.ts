/** `GET regimes/?pair=<id>`: the stored regime spans of a pair (to shade its charts). */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Page, type Schemas } from "@/lib/api";

export type Regime = Schemas["Regime"];

export const getPairRegimes = (pair: number, signal?: AbortSignal) =>
  api.get<Page<Regime>>("regimes/", { pair, ordering: "start", limit: 500 }, { signal });

export const pairRegimesQueryOptions = (pair: number) =>
  queryOptions({ queryKey: ["regimes", "list", { pair }], queryFn: ({ signal }) => getPairRegimes(pair, signal), enabled: Number.isFinite(pair) });

export const usePairRegimes = (pair: number) => useQuery(pairRegimesQueryOptions(pair));
