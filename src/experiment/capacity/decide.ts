// When a point of a capacity search is decided: it passes when every threshold's 95% interval lies
// on the passing side of the limit, fails as soon as one lies wholly on the failing side, and is
// otherwise given more seeds (sequential replication, as the experiment engine's precision rule
// does) until it is decided or has the most seeds allowed: then it is undecided. How many seeds
// next: enough that the interval would clear the limit if the spread held still, at most double.
import type { ThresholdVerdict } from "../../result/experiment.ts";
import type { RunDigest } from "../digest.ts";
import type { Scenario } from "../source.ts";
import { type Estimate, estimate, type Operator, thresholdVerdict } from "../statistics.ts";

export interface SeedRule {
  /** Seeds of a point's first wave (at least 2, so there is an interval). */
  first: number;
  /** The most seeds a point gets before it is called undecided. */
  max: number;
}

export interface ThresholdEstimate {
  estimate: Estimate;
  operator: Operator;
  limit: number;
  verdict: ThresholdVerdict;
}

export function thresholdEstimates(
  scenario: Scenario,
  digests: readonly RunDigest[],
): ThresholdEstimate[] {
  return scenario.thresholds.map((spec, i) => {
    const e = estimate(digests.map((d) => d.thresholds[i]));
    const operator = spec.operator as Operator;
    return {
      estimate: e,
      operator,
      limit: spec.value,
      verdict: thresholdVerdict(e, operator, spec.value),
    };
  });
}

/**
 * The share of measured requests still unfinished when the run ended, the worst load's, averaged
 * over the runs. A stable deployment leaves about λ × sojourn requests in flight, a small share of
 * a window many sojourns long; one whose offered work outruns its capacity leaves a backlog that
 * grows with the window, and may finish no measured request at all, so that a latency threshold
 * has no sample and would pass. Above BACKLOG_LIMIT the point fails whatever its thresholds say.
 */
export function backlog(digests: readonly RunDigest[]): number {
  if (digests.length === 0) return 0;
  let total = 0;
  for (const d of digests) {
    let worst = 0;
    for (const l of d.loads) if (l.offered > 0) worst = Math.max(worst, l.unfinished / l.offered);
    total += worst;
  }
  return total / digests.length;
}

/** More than this share of measured requests unfinished at the end: the point is overloaded. */
export const BACKLOG_LIMIT = 0.1;

/** Fail if overloaded or any threshold fails, pass if every one passes, otherwise undecided. */
export function pointVerdict(
  verdicts: readonly ThresholdVerdict[],
  unfinished = 0,
): ThresholdVerdict {
  if (unfinished > BACKLOG_LIMIT || verdicts.includes("fail")) return "fail";
  return verdicts.every((v) => v === "pass") ? "pass" : "undecided";
}

/**
 * Seeds the point should have after its next wave, or its current count when it is decided or
 * at the cap. For an undecided threshold with half-width h at n seeds and its mean d from the
 * limit, n·(h/d)² seeds would clear the limit if the spread held still (t shrinks a little too).
 */
export function seedsWanted(
  thresholds: readonly ThresholdEstimate[],
  rule: SeedRule,
  unfinished = 0,
): number {
  const n = thresholds[0]?.estimate.n ?? 0;
  const verdict = pointVerdict(
    thresholds.map((t) => t.verdict),
    unfinished,
  );
  if (verdict !== "undecided" || n >= rule.max) return n;
  let needed = n + 1;
  for (const t of thresholds) {
    if (t.verdict !== "undecided") continue;
    const gap = Math.abs(t.estimate.mean - t.limit);
    const half = t.estimate.halfWidth ?? 0;
    const want = gap > 0 ? Math.ceil(n * (half / gap) ** 2) : 2 * n;
    needed = Math.max(needed, want);
  }
  return Math.min(rule.max, 2 * n, needed);
}
