/** `GET symbols/`: the tickers of the universe (for "scan all"). */
import { api, type Page, type Schemas } from "@/lib/api";

export async function getAllTickers(): Promise<string[]> {
  const out: string[] = [];
  for (let offset = 0; offset < 5000; offset += 500) {
    const page = await api.get<Page<Schemas["Symbol"]>>("symbols/", { limit: 500, offset });
    out.push(...page.results.map((s) => s.ticker));
    if (!page.next) break;
  }
  return out;
}
