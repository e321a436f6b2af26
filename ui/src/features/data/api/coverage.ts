/** `GET bars/coverage`: first and last bar and bar count per stored series, in one request. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { operations } from "@/lib/api-types";

export type Coverage = operations["bar_coverage_get"]["responses"][200]["content"]["application/json"][number];

export const getCoverage = (signal?: AbortSignal) => api.get<Coverage[]>("bars/coverage", undefined, { signal });

export const coverageQueryOptions = () => queryOptions({ queryKey: ["bars", "coverage"], queryFn: ({ signal }) => getCoverage(signal) });

export const useCoverage = () => useQuery(coverageQueryOptions());
