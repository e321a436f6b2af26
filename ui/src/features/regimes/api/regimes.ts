/** `GET regimes/?pair=` and `POST regimes/detect` (volatility answers now; markov is a task). */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Page, type Schemas } from "@/lib/api";

export type Regime = Schemas["Regime"];
export type DetectBody = Schemas["RegimeDetectInputRequest"];
export type DetectOutput = Schemas["RegimeDetectOutput"];
export type Task = Schemas["Task"];

export const listRegimes = (pair: number, signal?: AbortSignal) => api.get<Page<Regime>>("regimes/", { pair, ordering: "start", limit: 500 }, { signal });
export const regimesOptions = (pair: number | null) =>
  queryOptions({ queryKey: ["regimes", "list", { pair }], queryFn: ({ signal }) => listRegimes(pair as number, signal), enabled: pair !== null });
export const useRegimes = (pair: number | null) => useQuery(regimesOptions(pair));

/** 201/200 with the spans (volatility) or 202 with a task (markov). */
export const detectRegimes = (body: DetectBody) => api.post<DetectOutput | Task>("regimes/detect", body);
export const isTask = (r: DetectOutput | Task | undefined): r is Task => Boolean(r && "kind" in r && "status" in r);

export function useDetectRegimes() {
  const client = useQueryClient();
  return useMutation({ mutationFn: detectRegimes, onSuccess: () => void client.invalidateQueries({ queryKey: ["regimes", "list"] }) });
}
