/** `GET symbols/`: the universe (first page of up to 500 symbols). */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Page, type Schemas } from "@/lib/api";

export type Symbol = Schemas["Symbol"];

export const getSymbols = (signal?: AbortSignal) => api.get<Page<Symbol>>("symbols/", { limit: 500 }, { signal });

export const symbolsQueryOptions = () => queryOptions({ queryKey: ["symbols", "list"], queryFn: ({ signal }) => getSymbols(signal) });

export const useSymbols = () => useQuery(symbolsQueryOptions());
