/**
 * Pure helpers of the quality report (tested in report.test.ts): the missing bars grouped into
 * gaps, and plain-language names for the report's calendar and spacing.
 */

export interface Gap {
  /** ISO timestamps of the first and last missing bar of the run. */
  from: string;
  to: string;
  /** Missing bars in the run. */
  bars: number;
}

const STEP_S: Record<string, number> = { "1m": 60, "5m": 300, "15m": 900, "1h": 3600, "1d": 86_400, "1w": 7 * 86_400, "1mo": 31 * 86_400 };

/** The next weekday (Mon-Fri) after `ms`, same time of day. */
function nextWeekday(ms: number): number {
  let next = ms + 86_400_000;
  for (let day = new Date(next).getUTCDay(); day === 0 || day === 6; day = new Date(next).getUTCDay()) next += 86_400_000;
  return next;
}

/**
 * Consecutive missing bars as one gap: the next missing bar is the bar that directly follows
 * (daily bars: the next weekday, so a weekend does not split a gap; a holiday inside a run
 * does, as the calendar expects no bar there). `missing` is sorted, as the API returns it.
 */
export function groupGaps(missing: readonly string[], timeframe: string): Gap[] {
  const step = (STEP_S[timeframe] ?? 86_400) * 1000;
  const gaps: Gap[] = [];
  let prev = Number.NaN;
  for (const iso of missing) {
    const ms = Date.parse(iso);
    const last = gaps[gaps.length - 1];
    const follows = last !== undefined && (timeframe === "1d" ? ms === nextWeekday(prev) : ms - prev <= step);
    if (follows) {
      last.to = iso;
      last.bars += 1;
    } else gaps.push({ from: iso, to: iso, bars: 1 });
    prev = ms;
  }
  return gaps;
}

const CALENDARS: Record<string, string> = {
  weekdays: "weekdays (Monday to Friday)",
  sessions: "trading sessions",
  given: "the given calendar",
  NYSE: "New York Stock Exchange (XNYS)",
  XNYS: "New York Stock Exchange (XNYS)",
  XNAS: "Nasdaq (XNAS)",
};

/** The calendar the expected bars come from, for people ("XNYS" → "New York Stock Exchange (XNYS)"). */
export function calendarLabel(name: unknown): string {
  const key = typeof name === "string" ? name : "";
  return CALENDARS[key] ?? (key ? `${key} exchange calendar` : "—");
}

/** A spacing in seconds as words ("1 day", "15 minutes", "2.5 hours"). */
export function spacingLabel(seconds: unknown): string {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) return "—";
  const units: Array<[number, string]> = [
    [7 * 86_400, "week"],
    [86_400, "day"],
    [3600, "hour"],
    [60, "minute"],
    [1, "second"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = Math.round((seconds / size) * 10) / 10;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} seconds`;
}
