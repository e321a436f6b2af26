import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import type { Task } from "@/lib/tasks";
import { FakeWebSocket } from "@/test/fakeWebSocket";
import { apiPath, server, startMsw } from "@/test/msw";
import { renderRoute } from "@/test/render";
import TasksPage from "./TasksPage";

startMsw();

const task = (over: Partial<Task>): Task =>
  ({
    id: "11111111-2222-3333-4444-555555555555",
    kind: "scan",
    status: "running",
    progress: 0.25,
    message: "testing pairs",
    created_at: "2024-05-01T10:00:00Z",
    started_at: "2024-05-01T10:00:01Z",
    finished_at: null,
    result_url: "",
    error: "",
    cancel_requested: false,
    ...over,
  }) as Task;

const running = task({});
const done = task({ id: "99999999-2222-3333-4444-555555555555", kind: "backtest", status: "succeeded", progress: 1, message: "", finished_at: "2024-05-01T10:01:00Z", result_url: "/api/backtests/42/" });

beforeEach(() => FakeWebSocket.reset());

function listHandler(results: Task[], seen?: URLSearchParams[]) {
  return http.get(apiPath("tasks/"), ({ request }) => {
    seen?.push(new URL(request.url).searchParams);
    return HttpResponse.json({ count: results.length, next: null, previous: null, results });
  });
}

describe("tasks page", () => {
  it("lists tasks with status, progress and a link to the result", async () => {
    server.use(listHandler([running, done]));
    renderRoute(<TasksPage />, { path: "/tasks" });
    const table = await screen.findByRole("table", { name: /2 tasks/ });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "25");
    expect(within(rows[1]!).getByText("testing pairs")).toBeInTheDocument();
    expect(within(rows[2]!).getByRole("link", { name: "Open result" })).toHaveAttribute("href", "/backtests/42");
    expect(within(rows[2]!).queryByRole("button", { name: /Cancel/ })).toBeNull();
  });

  it("follows a running task's topic: progress moves without a reload, then it finishes", async () => {
    server.use(listHandler([running]), http.get(apiPath(`tasks/${running.id}/`), () => HttpResponse.json(task({ status: "succeeded", progress: 1, result_url: `/api/pairs/?scan=${running.id}` }))));
    const { stream } = renderRoute(<TasksPage />, { path: "/tasks" });
    await screen.findByRole("table");
    stream.start();
    const ws = FakeWebSocket.last;
    ws.accept();
    await waitFor(() => expect(ws.sentOfType("subscribe")).toContainEqual({ type: "subscribe", topic: `task:${running.id}` }));
    ws.receive({ type: "task.progress", topic: `task:${running.id}`, data: { status: "running", progress: 0.8, message: "almost" } });
    await waitFor(() => expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "80"));
    expect(screen.getByText("almost")).toBeInTheDocument();
    ws.receive({ type: "task.progress", topic: `task:${running.id}`, data: { status: "succeeded", progress: 1, message: "", error: "", result_url: `/api/pairs/?scan=${running.id}` } });
    const link = await screen.findByRole("link", { name: "Open result" });
    expect(link).toHaveAttribute("href", `/scanner?scan=${running.id}`);
  });

  it("cancels a running task", async () => {
    let cancelled = false;
    server.use(
      listHandler([running]),
      http.post(apiPath(`tasks/${running.id}/cancel`), () => {
        cancelled = true;
        return HttpResponse.json(task({ cancel_requested: true }));
      }),
    );
    renderRoute(<TasksPage />, { path: "/tasks" });
    await userEvent.click(await screen.findByRole("button", { name: /Cancel scan task 11111111/ }));
    await waitFor(() => expect(cancelled).toBe(true));
    expect(await screen.findByRole("button", { name: /Cancel scan task/ })).toHaveTextContent("Cancelling…");
  });

  it("says what to do when there is no task yet", async () => {
    server.use(listHandler([]));
    renderRoute(<TasksPage />, { path: "/tasks" });
    expect(await screen.findByRole("heading", { name: "No tasks yet" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "scan" })).toHaveAttribute("href", "/scanner");
  });

  it("filters by status through the API", async () => {
    const seen: URLSearchParams[] = [];
    server.use(listHandler([running], seen));
    renderRoute(<TasksPage />, { path: "/tasks" });
    await screen.findByRole("table");
    await userEvent.selectOptions(screen.getByLabelText("Status"), "active");
    await waitFor(() => expect(seen.at(-1)?.getAll("status")).toEqual(["pending", "running"]));
  });

  it("shows a load error as an alert", async () => {
    server.use(http.get(apiPath("tasks/"), () => HttpResponse.json({ status: 500, title: "Server error", detail: "An unexpected error occurred." }, { status: 500 })));
    renderRoute(<TasksPage />, { path: "/tasks" });
    expect(await screen.findByRole("alert")).toHaveTextContent("An unexpected error occurred.");
  });
});
