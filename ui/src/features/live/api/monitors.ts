/** `GET/POST monitors/`, `PATCH/DELETE monitors/<id>/`: pairs under live watch. */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Page, type Schemas } from "@/lib/api";

export type Monitor = Schemas["Monitor"];
export type MonitorCreate = Schemas["MonitorListInputRequest"];

export const monitorsKey = ["monitors", "list"] as const;

export const getMonitors = (signal?: AbortSignal) => api.get<Page<Monitor>>("monitors/", { limit: 200 }, { signal });
export const createMonitor = (body: MonitorCreate) => api.post<Monitor>("monitors/", body);
export const setMonitorActive = (id: number, active: boolean) => api.patch<Monitor>(`monitors/${id}/`, { active });
export const deleteMonitor = (id: number) => api.delete(`monitors/${id}/`);

export const monitorsQueryOptions = () => queryOptions({ queryKey: monitorsKey, queryFn: ({ signal }) => getMonitors(signal) });

export const useMonitors = () => useQuery(monitorsQueryOptions());

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: monitorsKey });
}

export function useCreateMonitor() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: createMonitor, onSuccess: invalidate });
}

export function useSetMonitorActive() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: ({ id, active }: { id: number; active: boolean }) => setMonitorActive(id, active), onSuccess: invalidate });
}

export function useDeleteMonitor() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: deleteMonitor, onSuccess: invalidate });
}
