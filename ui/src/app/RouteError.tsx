import { isRouteErrorResponse, Link, useRouteError } from "react-router";

export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : String(error);
  return (
    <main className="main" id="main">
      <div role="alert" className="alert alert-error">
        <strong className="alert-title">This page failed to load</strong>
        <p className="alert-detail">{message}</p>
        <p>
          Reload the page, or go back to <Link to="/data">the data page</Link>.
        </p>
      </div>
    </main>
  );
}
