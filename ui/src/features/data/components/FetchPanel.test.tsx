import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { FetchPanel } from "./FetchPanel";
import { eventually } from "@/test/eventually";

const sent: Array<Record<string, unknown>> = [];

beforeEach(() => {
  sent.length = 0;
  vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
    sent.push(JSON.parse(String(init.body)));
    return new Response(JSON.stringify({ type: "about:blank", title: "Invalid input", status: 400, errors: { symbols: ["stop here"] } }), {
      status: 400,
      headers: { "Content-Type": "application/problem+json" },
    });
  });
});
afterEach(() => vi.unstubAllGlobals());

function show() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>
      <FetchPanel />
    </QueryClientProvider>,
  );
}

const options = (label: string) => Array.from((screen.getByLabelText(label) as HTMLSelectElement).options).map((o) => o.value);

it("offers each provider's timeframes and sends the one chosen", { timeout: 30_000 }, async () => {
  const user = userEvent.setup();
  show();
  expect(options("Timeframe")).toEqual(["1d"]); // Stooq: daily bars only
  await user.selectOptions(screen.getByLabelText("Provider"), "yahoo");
  expect(options("Timeframe")).toEqual(["1m", "5m", "15m", "1h", "1d", "1w", "1mo"]);
  await user.selectOptions(screen.getByLabelText("Timeframe"), "1h");
  await user.type(screen.getByLabelText("Symbols"), "KO, PEP");
  await user.click(screen.getByRole("button", { name: "Fetch" }));
  await eventually(() => expect(sent).toHaveLength(1));
  expect(sent[0]).toMatchObject({ provider: "yahoo", timeframe: "1h", symbols: ["KO", "PEP"] });
  // Back to Stooq: a timeframe it does not serve falls back to 1d.
  await user.selectOptions(screen.getByLabelText("Provider"), "stooq");
  expect((screen.getByLabelText("Timeframe") as HTMLSelectElement).value).toBe("1d");
});
