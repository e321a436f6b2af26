/** /signin: sign in, then back to `?next=` (a path of this app) or the data page. */
import { useEffect } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { useSession } from "@/lib/session";
import { SignInForm } from "../components/SignInForm";

/** Only same-app paths: never an absolute or protocol-relative URL. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/signin")) return "/data";
  return next;
}

export default function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const { status } = useSession();
  useEffect(() => {
    document.title = "Sign in · TITAN";
  }, []);
  if (status === "signed-in") return <Navigate to={next} replace />;
  return (
    <main className="main main-center" id="main">
      <section className="signin-card panel" aria-labelledby="signin-title">
        <div className="brand brand-large">TITAN</div>
        <h1 id="signin-title">Sign in</h1>
        <p className="muted">Statistical arbitrage research and live signals.</p>
        {/* The form at once, even while a session may still be restored from the cookie
            (then the page moves on by itself): no round-trip before the first paint. */}
        <SignInForm onSignedIn={() => navigate(next, { replace: true })} />
      </section>
    </main>
  );
}
