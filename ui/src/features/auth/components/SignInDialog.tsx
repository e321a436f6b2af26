/** Shown over the page when the session expired while in use: the page stays as it was. */
import { useEffect, useRef } from "react";
import { SignInForm } from "./SignInForm";

export function SignInDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open && typeof dialog.showModal === "function") dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="signin-dialog-title" onCancel={(e) => e.preventDefault()}>
      <h2 id="signin-dialog-title">Your session has ended</h2>
      <p>Sign in again to continue where you were.</p>
      <SignInForm />
    </dialog>
  );
}
