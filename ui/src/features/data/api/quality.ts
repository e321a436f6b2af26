/** `GET symbols/<ticker>/quality`: gaps, stale runs, outliers of one symbol's bars. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";

export interface QualityReport {
  n_bars?: number;
  missing_count?: number;
  missing?: string[];
  [key: string]: unknown;
}

export const getQuality = (ticker: string, timeframe: string, signal?: AbortSignal) =>
  api.get<QualityReport>(`symbols/${encodeURIComponent(ticker)}/quality`, { timeframe }, { signal });

export const qualityQueryOptions = (ticker: string, timeframe: string) =>
  queryOptions({ queryKey: ["symbols", "quality", ticker, timeframe], queryFn: ({ signal }) => getQuality(ticker, timeframe, signal) });

export const useQuality = (ticker: string | null, timeframe: string) =>
  useQuery({ ...qualityQueryOptions(ticker ?? "", timeframe), enabled: Boolean(ticker) });
