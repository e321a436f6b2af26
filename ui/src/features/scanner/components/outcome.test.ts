import type { ScanPair } from "../api/scanResults";
import { scanOutcome } from "./outcome";

const pair = (qvalue: number, is_cointegrated = true) => ({ qvalue, is_cointegrated }) as unknown as ScanPair;

describe("scan outcome", () => {
  it("says how many pairs were stored and how many pass the FDR", () => {
    expect(scanOutcome([pair(0.01), pair(0.2), pair(0.04)], 0.05)).toBe("done: 3 pairs, 2 significant (BH q ≤ 5%)");
    expect(scanOutcome([pair(0.3, false)], null)).toBe("done: 1 pair, 0 significant (cointegrated at the chosen level)");
    expect(scanOutcome(undefined, 0.05)).toBe("done: loading the pairs…");
  });
});
