/** `GET pairs/<id>/`: one stored pair with its analysis statistics. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "@/lib/api";

export type PairDetail = Schemas["PairDetail"];

export const getPair = (id: number, signal?: AbortSignal) => api.get<PairDetail>(`pairs/${id}/`, undefined, { signal });

export const pairQueryOptions = (id: number) =>
  queryOptions({ queryKey: ["pairs", "detail", id], queryFn: ({ signal }) => getPair(id, signal), enabled: Number.isFinite(id) });

export const usePair = (id: number) => useQuery(pairQueryOptions(id));
