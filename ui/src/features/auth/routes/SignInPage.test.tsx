import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { getAccessToken, getSession } from "@/lib/session";
import { apiPath, server, startMsw } from "@/test/msw";
import { renderRoute } from "@/test/render";
import SignInPage, { safeNext } from "./SignInPage";

startMsw();

const problem = (status: number, body: Record<string, unknown>) => HttpResponse.json({ status, ...body }, { status, headers: { "Content-Type": "application/problem+json" } });

function signInHandlers() {
  return [
    http.post(apiPath("auth/token"), async ({ request }) => {
      const body = (await request.json()) as Record<string, string>;
      if (!body.username) return problem(400, { title: "Invalid input", errors: { username: ["This field may not be blank."] } });
      if (body.password !== "titan-demo-2026") return problem(401, { title: "Not authenticated", detail: "No active account with these credentials." });
      return HttpResponse.json({ access: "a-1", token_type: "Bearer", expires_in: 900 });
    }),
    http.get(apiPath("auth/me"), () => HttpResponse.json({ id: 1, username: "demo", is_staff: false })),
  ];
}

describe("sign-in page", () => {
  it("signs in and returns to the page in ?next=", async () => {
    server.use(...signInHandlers());
    const { router } = renderRoute(<SignInPage />, {
      path: "/signin?next=%2Fpairs%2F3%3Ftab%3Dstats",
      pattern: "/signin",
      user: null,
      extraRoutes: [{ path: "/pairs/:id", element: <p>pair page</p> }],
    });
    await userEvent.type(screen.getByLabelText("Username"), "demo");
    await userEvent.type(screen.getByLabelText("Password"), "titan-demo-2026");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("pair page")).toBeInTheDocument();
    expect(router.state.location.pathname + router.state.location.search).toBe("/pairs/3?tab=stats");
    expect(getSession().status).toBe("signed-in");
    expect(getAccessToken()).toBe("a-1");
  });

  it("shows the field error from problem+json next to its field", async () => {
    server.use(...signInHandlers());
    renderRoute(<SignInPage />, { path: "/signin", pattern: "/signin", user: null });
    await userEvent.type(screen.getByLabelText("Password"), "x");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    const field = screen.getByLabelText("Username");
    await waitFor(() => expect(field).toHaveAttribute("aria-invalid", "true"));
    expect(field).toHaveAccessibleDescription("This field may not be blank.");
  });

  it("shows bad credentials in an alert", async () => {
    server.use(...signInHandlers());
    renderRoute(<SignInPage />, { path: "/signin", pattern: "/signin", user: null });
    await userEvent.type(screen.getByLabelText("Username"), "demo");
    await userEvent.type(screen.getByLabelText("Password"), "nope");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("No active account with these credentials.");
    expect(getSession().status).toBe("signed-out");
  });

  it("only returns to paths of this app", () => {
    expect(safeNext("/live")).toBe("/live");
    expect(safeNext("https://evil.example/")).toBe("/data");
    expect(safeNext("//evil.example/x")).toBe("/data");
    expect(safeNext("/signin?next=/x")).toBe("/data");
    expect(safeNext(null)).toBe("/data");
  });
});
