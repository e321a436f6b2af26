/** The sign-in form: username, password; errors from problem+json next to their fields. */
import { useState, type FormEvent } from "react";
import { TextField } from "@/components/Field";
import { Alert } from "@/components/Status";
import { signIn } from "@/lib/session";

export function SignInForm({ onSignedIn, autoFocus = true }: { onSignedIn?: () => void; autoFocus?: boolean }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
      onSignedIn?.();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form signin-form" onSubmit={submit} aria-label="Sign in" noValidate>
      <TextField label="Username" name="username" autoComplete="username" required autoFocus={autoFocus} value={username} onChange={(e) => setUsername(e.target.value)} error={error} />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} error={error} />
      {error !== null && <Alert error={error} title="Sign-in failed" hideFields={["username", "password"]} />}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
