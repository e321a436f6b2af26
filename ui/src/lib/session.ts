/**
 * The auth session. The access token lives in this module's memory only. The refresh token
 * is an HttpOnly, SameSite=Strict cookie scoped to `/api/auth/` that the server sets when
 * the client signs in with `cookie: true`: JavaScript never sees it (docs/dashboard.md).
 *
 * - `restore()` on start-up: one `auth/refresh` with the cookie brings the session back
 *   after a reload.
 * - The access token is renewed ~60 s before `expires_in`.
 * - `api.ts` calls `refresh()` on a 401 and `expire()` when that fails: the status becomes
 *   "expired" and the layout shows the sign-in over the page the user was on.
 */
import { useSyncExternalStore } from "react";
import { ApiError, configureAuth, request } from "./api";

/** The header that marks a cookie-based refresh/logout (the CSRF defence, with SameSite). */
export const COOKIE_HEADER = "X-Titan-Refresh";
/** Renew the access token this many seconds before it expires. */
export const REFRESH_MARGIN_S = 60;

export type SessionStatus = "restoring" | "signed-in" | "signed-out" | "expired";

export interface SessionUser {
  id: number;
  username: string;
  is_staff: boolean;
}

export interface SessionState {
  status: SessionStatus;
  user: SessionUser | null;
}

interface TokenAnswer {
  access: string;
  expires_in: number;
  token_type: string;
}

type Listener = () => void;

let state: SessionState = { status: "restoring", user: null };
let accessToken: string | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let inflight: Promise<boolean> | null = null;
const listeners = new Set<Listener>();

function setState(next: Partial<SessionState>): void {
  state = { ...state, ...next };
  listeners.forEach((l) => l());
}

function schedule(expiresIn: number): void {
  if (timer) clearTimeout(timer);
  const delay = Math.max(5, expiresIn - REFRESH_MARGIN_S) * 1000;
  timer = setTimeout(() => {
    void refresh();
  }, delay);
}

function accept(answer: TokenAnswer): void {
  accessToken = answer.access;
  schedule(answer.expires_in);
}

function clear(): void {
  accessToken = null;
  if (timer) clearTimeout(timer);
  timer = null;
}

async function loadUser(): Promise<SessionUser> {
  const me = await request<SessionUser>("auth/me");
  return { id: me.id, username: me.username, is_staff: me.is_staff };
}

/** Serialise refreshes across tabs (they share the cookie; a spent one revokes the login). */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (locks?.request) return locks.request("titan-refresh", fn) as Promise<T>;
  return fn();
}

async function doRefresh(): Promise<boolean> {
  try {
    const answer = await withLock(() =>
      request<TokenAnswer>("auth/refresh", {
        method: "POST",
        body: {},
        auth: false,
        credentials: "same-origin",
        headers: { [COOKIE_HEADER]: "cookie" },
      }),
    );
    accept(answer);
    return true;
  } catch {
    return false;
  }
}

/** Renew the access token with the refresh cookie (one request at a time). */
export function refresh(): Promise<boolean> {
  if (!inflight) {
    inflight = doRefresh().finally(() => {
      inflight = null;
    });
  }
  return inflight;
}

/** Sign in; throws {@link ApiError} (400 with `errors`, 401 bad credentials, 429). */
export async function signIn(username: string, password: string): Promise<SessionUser> {
  const answer = await request<TokenAnswer>("auth/token", {
    method: "POST",
    body: { username, password, cookie: true },
    auth: false,
  });
  accept(answer);
  const user = await loadUser();
  setState({ status: "signed-in", user });
  return user;
}

/** Sign out: the server revokes the login's family and clears the cookie. */
export async function signOut(): Promise<void> {
  try {
    await request("auth/logout", {
      method: "POST",
      body: {},
      auth: false,
      headers: { [COOKIE_HEADER]: "cookie" },
    });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  } finally {
    clear();
    setState({ status: "signed-out", user: null });
  }
}

/** On start-up: bring a session back from the refresh cookie, if there is one. */
export async function restore(): Promise<SessionState> {
  if (await refresh()) {
    try {
      setState({ status: "signed-in", user: await loadUser() });
      return state;
    } catch {
      clear();
    }
  }
  setState({ status: "signed-out", user: null });
  return state;
}

/** The session was lost while in use (a 401 that a refresh could not cure, a WS 4401). */
export function expire(): void {
  clear();
  if (state.status === "signed-in") setState({ status: "expired" });
  else if (state.status === "restoring") setState({ status: "signed-out" });
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function getSession(): SessionState {
  return state;
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current session, re-rendering on change. */
export function useSession(): SessionState {
  return useSyncExternalStore(subscribeSession, getSession, getSession);
}

/** For tests: forget everything. */
export function resetSession(status: SessionStatus = "restoring"): void {
  clear();
  inflight = null;
  state = { status, user: null };
  listeners.forEach((l) => l());
}

/** For tests and the e2e harness: install a token as if signed in. */
export function setSessionForTest(token: string, user: SessionUser, expiresIn = 900): void {
  accept({ access: token, expires_in: expiresIn, token_type: "Bearer" });
  setState({ status: "signed-in", user });
}

configureAuth({ getToken: getAccessToken, refresh, onUnauthorized: expire });
