/** `GET signals/?pair=`: the stored signals of a pair (initial markers and feed). */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "@/lib/api";

export type StoredSignal = Schemas["Signal"];

export const getPairSignals = (pair: number, signal?: AbortSignal) =>
  api.get<{ results: StoredSignal[]; next: string | null }>("signals/", { pair, limit: 5000 }, { signal });

export const pairSignalsQueryOptions = (pair: number) => queryOptions({ queryKey: ["signals", "pair", pair], queryFn: ({ signal }) => getPairSignals(pair, signal), staleTime: Infinity });
export const usePairSignals = (pair: number | null) => useQuery({ ...pairSignalsQueryOptions(pair ?? 0), enabled: pair !== null });
