// The built-in invariant checkers, by the names a scenario's `invariants:` list uses (the list of
// names is the schema's: src/scenario/schema/invariants.ts; this table must cover it).
import type { InvariantName } from "../../scenario/schema/invariants.ts";
import type { Invariant } from "../invariant.ts";
import { breakerLegality } from "./breakerLegality.ts";
import { conservation } from "./conservation.ts";
import { outlierEjectionCap } from "./outlierEjectionCap.ts";
import { rateLimitBounds } from "./rateLimitBounds.ts";
import { retryBounds } from "./retryBounds.ts";
import { thresholds } from "./thresholds.ts";

export const BUILT_IN_INVARIANTS = {
  conservation,
  "breaker-legality": breakerLegality,
  "retry-bounds": retryBounds,
  "outlier-ejection-cap": outlierEjectionCap,
  "rate-limit-bounds": rateLimitBounds,
  thresholds,
} satisfies Record<InvariantName, Invariant>;

/** Every built-in checker, in the schema's order. */
export function builtInInvariants(): Invariant[] {
  return Object.values(BUILT_IN_INVARIANTS);
}

export {
  breakerLegality,
  conservation,
  outlierEjectionCap,
  rateLimitBounds,
  retryBounds,
  thresholds,
};
