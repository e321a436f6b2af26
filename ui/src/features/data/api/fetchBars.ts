/** `POST bars/fetch`: fetch bars from a provider as a task (202). */
import { useMutation } from "@tanstack/react-query";
import { api, type Schemas } from "@/lib/api";

export type FetchInput = Schemas["BarFetchInputRequest"];

export const fetchBars = (input: FetchInput) => api.post<Schemas["Task"]>("bars/fetch", input);

export const useFetchBars = () => useMutation({ mutationFn: fetchBars });
