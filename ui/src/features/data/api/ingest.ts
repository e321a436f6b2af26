/** `POST bars/ingest` with a file (multipart): 200 report, 422 with per-row rejections, 202 task. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "@/lib/api";

export interface IngestReport {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: Array<{ row: number; reason: string; [k: string]: unknown }>;
  symbols_created: string[];
}

export type IngestAnswer = { kind: "report"; report: IngestReport } | { kind: "task"; task: Schemas["Task"] };

export interface IngestInput {
  file: File;
  timeframe: string;
  on_error: "abort" | "skip";
}

export async function ingestFile(input: IngestInput): Promise<IngestAnswer> {
  const form = new FormData();
  form.append("file", input.file, input.file.name);
  form.append("timeframe", input.timeframe);
  form.append("on_error", input.on_error);
  const body = await api.post<IngestReport | Schemas["Task"]>("bars/ingest", form);
  if ("kind" in body && "status" in body) return { kind: "task", task: body as Schemas["Task"] };
  return { kind: "report", report: body as IngestReport };
}

export function useIngestFile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ingestFile,
    onSettled: () => client.invalidateQueries({ queryKey: ["bars", "coverage"] }),
  });
}
