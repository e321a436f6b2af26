/** Parameter sets: `GET/POST parameters/`, `PATCH/DELETE parameters/<id>/`. */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Page, type Schemas } from "@/lib/api";

export type ParameterSet = Schemas["ParameterSet"];
export type ParameterSetBody = Schemas["ParameterSetListInputRequest"];
export type ParameterSetPatch = Schemas["PatchedParameterSetDetailInputRequest"];

export const listParameterSets = (pair: number, signal?: AbortSignal) => api.get<Page<ParameterSet>>("parameters/", { pair, ordering: "-created_at", limit: 200 }, { signal });
export const parameterSetsOptions = (pair: number | null) =>
  queryOptions({ queryKey: ["parameters", "list", { pair }], queryFn: ({ signal }) => listParameterSets(pair as number, signal), enabled: pair !== null });
export const useParameterSets = (pair: number | null) => useQuery(parameterSetsOptions(pair));

export const createParameterSet = (body: ParameterSetBody) => api.post<ParameterSet>("parameters/", body);
export const updateParameterSet = (id: number, body: ParameterSetPatch) => api.patch<ParameterSet>(`parameters/${id}/`, body);
export const deleteParameterSet = (id: number) => api.delete(`parameters/${id}/`);

function useInvalidate() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ["parameters", "list"] });
}
export const useCreateParameterSet = () => useMutation({ mutationFn: createParameterSet, onSuccess: useInvalidate() });
export const useUpdateParameterSet = () => useMutation({ mutationFn: ({ id, body }: { id: number; body: ParameterSetPatch }) => updateParameterSet(id, body), onSuccess: useInvalidate() });
export const useDeleteParameterSet = () => useMutation({ mutationFn: deleteParameterSet, onSuccess: useInvalidate() });
