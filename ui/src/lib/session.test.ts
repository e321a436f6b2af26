import { http, HttpResponse } from "msw";
import { api, ApiError } from "./api";
import { COOKIE_HEADER, expire, getAccessToken, getSession, refresh, resetSession, restore, signIn, signOut } from "./session";
import { apiPath, server, startMsw } from "@/test/msw";

startMsw();

const ME = { id: 1, username: "demo", is_staff: false, email: "", capital: "1000000.00" };

function authHandlers(log: string[], opts: { refreshOk?: () => boolean; expiresIn?: number } = {}) {
  let n = 0;
  return [
    http.post(apiPath("auth/token"), async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      log.push(`token cookie=${String(body.cookie)}`);
      if (body.password !== "right") {
        return HttpResponse.json({ status: 401, title: "Not authenticated", detail: "No active account with these credentials." }, { status: 401, headers: { "Content-Type": "application/problem+json" } });
      }
      return HttpResponse.json({ access: "access-0", token_type: "Bearer", expires_in: opts.expiresIn ?? 900 });
    }),
    http.post(apiPath("auth/refresh"), ({ request }) => {
      log.push(`refresh header=${request.headers.get(COOKIE_HEADER)}`);
      if (opts.refreshOk && !opts.refreshOk()) return HttpResponse.json({ status: 401, title: "Not authenticated" }, { status: 401 });
      n += 1;
      return HttpResponse.json({ access: `access-${n}`, token_type: "Bearer", expires_in: opts.expiresIn ?? 900 });
    }),
    http.post(apiPath("auth/logout"), ({ request }) => {
      log.push(`logout header=${request.headers.get(COOKIE_HEADER)}`);
      return new HttpResponse(null, { status: 204 });
    }),
    http.get(apiPath("auth/me"), ({ request }) => {
      log.push(`me ${request.headers.get("Authorization")}`);
      return HttpResponse.json(ME);
    }),
  ];
}

beforeEach(() => resetSession());
afterEach(() => vi.useRealTimers());

