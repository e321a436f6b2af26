/**
 * The routes. Every page is its own chunk (React.lazy): the first page loads only what it
 * needs. Each feature exports its pages from `features/<feature>/routes/`.
 */
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from "react";
import { createBrowserRouter, createMemoryRouter, Navigate, type RouteObject } from "react-router";
import { Loading } from "@/components/Status";
import { AppLayout } from "./AppLayout";
import { RequireAuth } from "./RequireAuth";
import { RouteError } from "./RouteError";

function page(Component: LazyExoticComponent<ComponentType>) {
  return (
    <Suspense fallback={<Loading label="Loading the page…" />}>
      <Component />
    </Suspense>
  );
}

const SignInPage = lazy(() => import("@/features/auth/routes/SignInPage"));
const DataPage = lazy(() => import("@/features/data/routes/DataPage"));
const ScannerPage = lazy(() => import("@/features/scanner/routes/ScannerPage"));
const PairPage = lazy(() => import("@/features/pairs/routes/PairPage"));
const BacktestsPage = lazy(() => import("@/features/backtests/routes/BacktestsPage"));
const BacktestPage = lazy(() => import("@/features/backtests/routes/BacktestPage"));
const WalkForwardsPage = lazy(() => import("@/features/walkforward/routes/WalkForwardsPage"));
const WalkForwardPage = lazy(() => import("@/features/walkforward/routes/WalkForwardPage"));
const RegimesPage = lazy(() => import("@/features/regimes/routes/RegimesPage"));
const LivePage = lazy(() => import("@/features/live/routes/LivePage"));
const TasksPage = lazy(() => import("@/features/tasks/routes/TasksPage"));
const SettingsPage = lazy(() => import("@/features/settings/routes/SettingsPage"));
const NotFoundPage = lazy(() => import("./NotFoundPage"));

export const routes: RouteObject[] = [
  { path: "/signin", element: page(SignInPage), errorElement: <RouteError /> },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/data" replace /> },
      { path: "data", element: page(DataPage) },
      { path: "scanner", element: page(ScannerPage) },
      { path: "pairs/:id", element: page(PairPage) },
      { path: "backtests", element: page(BacktestsPage) },
      { path: "backtests/:id", element: page(BacktestPage) },
      { path: "walkforward", element: page(WalkForwardsPage) },
      { path: "walkforward/:id", element: page(WalkForwardPage) },
      { path: "regimes", element: page(RegimesPage) },
      { path: "live", element: page(LivePage) },
      { path: "tasks", element: page(TasksPage) },
      { path: "settings", element: page(SettingsPage) },
      { path: "*", element: page(NotFoundPage) },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}

/** For tests: the same routes in memory. */
export function createTestRouter(initialEntries: string[] = ["/"]) {
  return createMemoryRouter(routes, { initialEntries });
}
