import type { ScanPair } from "../api/scanResults";
import { passesFdr } from "./ScanResults";

/** The finished scan in words: "done: 10 pairs, 4 significant (BH q ≤ 5%)". */
export function scanOutcome(rows: ScanPair[] | undefined, fdr: number | null): string {
  if (!rows) return "done: loading the pairs…";
  const n = rows.length;
  const significant = rows.filter((r) => (fdr === null ? r.is_cointegrated : passesFdr(r, fdr) === true)).length;
  const rule = fdr === null ? "cointegrated at the chosen level" : `BH q ≤ ${Math.round(fdr * 1000) / 10}%`;
  return `done: ${n.toLocaleString("en-US")} pair${n === 1 ? "" : "s"}, ${significant.toLocaleString("en-US")} significant (${rule})`;
}
