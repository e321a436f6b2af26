import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import type { ScanPair } from "../api/scanResults";
import { ScanResults } from "./ScanResults";
import { defaultScanValues, scanBody } from "./ScanForm";

function pairs(n: number): ScanPair[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    symbol_1: `S${i}`,
    symbol_2: `T${i}`,
    timeframe: "1d",
    pvalue: ((i * 7919) % n) / n / 10,
    qvalue: ((i * 7919) % n) / n / 5,
    hedge_ratio: 1 + i / n,
    half_life: 5 + (i % 30),
    correlation: 0.5 + (i % 50) / 100,
    hurst: 0.3 + (i % 20) / 100,
    stability_score: (i % 10) / 10,
    is_cointegrated: true,
    scan_id: "x",
    created_at: "2026-01-01T00:00:00Z",
  })) as ScanPair[];
}

function show(rows: ScanPair[]) {
  return render(
    <MemoryRouter initialEntries={["/scanner"]}>
      <Routes>
        <Route path="/scanner" element={<ScanResults rows={rows} fdr={0.05} />} />
        <Route path="/pairs/:id" element={<h1>pair page</h1>} />
      </Routes>
    </MemoryRouter>,
  );
}

describe("scan results", () => {
  it("renders 5,000 rows fast (windowed) and prints the time", { timeout: 30_000 }, () => {
    const rows = pairs(5000);
    const t0 = performance.now();
    show(rows);
    const ms = performance.now() - t0;
    console.log(`scan results: 5,000 rows rendered in ${ms.toFixed(1)} ms`);
    const table = screen.getByRole("table", { name: /Scan results: 5000 of 5000 pairs/ });
    expect(within(table).getAllByRole("row").length).toBeLessThan(80); // only the visible window
    expect(ms).toBeLessThan(5000); // jsdom on a shared CI machine; the browser figure is far lower
  });

  it("sorts by a column, filters, flags the FDR in text, and opens a pair with Enter", { timeout: 30_000 }, async () => {
    const user = userEvent.setup();
    show(pairs(12)); // under the window height: every row is in the DOM
    const table = screen.getByRole("table");
    const firstPair = () => within(table).getAllByRole("row")[1]!;
    // initial sort: p-value ascending: the smallest p is pair 1 (p = 0)
    expect(firstPair()).toHaveTextContent("S0 / T0");
    await user.click(screen.getByRole("button", { name: /Half-life/ }));
    await user.click(screen.getByRole("button", { name: /Half-life/ }));
    expect(screen.getByRole("columnheader", { name: /Half-life/ })).toHaveAttribute("aria-sort", "descending");
    expect(firstPair()).toHaveTextContent("16.0"); // half-life 5 + 11
    expect(within(table).getAllByText(/passes|fails/).length).toBe(12);
    await user.type(screen.getByLabelText("Symbol contains"), "S1");
    expect(screen.getByRole("table", { name: /3 of 12/ })).toBeInTheDocument(); // S1, S10, S11
    await user.click(screen.getByLabelText("Only pairs passing the FDR"));
    const onlyPass = within(screen.getByRole("table")).getAllByRole("row").slice(1);
    onlyPass.forEach((r) => expect(r).toHaveTextContent("passes"));
    onlyPass[0]!.focus();
    await user.keyboard("{Enter}");
    expect(screen.getByRole("heading", { name: "pair page" })).toBeInTheDocument();
  });

  it("builds the scan body with only documented fields", () => {
    const body = scanBody({ ...defaultScanValues, all: false, start: "2020-01-01", minCorrelation: "0.6", maxHalfLife: "" }, ["KO", "PEP"]);
    expect(body).toEqual({ symbols: ["KO", "PEP"], timeframe: "1d", significance_level: 0.05, fdr: 0.05, start: "2020-01-01T00:00:00.000Z", min_correlation: 0.6 });
  });
});
