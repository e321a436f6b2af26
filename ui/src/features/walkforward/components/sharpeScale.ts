/** The value axis of the per-fold Sharpe bars (tested in sharpeScale.test.ts). */

/** A "nice" step (1, 2 or 5 x 10^k) giving about `target` intervals over `span`. */
export function niceStep(span: number, target = 4): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag; // the nearest of 1, 2, 5, 10
}

/**
 * The axis of a bar chart of `values`: always spans zero (bars grow from the zero line, so a
 * negative Sharpe points down and is as visible as a positive one), padded to whole steps.
 */
export function barAxis(values: ReadonlyArray<number | null | undefined>): { min: number; max: number; ticks: number[] } {
  const finite = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  let lo = Math.min(0, ...finite);
  let hi = Math.max(0, ...finite);
  if (hi - lo < 1e-9) hi = 1;
  const step = niceStep(hi - lo);
  // The epsilons keep a value already on a step (zero above all) where it is.
  lo = Math.floor(lo / step + 1e-9) * step;
  hi = Math.ceil(hi / step - 1e-9) * step;
  // Room for the value printed at the end of the longest bar.
  if (finite.some((v) => v > 0 && v > hi - step * 0.35)) hi += step;
  if (finite.some((v) => v < 0 && v < lo + step * 0.35)) lo -= step;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Math.round(t / step) * step);
  return { min: lo, max: hi, ticks };
}