describe("session", () => {
  it("signs in asking for the refresh cookie and keeps the access token in memory only", async () => {
    const log: string[] = [];
    server.use(...authHandlers(log));
    await signIn("demo", "right");
    expect(log).toEqual(["token cookie=true", "me Bearer access-0"]);
    expect(getSession()).toEqual({ status: "signed-in", user: { id: 1, username: "demo", is_staff: false } });
    expect(getAccessToken()).toBe("access-0");
    expect(JSON.stringify({ ...localStorage })).not.toContain("access-0");
    expect(JSON.stringify({ ...sessionStorage })).not.toContain("access-0");
  });

  it("reports bad credentials as an ApiError and stays signed out", async () => {
    server.use(...authHandlers([]));
    resetSession("signed-out");
    const error = await signIn("demo", "wrong").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).message).toBe("No active account with these credentials.");
    expect(getSession().status).toBe("signed-out");
  });

  it("restores the session after a reload from the cookie (refresh with the header)", async () => {
    const log: string[] = [];
    server.use(...authHandlers(log));
    const state = await restore();
    expect(log).toEqual([`refresh header=cookie`, "me Bearer access-1"]);
    expect(state.status).toBe("signed-in");
  });

  it("is signed out after a reload without a cookie", async () => {
    server.use(...authHandlers([], { refreshOk: () => false }));
    expect((await restore()).status).toBe("signed-out");
    expect(getAccessToken()).toBeNull();
  });

  it("rotates the access token 60 s before it expires", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const log: string[] = [];
    server.use(...authHandlers(log, { expiresIn: 900 }));
    await signIn("demo", "right");
    expect(getAccessToken()).toBe("access-0");
    await vi.advanceTimersByTimeAsync(839_000);
    expect(log.filter((l) => l.startsWith("refresh"))).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_500);
    await vi.waitFor(() => expect(getAccessToken()).toBe("access-1"));
    // ...and again 840 s after that.
    await vi.advanceTimersByTimeAsync(840_500);
    await vi.waitFor(() => expect(getAccessToken()).toBe("access-2"));
  });

  it("shares one refresh between concurrent callers", async () => {
    const log: string[] = [];
    server.use(...authHandlers(log));
    const results = await Promise.all([refresh(), refresh(), refresh()]);
    expect(results).toEqual([true, true, true]);
    expect(log.filter((l) => l.startsWith("refresh"))).toHaveLength(1);
  });

  it("on a 401 refreshes once and retries the request with the new token", async () => {
    const log: string[] = [];
    server.use(
      ...authHandlers(log),
      http.get(apiPath("tasks/"), ({ request }) => {
        const auth = request.headers.get("Authorization");
        log.push(`tasks ${auth}`);
        if (auth !== "Bearer access-1") return HttpResponse.json({ status: 401, title: "Not authenticated" }, { status: 401 });
        return HttpResponse.json({ count: 0, next: null, previous: null, results: [] });
      }),
    );
    await signIn("demo", "right");
    const page = await api.get<{ count: number }>("tasks/");
    expect(page.count).toBe(0);
    expect(log.filter((l) => !l.startsWith("me"))).toEqual(["token cookie=true", "tasks Bearer access-0", "refresh header=cookie", "tasks Bearer access-1"]);
    expect(getSession().status).toBe("signed-in");
  });

  it("when the refresh fails too, the session expires (the sign-in comes back) and the error is thrown", async () => {
    let allow = true;
    server.use(
      ...authHandlers([], { refreshOk: () => allow }),
      http.get(apiPath("tasks/"), () => HttpResponse.json({ status: 401, title: "Not authenticated" }, { status: 401 })),
    );
    await signIn("demo", "right");
    allow = false;
    const error = await api.get("tasks/").catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(401);
    expect(getSession().status).toBe("expired");
    expect(getAccessToken()).toBeNull();
  });

  it("a 401 that persists after a successful refresh also ends the session (no loop)", async () => {
    const log: string[] = [];
    server.use(
      ...authHandlers(log),
      http.get(apiPath("tasks/"), () => {
        log.push("tasks");
        return HttpResponse.json({ status: 401, title: "Not authenticated" }, { status: 401 });
      }),
    );
    await signIn("demo", "right");
    await api.get("tasks/").catch(() => undefined);
    expect(log.filter((l) => l === "tasks")).toHaveLength(2);
    expect(getSession().status).toBe("expired");
  });

  it("signs out through the cookie and forgets the token", async () => {
    const log: string[] = [];
    server.use(...authHandlers(log));
    await signIn("demo", "right");
    await signOut();
    expect(log).toContain("logout header=cookie");
    expect(getSession()).toEqual({ status: "signed-out", user: null });
    expect(getAccessToken()).toBeNull();
  });

  it("expire() while restoring means signed out, while signed in means expired", () => {
    resetSession("restoring");
    expire();
    expect(getSession().status).toBe("signed-out");
  });
});

describe("api client", () => {
  it("parses problem+json with per-field errors", async () => {
    server.use(
      http.patch(apiPath("auth/me"), () =>
        HttpResponse.json(
          { type: "https://titan.dev/problems/validation", title: "Invalid input", status: 400, errors: { "default_params.exit_z": ["must be below entry_z"], timezone: "unknown IANA time zone 'Mars'" } },
          { status: 400, headers: { "Content-Type": "application/problem+json" } },
        ),
      ),
    );
    const error = (await api.patch("auth/me", {}).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.fieldError("default_params.exit_z")).toBe("must be below entry_z");
    expect(error.errors.timezone).toEqual(["unknown IANA time zone 'Mars'"]);
    expect(error.fieldError("capital")).toBeUndefined();
  });

  it("builds query strings, skipping empty values and repeating arrays", async () => {
    let seen = "";
    server.use(
      http.get(apiPath("tasks/"), ({ request }) => {
        seen = new URL(request.url).search;
        return HttpResponse.json({ ok: true });
      }),
    );
    await api.get("tasks/", { status: ["running", "pending"], kind: "", limit: 5, x: undefined });
    expect(seen).toBe("?status=running&status=pending&limit=5");
  });

  it("turns a non-JSON error into an ApiError with the HTTP status", async () => {
    server.use(http.get(apiPath("boom/"), () => new HttpResponse("Bad gateway", { status: 502 })));
    const error = (await api.get("boom/").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.problem.detail).toBe("Bad gateway");
  });
});
