import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { UploadPanel } from "./UploadPanel";
import { eventually } from "@/test/eventually";

let answer: () => Response = () => new Response("{}");
const sent: Array<Record<string, string>> = [];

// A stub of fetch that reads the multipart body as the browser built it (msw cannot read
// jsdom's File bodies).
beforeEach(() => {
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    const form = init.body as FormData;
    const file = form.get("file") as File;
    sent.push({ url, name: file.name, timeframe: String(form.get("timeframe")), on_error: String(form.get("on_error")) });
    return answer();
  });
});
afterEach(() => vi.unstubAllGlobals());

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": status === 200 ? "application/json" : "application/problem+json" } });

function show() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>
      <UploadPanel />
    </QueryClientProvider>,
  );
}

it("uploads a picked file and shows the summary", { timeout: 30_000 }, async () => {
  const user = userEvent.setup();
  answer = () => json({ rows: 4, inserted: 3, updated: 1, unchanged: 0, rejected: [], symbols_created: ["KO"] });
  show();
  await user.upload(screen.getByLabelText("Upload a bars file"), new File(["symbol,ts,close\nKO,2020-01-02,1\n"], "bars.csv", { type: "text/csv" }));
  await eventually(() => expect(screen.getByText(/4 rows · 3 inserted · 1 updated · 0 unchanged/)).toBeInTheDocument());
  expect(sent.at(-1)).toMatchObject({ url: expect.stringMatching(/\/api\/bars\/ingest$/), name: "bars.csv", timeframe: "1d", on_error: "abort" });
});

it("shows the 422 rejected rows as a table", { timeout: 30_000 }, async () => {
  const user = userEvent.setup();
  answer = () =>
    json(
      { title: "Rows rejected", status: 422, detail: "2 rows rejected", rejected: [{ row: 3, reason: "high < low" }, { row: 7, reason: "close is not a number" }] },
      422,
    );
  show();
  await user.upload(screen.getByLabelText("Upload a bars file"), new File(["x"], "bad.csv", { type: "text/csv" }));
  const table = await eventually(() => screen.getByRole("table", { name: "Rejected rows (2)" }));
  const rows = within(table).getAllByRole("row");
  // Data rows count from 0 on the wire; the table shows the file's lines (header = line 1).
  expect(rows[0]).toHaveTextContent("Line");
  expect(rows[1]).toHaveTextContent("5—high < low");
  expect(rows[2]).toHaveTextContent("9—close is not a number");
  expect(screen.getByRole("alert")).toHaveTextContent("bad.csv: 2 rows rejected, nothing stored");
});
