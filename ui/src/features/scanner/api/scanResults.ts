/** `GET pairs/?scan=<task id>`: every stored pair of a scan (all pages, 500 at a time). */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Page, type Schemas } from "@/lib/api";

export type ScanPair = Schemas["Pair"];

const PAGE = 500;

export async function getScanResults(scan: string, signal?: AbortSignal): Promise<ScanPair[]> {
  const out: ScanPair[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await api.get<Page<ScanPair>>("pairs/", { scan, limit: PAGE, offset }, { signal });
    out.push(...page.results);
    if (!page.next || page.results.length === 0) return out;
  }
}

export const scanResultsQueryOptions = (scan: string) =>
  queryOptions({ queryKey: ["pairs", "scan", scan], queryFn: ({ signal }) => getScanResults(scan, signal) });

export const useScanResults = (scan: string | null, enabled: boolean) =>
  useQuery({ ...scanResultsQueryOptions(scan ?? ""), enabled: Boolean(scan) && enabled });
