/**
 * The one API client: `fetch` under `/api/`, JSON in and out, the in-memory access token,
 * one refresh-and-retry on 401, and problem+json errors as {@link ApiError}.
 *
 * Paths are relative to `/api/` (`api.get("tasks/")`, `api.post("pairs/scan", body)`).
 */
import type { components } from "./api-types";

export type Schemas = components["schemas"];

/** An RFC 9457 problem document as the server sends it (titan_web/common/errors.py). */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  /** Validation problems: field path (`default_params.exit_z`) -> reasons. */
  errors?: Record<string, string[] | string>;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
  }

  /** Field errors, each as a list of reasons. */
  get errors(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [field, reasons] of Object.entries(this.problem.errors ?? {})) {
      out[field] = Array.isArray(reasons) ? reasons.map(String) : [String(reasons)];
    }
    return out;
  }

  /** The reasons for one field joined in a sentence, or undefined. */
  fieldError(field: string): string | undefined {
    const reasons = this.errors[field];
    return reasons && reasons.length ? reasons.join(" ") : undefined;
  }
}

/** The message of any error, for an alert. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = Object.entries(error.errors);
    if (fields.length && !error.problem.detail) {
      return fields.map(([f, r]) => `${f}: ${r.join(" ")}`).join("; ");
    }
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** What the client needs from the auth session (lib/session.ts registers itself). */
export interface AuthHooks {
  getToken(): string | null;
  /** Get a new access token; false when the session cannot be renewed. */
  refresh(): Promise<boolean>;
  /** The session is gone (refresh failed after a 401): show the sign-in. */
  onUnauthorized(): void;
}

let auth: AuthHooks | null = null;

export function configureAuth(hooks: AuthHooks | null): void {
  auth = hooks;
}

export type QueryValue = string | number | boolean | null | undefined | Array<string | number>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** A JSON body, or FormData for uploads. */
  body?: unknown;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send the access token (default true). */
  auth?: boolean;
  /** Send cookies (the refresh cookie of the auth endpoints). */
  credentials?: RequestCredentials;
}

export const API_PREFIX = "/api/";

export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  const clean = path.replace(/^\/?(api\/)?/, "");
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, String(v)));
    else params.append(key, String(value));
  }
  const qs = params.toString();
  return `${API_PREFIX}${clean}${qs ? `?${qs}` : ""}`;
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  const token = opts.auth === false ? null : auth?.getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  // Absolute (same origin): what the browser does with a relative URL, and what Node's fetch
  // needs under the test environment.
  const url = new URL(apiUrl(path, opts.query), window.location.href).toString();
  return fetch(url, {
    method: opts.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
    signal: opts.signal,
    credentials: opts.credentials ?? "same-origin",
  });
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
    if (parsed && typeof parsed === "object") return { ...parsed, status: response.status };
  } catch {
    /* not JSON */
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}`, detail: text.slice(0, 200) || undefined };
}

/** One request; on a 401 with a token, refresh once and retry, then give up to sign-in. */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  let response = await send(path, opts);
  if (response.status === 401 && opts.auth !== false && auth) {
    if (await auth.refresh()) response = await send(path, opts);
    if (response.status === 401) auth.onUnauthorized();
  }
  if (!response.ok) throw new ApiError(await problemOf(response));
  if (response.status === 204) return undefined as T;
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) return (await response.json()) as T;
  return (await response.text()) as T;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, opts: RequestOptions = {}) =>
    request<T>(path, { ...opts, method: "GET", query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    request<T>(path, { ...opts, method: "POST", body: body ?? {} }),
  patch: <T>(path: string, body: unknown, opts: RequestOptions = {}) =>
    request<T>(path, { ...opts, method: "PATCH", body }),
  put: <T>(path: string, body: unknown, opts: RequestOptions = {}) =>
    request<T>(path, { ...opts, method: "PUT", body }),
  delete: <T = void>(path: string, opts: RequestOptions = {}) =>
    request<T>(path, { ...opts, method: "DELETE" }),
};

/** A paginated list as every list endpoint answers it. */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}
