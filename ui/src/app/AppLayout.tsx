/** The frame of every signed-in page: skip link, navigation, connection state, user, sign out. */
import { useEffect, useRef } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { SignInDialog } from "@/features/auth/components/SignInDialog";
import { signOut, useSession } from "@/lib/session";
import { useCatchUpNotice, useConnectionState } from "@/lib/stream";

const NAV = [
  { to: "/data", label: "Data" },
  { to: "/scanner", label: "Scanner" },
  { to: "/backtests", label: "Backtests" },
  { to: "/walkforward", label: "Walk-forward" },
  { to: "/regimes", label: "Regimes" },
  { to: "/live", label: "Live" },
  { to: "/tasks", label: "Tasks" },
  { to: "/settings", label: "Settings" },
];

const STATE_TEXT = { connecting: "Connecting", open: "Live", reconnecting: "Reconnecting", closed: "Offline" } as const;

export function ConnectionIndicator() {
  const state = useConnectionState();
  const notice = useCatchUpNotice();
  return (
    <div className="conn" role="status" aria-live="polite" aria-label={`Live connection: ${STATE_TEXT[state]}`}>
      <span className={`conn-dot conn-${state}`} aria-hidden="true" />
      <span className="conn-text">{STATE_TEXT[state]}</span>
      {notice && state === "open" && (
        <span className="conn-notice" key={notice.at}>
          caught up {notice.missed} missed signal{notice.missed === 1 ? "" : "s"}
        </span>
      )}
    </div>
  );
}

export function AppLayout() {
  const { user, status } = useSession();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    // Move focus to the page on navigation (screen readers hear the new page).
    main.current?.focus({ preventScroll: true });
  }, [location.pathname]);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand" aria-label="TITAN">
          TITAN
        </div>
        <nav aria-label="Main" className="nav">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} className={({ isActive }) => (isActive ? "nav-link active" : "nav-link")}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-right">
          <ConnectionIndicator />
          {user && (
            <span className="user" aria-label={`Signed in as ${user.username}`}>
              {user.username}
            </span>
          )}
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main className="main" id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
      {status === "expired" && <SignInDialog />}
    </div>
  );
}
