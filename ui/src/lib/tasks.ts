/**
 * Tasks, shared by every feature that starts one (scan, fetch, backtest, walk-forward...):
 * the REST resource `GET tasks/<id>/` through TanStack Query, kept live by the `task:<id>`
 * topic's `task.progress` events.
 */
import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "./api";
import { useTopic } from "./stream";

export type Task = Schemas["Task"];
export type TaskStatus = Task["status"];

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(["succeeded", "failed", "cancelled", "interrupted"]);

export function isTerminal(status: string | undefined): boolean {
  return status !== undefined && TERMINAL_STATUSES.has(status);
}

export const getTask = (id: string, signal?: AbortSignal) => api.get<Task>(`tasks/${id}/`, undefined, { signal });

export const cancelTask = (id: string) => api.post<Task>(`tasks/${id}/cancel`);

export const taskQueryKey = (id: string) => ["tasks", "detail", id] as const;

export const taskQueryOptions = (id: string) =>
  queryOptions({
    queryKey: taskQueryKey(id),
    queryFn: ({ signal }) => getTask(id, signal),
    // The topic keeps it fresh; poll slowly as a safety net while it runs.
    refetchInterval: (query) => (isTerminal(query.state.data?.status) ? false : 5_000),
  });

interface ProgressData {
  status?: string;
  progress?: number | null;
  message?: string | null;
  error?: string;
  result_url?: string;
}

/**
 * A task, live: REST for the state at mount (and after a reload: running tasks reattach),
 * the `task:<id>` topic for progress. `initial` (a row of the task list) avoids a request.
 */
export function useTaskProgress(taskId: string | null | undefined, initial?: Task) {
  const client = useQueryClient();
  const query = useQuery({ ...taskQueryOptions(taskId ?? ""), enabled: Boolean(taskId), initialData: initial });
  const running = Boolean(taskId) && !isTerminal(query.data?.status);
  useTopic(running ? `task:${taskId}` : null, (event) => {
    if (event.type !== "task.progress" || !taskId) return;
    const data = (event.data ?? {}) as ProgressData;
    const patch: Partial<Record<keyof Task, unknown>> = {};
    if (data.status) patch.status = data.status;
    if (typeof data.progress === "number") patch.progress = data.progress;
    if (typeof data.message === "string") patch.message = data.message;
    if (data.error !== undefined) patch.error = data.error;
    if (data.result_url !== undefined) patch.result_url = data.result_url;
    client.setQueryData<Task>(taskQueryKey(taskId), (old) => (old ? ({ ...old, ...patch } as Task) : old));
    if (data.status && isTerminal(data.status)) {
      void client.invalidateQueries({ queryKey: taskQueryKey(taskId) });
      void client.invalidateQueries({ queryKey: ["tasks", "list"] });
    }
  });
  return {
    task: query.data,
    isLoading: query.isLoading,
    error: query.error,
    progress: query.data?.progress ?? 0,
    status: query.data?.status,
    isRunning: running && query.data !== undefined,
  };
}

/** The dashboard page that shows what a task produced (its `result_url` is an API URL). */
export function resultRoute(resultUrl: string | null | undefined): string | null {
  if (!resultUrl) return null;
  const url = new URL(resultUrl, "http://x");
  const path = url.pathname;
  let m: RegExpMatchArray | null;
  if ((m = path.match(/^\/api\/backtests\/(\d+)\/?/))) return `/backtests/${m[1]}`;
  if ((m = path.match(/^\/api\/walkforward\/(\d+)\/?/))) return `/walkforward/${m[1]}`;
  if ((m = path.match(/^\/api\/pairs\/(\d+)\/?/))) return `/pairs/${m[1]}`;
  if (path.startsWith("/api/pairs/") && url.searchParams.get("scan")) return `/scanner?scan=${url.searchParams.get("scan")}`;
  if (path.startsWith("/api/parameters/") || path.startsWith("/api/regimes/")) return "/regimes";
  if (path.startsWith("/api/monitors/") || path.startsWith("/api/signals/") || path.startsWith("/api/replay")) return "/live";
  if (path.startsWith("/api/bars/") || path.startsWith("/api/symbols/")) return "/data";
  return null;
}
