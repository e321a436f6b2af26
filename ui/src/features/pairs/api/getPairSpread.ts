/**
 * `GET pairs/<id>/spread?lookback=`: both legs' closes, the static spread and its rolling
 * z-score, and the Kalman dynamic hedge. The moment the data arrives is marked
 * (`titan:pair-data`) so the page can measure data-to-drawn time.
 */
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";

/** The spread endpoint's answer (OpenAPI: a free-form object; shape from research/services.py). */
export interface PairSpread {
  pair_id: number;
  lookback: number;
  hedge_ratio: number | null;
  intercept: number | null;
  ts: string[];
  price_1: Array<number | null>;
  price_2: Array<number | null>;
  spread: Array<number | null>;
  zscore: Array<number | null>;
  dynamic_beta: Array<number | null>;
  dynamic_alpha: Array<number | null>;
  dynamic_spread: Array<number | null>;
}

export const PAIR_DATA_MARK = "titan:pair-data";

export async function getPairSpread(id: number, lookback: number, signal?: AbortSignal): Promise<PairSpread> {
  const data = await api.get<PairSpread>(`pairs/${id}/spread`, { lookback }, { signal });
  performance.mark(PAIR_DATA_MARK, { detail: { bars: data.ts.length } });
  return data;
}

export const pairSpreadQueryOptions = (id: number, lookback: number) =>
  queryOptions({
    queryKey: ["pairs", "spread", id, lookback],
    queryFn: ({ signal }) => getPairSpread(id, lookback, signal),
    enabled: Number.isFinite(id) && lookback >= 2,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

export const usePairSpread = (id: number, lookback: number) => useQuery(pairSpreadQueryOptions(id, lookback));
