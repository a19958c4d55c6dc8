// Rounding for results: figures go into the run result to 6 significant digits (times to 12), so
// the JSON diffs cleanly between runs and machines. A pure helper that every room producing a
// result section uses; it leaves out locale formatting, which the reports do.

/** Rounds to `digits` significant digits (0, Infinity and NaN pass through). */
export function roundSig(x: number, digits = 6): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}
