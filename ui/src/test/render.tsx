/** Rendering helpers of the component tests: the app's providers around a route. */
import { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";
import { AppProviders } from "@/app/providers";
import { resetSession, setSessionForTest, type SessionUser } from "@/lib/session";
import { StreamClient } from "@/lib/ws";
import { FakeWebSocket } from "./fakeWebSocket";

export const DEMO: SessionUser = { id: 1, username: "demo", is_staff: false };

export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } });
}

export function testStream(): StreamClient {
  return new StreamClient({
    url: "ws://test/ws/stream/",
    getToken: () => "test-token",
    refresh: async () => false,
    onUnauthenticated: () => undefined,
    WebSocketImpl: FakeWebSocket as unknown as typeof WebSocket,
    pingIntervalMs: 0,
    random: () => 0.5,
  });
}

/** Render `element` at `path` (route pattern `pattern`) signed in as `user` (null: signed out). */
interface RenderOptions {
  path?: string;
  pattern?: string;
  user?: SessionUser | null;
  extraRoutes?: RouteObject[];
}

export function renderRoute(element: ReactNode, { path = "/", pattern = "*", user = DEMO, extraRoutes = [] }: RenderOptions = {}) {
  if (user) setSessionForTest("test-token", user);
  else resetSession("signed-out");
  const queryClient = testQueryClient();
  const stream = testStream();
  const router = createMemoryRouter([{ path: pattern, element }, ...extraRoutes], { initialEntries: [path] });
  const utils = render(
    <AppProviders queryClient={queryClient} stream={stream}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...utils, router, queryClient, stream };
}
