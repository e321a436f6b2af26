/** `GET pairs/<id>/`: a pair whose legs pre-fill the walk-forward universe (`?pair=`). */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "@/lib/api";

export const getPair = (id: number, signal?: AbortSignal) => api.get<Schemas["PairDetail"]>(`pairs/${id}/`, undefined, { signal });
export const usePair = (id: number | null) =>
  useQuery(queryOptions({ queryKey: ["pairs", "detail", id], queryFn: ({ signal }) => getPair(id as number, signal), enabled: id !== null && Number.isFinite(id) }));
