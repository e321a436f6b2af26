/**
 * Display preferences kept in this browser (localStorage: they are not secrets): theme,
 * UTC or local time, and which direction is green.
 */
import { useSyncExternalStore } from "react";

export type Theme = "dark" | "light";
export type TimeMode = "utc" | "local";
export type UpColor = "green-up" | "red-up";

export interface DisplayPrefs {
  theme: Theme;
  time: TimeMode;
  upColor: UpColor;
}

export const DEFAULT_PREFS: DisplayPrefs = { theme: "dark", time: "utc", upColor: "green-up" };
const KEY = "titan.display";

function read(): DisplayPrefs {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return DEFAULT_PREFS;
    const parsed = JSON.parse(raw) as Partial<DisplayPrefs>;
    return {
      theme: parsed.theme === "light" ? "light" : "dark",
      time: parsed.time === "local" ? "local" : "utc",
      upColor: parsed.upColor === "red-up" ? "red-up" : "green-up",
    };
  } catch {
    return DEFAULT_PREFS;
  }
}

let current: DisplayPrefs = typeof localStorage === "undefined" ? DEFAULT_PREFS : read();
const listeners = new Set<() => void>();

function apply(prefs: DisplayPrefs): void {
  if (typeof document !== "undefined") {
    document.documentElement.dataset.theme = prefs.theme;
    document.documentElement.dataset.upColor = prefs.upColor;
  }
}
apply(current);

export function getDisplayPrefs(): DisplayPrefs {
  return current;
}

export function setDisplayPrefs(patch: Partial<DisplayPrefs>): void {
  current = { ...current, ...patch };
  try {
    localStorage.setItem(KEY, JSON.stringify(current));
  } catch {
    /* private mode: keep it for this page */
  }
  apply(current);
  listeners.forEach((l) => l());
}

export function useDisplayPrefs(): DisplayPrefs {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    getDisplayPrefs,
    getDisplayPrefs,
  );
}

/** Colours of up/down moves for the chosen convention. */
export function upDownColors(upColor: UpColor): { up: string; down: string } {
  const green = "#26a69a";
  const red = "#ef5350";
  return upColor === "green-up" ? { up: green, down: red } : { up: red, down: green };
}
