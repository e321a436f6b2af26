/** The msw server of the component tests: `server.use(http.get(api("tasks/"), ...))`. */
import { setupServer } from "msw/node";

export const server = setupServer();

/** An absolute API URL pattern for msw handlers. */
export const apiPath = (path: string) => `${window.location.origin}/api/${path}`;

export function startMsw(): void {
  beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
}
