/** `GET symbols/<ticker>/quality`: gaps, stale runs, outliers of one symbol's bars. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";

/** The report (engine/data/quality.py `QualityReport.to_dict`, plus `missing_count`). */
export interface QualityReport {
  symbol?: string;
  timeframe?: string;
  first?: string | null;
  last?: string | null;
  count?: number;
  expected?: number;
  /** The expected timestamps with no bar (the first 500). */
  missing?: string[];
  /** Every missing bar (`missing` is cut at 500). */
  missing_count?: number;
  coverage?: number;
  off_calendar?: number;
  stale_runs?: Array<{ start: string; end: string; length: number; close: number }>;
  outliers?: Array<{ ts: string; log_return: number; robust_z: number }>;
  calendar?: string;
  detected_timeframe?: string | null;
  median_spacing_s?: number | null;
  warnings?: string[];
}

export const getQuality = (ticker: string, timeframe: string, signal?: AbortSignal) =>
  api.get<QualityReport>(`symbols/${encodeURIComponent(ticker)}/quality`, { timeframe }, { signal });

export const qualityQueryOptions = (ticker: string, timeframe: string) =>
  queryOptions({ queryKey: ["symbols", "quality", ticker, timeframe], queryFn: ({ signal }) => getQuality(ticker, timeframe, signal) });

export const useQuality = (ticker: string | null, timeframe: string) =>
  useQuery({ ...qualityQueryOptions(ticker ?? "", timeframe), enabled: Boolean(ticker) });
