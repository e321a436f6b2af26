/** `POST pairs/scan`: a universe scan as a task (202). */
import { useMutation } from "@tanstack/react-query";
import { api, type Schemas } from "@/lib/api";

export type ScanInput = Schemas["PairScanInputRequest"];

export const startScan = (input: ScanInput) => api.post<Schemas["Task"]>("pairs/scan", input);

export const useStartScan = () => useMutation({ mutationFn: startScan });
