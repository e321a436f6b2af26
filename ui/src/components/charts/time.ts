/** Chart time: UTC seconds (lightweight-charts `UTCTimestamp`); labels in UTC or local time. */
import { TickMarkType, type Time, type UTCTimestamp } from "lightweight-charts";
import type { TimeMode } from "@/lib/prefs";
import { dateTimeFormat } from "@/lib/format";

/** An ISO string, a Date or milliseconds to chart seconds. */
export function toChartTime(value: string | number | Date): UTCTimestamp {
  if (typeof value === "number") return Math.floor(value > 1e11 ? value / 1000 : value) as UTCTimestamp;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Math.floor(ms / 1000) as UTCTimestamp;
}

function seconds(time: Time): number {
  if (typeof time === "number") return time;
  if (typeof time === "string") return Date.parse(time) / 1000;
  return Date.UTC(time.year, time.month - 1, time.day) / 1000;
}

function fmt(time: Time, mode: TimeMode, opts: Intl.DateTimeFormatOptions): string {
  return dateTimeFormat("en-GB", { ...opts, ...(mode === "utc" ? { timeZone: "UTC" } : {}) }).format(new Date(seconds(time) * 1000));
}

/** The crosshair's time label. */
export function crosshairTimeFormatter(mode: TimeMode): (time: Time) => string {
  return (time) => {
    const text = fmt(time, mode, { year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    return mode === "utc" ? `${text} UTC` : text;
  };
}

/** The time axis labels. */
export function tickMarkFormatter(mode: TimeMode): (time: Time, type: TickMarkType) => string {
  return (time, type) => {
    switch (type) {
      case TickMarkType.Year:
        return fmt(time, mode, { year: "numeric" });
      case TickMarkType.Month:
        return fmt(time, mode, { month: "short" });
      case TickMarkType.DayOfMonth:
        return fmt(time, mode, { day: "2-digit", month: "short" });
      case TickMarkType.Time:
        return fmt(time, mode, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
      default:
        return fmt(time, mode, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
    }
  };
}
