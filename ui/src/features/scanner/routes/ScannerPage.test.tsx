import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { MemoryRouter } from "react-router";
import ScannerPage from "./ScannerPage";
import { eventually } from "@/test/eventually";

const bodies: unknown[] = [];
const server = setupServer(
  http.post("/api/pairs/scan", async ({ request }) => {
    bodies.push(await request.json());
    return HttpResponse.json(
      { type: "about:blank", title: "Invalid input", status: 400, errors: { significance_level: ["Ensure this value is less than or equal to 1."] } },
      { status: 400, headers: { "Content-Type": "application/problem+json" } },
    );
  }),
);
beforeAll(() => server.listen());
afterAll(() => server.close());

it("submits the form and shows a 400 field error next to its field", { timeout: 30_000 }, async () => {
  const user = userEvent.setup();
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>
        <ScannerPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  await user.click(screen.getByLabelText("All symbols of the universe"));
  await user.type(screen.getByLabelText("Symbols"), "ko pep xom");
  const sig = screen.getByLabelText("Significance (p <)");
  await user.clear(sig);
  await user.type(sig, "2");
  await user.click(screen.getByRole("button", { name: "Run the scan" }));
  await eventually(() => expect(screen.getByText("Ensure this value is less than or equal to 1.")).toBeInTheDocument());
  expect(screen.getByLabelText("Significance (p <)")).toHaveAttribute("aria-invalid", "true");
  expect(bodies[0]).toEqual({ symbols: ["KO", "PEP", "XOM"], timeframe: "1d", significance_level: 2, fdr: 0.05 });
});

it("asks for two symbols before sending anything", { timeout: 30_000 }, async () => {
  const user = userEvent.setup();
  bodies.length = 0;
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <ScannerPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  await user.click(screen.getByLabelText("All symbols of the universe"));
  await user.type(screen.getByLabelText("Symbols"), "KO");
  await user.click(screen.getByRole("button", { name: "Run the scan" }));
  expect(screen.getByRole("alert")).toHaveTextContent("at least two symbols");
  expect(bodies).toEqual([]);
});
