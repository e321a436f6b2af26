/**
 * Signed in: the app. Restoring: a status. Signed out: to /signin with the page to return to
 * (`?next=`). Expired while in use: the page stays and the sign-in dialog covers it.
 */
import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { Loading } from "@/components/Status";
import { useSession } from "@/lib/session";

export function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === "restoring") {
    return (
      <main className="main main-center" id="main">
        <Loading label="Restoring your session…" />
      </main>
    );
  }
  if (status === "signed-out") {
    const next = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={`/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}
