/** `POST replay/`: play stored history forward as live for your monitors (a task; stop = cancel). */
import { useMutation } from "@tanstack/react-query";
import { api, type Schemas } from "@/lib/api";

export type ReplayInput = Schemas["ReplayInputRequest"];

export const startReplay = (body: ReplayInput) => api.post<Schemas["Task"]>("replay/", body);

export const useStartReplay = () => useMutation({ mutationFn: startReplay });
