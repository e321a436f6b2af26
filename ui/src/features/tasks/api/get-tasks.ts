/** GET tasks/: the user's runs, newest first. */
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Page } from "@/lib/api";
import { isTerminal, type Task } from "@/lib/tasks";

export interface TaskListParams {
  status?: string[];
  kind?: string;
  limit?: number;
  offset?: number;
}

export const getTasks = (params: TaskListParams, signal?: AbortSignal) =>
  api.get<Page<Task>>("tasks/", { ordering: "-created_at", limit: params.limit ?? 50, offset: params.offset ?? 0, status: params.status, kind: params.kind }, { signal });

export const tasksQueryOptions = (params: TaskListParams) =>
  queryOptions({
    queryKey: ["tasks", "list", params] as const,
    queryFn: ({ signal }) => getTasks(params, signal),
    placeholderData: keepPreviousData,
    // New runs started elsewhere show up; running rows are live through their topics.
    refetchInterval: (query) => (query.state.data?.results.some((t) => !isTerminal(t.status)) ? 10_000 : 30_000),
  });

export const useTasks = (params: TaskListParams) => useQuery(tasksQueryOptions(params));
