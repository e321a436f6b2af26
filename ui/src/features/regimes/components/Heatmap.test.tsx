import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Heatmap, heatCells } from "./Heatmap";

const rows = [
  { lookback: 40, entry_z: 1.5, exit_z: 0.5, stop_z: 4, score: 0.2, n_trades: 10 },
  { lookback: 40, entry_z: 1.5, exit_z: 0, stop_z: 4, score: 0.4, n_trades: 12 },
  { lookback: 60, entry_z: 1.5, exit_z: 0.5, stop_z: 4, score: -0.1, n_trades: 8 },
  { lookback: 60, entry_z: 2, exit_z: 0.5, stop_z: 4, score: 0.9, n_trades: 5 },
];

describe("Heatmap", () => {
  it("keeps the best score per entry_z × lookback", () => {
    const { lookbacks, entries, cells } = heatCells(rows);
    expect(lookbacks).toEqual([40, 60]);
    expect(entries).toEqual([1.5, 2]);
    expect(cells.get("1.5|40")?.score).toBe(0.4);
    expect(cells.has("2|40")).toBe(false);
  });

  it("names every cell, shows the value on focus, and has a table fallback", async () => {
    render(<Heatmap rows={rows} objective="sharpe" />);
    const cell = screen.getByRole("button", { name: "entry_z 2, lookback 60: sharpe 0.90" });
    await userEvent.hover(cell);
    expect(await screen.findByText("entry_z 2, lookback 60: sharpe 0.900, 5 trades")).toBeInTheDocument();
    const table = screen.getByRole("table", { name: "Objective sharpe by entry_z (rows) and lookback (columns)" });
    expect(table.querySelectorAll("td")).toHaveLength(4);
    expect(screen.getByRole("button", { name: "entry_z 2, lookback 40: sharpe n/a" })).toHaveTextContent("—");
  });
});
