/** Poll `check` until it stops throwing (findBy* needs a MutationObserver this jsdom lacks). */
import { act } from "@testing-library/react";

export async function eventually<T>(check: () => T, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await act(() => new Promise((r) => setTimeout(r, 25)));
    }
  }
}
