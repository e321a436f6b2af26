import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ApiError } from "@/lib/api";
import { BacktestForm } from "./BacktestForm";

const pairs = [{ id: 3, symbol_1: "KO", symbol_2: "PEP", timeframe: "1d" }] as never[];
const me = { id: 1, username: "demo", cost_bps: 2, default_params: { lookback: 60, entry_z: 2, exit_z: 0.5, stop_z: 4 } };

describe("BacktestForm", () => {
  it("submits the body built from the pre-filled values", async () => {
    const onSubmit = vi.fn();
    render(<BacktestForm pairs={pairs} pair={3} me={me} submitting={false} error={null} onSubmit={onSubmit} />);
    expect(screen.getByLabelText("Pair")).toHaveValue("3");
    await userEvent.click(screen.getByRole("button", { name: "Run backtest" }));
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ pair: 3, params: expect.objectContaining({ entry_z: 2, exit_z: 0.5, stop_z: 4 }), costs: { cost_bps: 2 } }));
  });

  it("shows a client error next to its field and does not submit", async () => {
    const onSubmit = vi.fn();
    render(<BacktestForm pairs={pairs} pair={3} me={me} submitting={false} error={null} onSubmit={onSubmit} />);
    await userEvent.clear(screen.getByLabelText("Exit |z|"));
    await userEvent.type(screen.getByLabelText("Exit |z|"), "3");
    await userEvent.click(screen.getByRole("button", { name: "Run backtest" }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Exit |z|")).toHaveAccessibleDescription("Exit must be below entry.");
  });

  it("shows the field errors of a 400 problem next to their fields", () => {
    const error = new ApiError({ status: 400, title: "Invalid input", errors: { "params.lookback": ["Ensure this value is greater than or equal to 2."], capital: ["A valid number is required."] } });
    render(<BacktestForm pairs={pairs} pair={3} me={me} submitting={false} error={error} onSubmit={() => {}} />);
    expect(screen.getByLabelText("Lookback")).toHaveAccessibleDescription("Ensure this value is greater than or equal to 2.");
    expect(screen.getByLabelText("Capital")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getAllByRole("alert").some((a) => a.textContent?.includes("Invalid input"))).toBe(true);
  });
});
