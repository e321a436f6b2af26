import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { getDisplayPrefs, setDisplayPrefs } from "@/lib/prefs";
import { apiPath, server, startMsw } from "@/test/msw";
import { renderRoute } from "@/test/render";
import SettingsPage from "./SettingsPage";

startMsw();

vi.mock("@/components/charts", () => ({ TimeChart: ({ label }: { label: string }) => <div role="img" aria-label={label} /> }));

const ME = {
  id: 1,
  username: "demo",
  email: "demo@titan.local",
  is_staff: false,
  capital: "1000000.00",
  cost_bps: 1,
  slippage_bps: 0,
  borrow_rate: 0,
  timezone: "UTC",
  default_params: { lookback: 60, entry_z: 2, exit_z: 0.5, stop_z: 4, max_holding: 60 },
};

beforeEach(() => setDisplayPrefs({ theme: "dark", time: "utc", upColor: "green-up" }));

describe("settings page", () => {
  it("loads the preferences and saves a change", async () => {
    let sent: Record<string, unknown> | null = null;
    server.use(
      http.get(apiPath("auth/me"), () => HttpResponse.json(ME)),
      http.patch(apiPath("auth/me"), async ({ request }) => {
        sent = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ ...ME, cost_bps: 2.5 });
      }),
    );
    renderRoute(<SettingsPage />, { path: "/settings" });
    const cost = await screen.findByLabelText("Commission (bps)");
    expect(cost).toHaveValue(1);
    await userEvent.clear(cost);
    await userEvent.type(cost, "2.5");
    await userEvent.click(screen.getByRole("button", { name: "Save preferences" }));
    expect(await screen.findByText("Preferences saved.")).toBeInTheDocument();
    expect(sent).toMatchObject({ cost_bps: 2.5, capital: "1000000.00", timezone: "UTC", default_params: { lookback: 60, entry_z: 2, exit_z: 0.5, stop_z: 4, max_holding: 60 } });
  });

  it("shows a nested validation error next to its field", async () => {
    server.use(
      http.get(apiPath("auth/me"), () => HttpResponse.json(ME)),
      http.patch(apiPath("auth/me"), () =>
        HttpResponse.json({ type: "https://titan/problems/validation", title: "Invalid input", status: 400, errors: { "default_params.exit_z": ["must be below entry_z"] } }, { status: 400, headers: { "Content-Type": "application/problem+json" } }),
      ),
    );
    renderRoute(<SettingsPage />, { path: "/settings" });
    const exit = await screen.findByLabelText("Exit z");
    await userEvent.clear(exit);
    await userEvent.type(exit, "3");
    await userEvent.click(screen.getByRole("button", { name: "Save preferences" }));
    await waitFor(() => expect(exit).toHaveAttribute("aria-invalid", "true"));
    expect(exit).toHaveAccessibleDescription("Below the entry z. must be below entry_z");
    expect(screen.getAllByRole("alert").some((a) => a.textContent?.includes("The preferences were not saved"))).toBe(true);
  });

  it("switches theme, time and up colour in this browser at once", async () => {
    server.use(http.get(apiPath("auth/me"), () => HttpResponse.json(ME)));
    renderRoute(<SettingsPage />, { path: "/settings" });
    await userEvent.click(await screen.findByLabelText("Light"));
    expect(document.documentElement.dataset.theme).toBe("light");
    await userEvent.click(screen.getByLabelText("Local time of this browser"));
    await userEvent.click(screen.getByLabelText("Red up, green down"));
    expect(getDisplayPrefs()).toEqual({ theme: "light", time: "local", upColor: "red-up" });
    expect(JSON.parse(localStorage.getItem("titan.display") ?? "{}")).toEqual({ theme: "light", time: "local", upColor: "red-up" });
    expect(screen.getByRole("img", { name: /Chart preview/ })).toBeInTheDocument();
  });
});
