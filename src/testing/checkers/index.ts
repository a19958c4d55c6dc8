// The built-in invariant checkers, by the names a scenario's `invariants:` list uses (the list of
// names is the schema's: src/scenario/schema/invariants.ts; this table must cover it).
import type { InvariantName } from "../../scenario/schema/invariants.ts";
import type { Invariant } from "../invariant.ts";
import { breakerLegality } from "./breakerLegality.ts";
import { connectionPoolBounds } from "./connectionPoolBounds.ts";
import { conservation } from "./conservation.ts";
import { hostInView } from "./hostInView.ts";
import { outlierEjectionCap } from "./outlierEjectionCap.ts";
import { rateLimitBounds } from "./rateLimitBounds.ts";
import { retryBounds } from "./retryBounds.ts";
import { retryBudget } from "./retryBudget.ts";
import { thresholds } from "./thresholds.ts";

export const BUILT_IN_INVARIANTS = {
  conservation,
  "breaker-legality": breakerLegality,
  "retry-bounds": retryBounds,
  "outlier-ejection-cap": outlierEjectionCap,
  "rate-limit-bounds": rateLimitBounds,
  "host-in-view": hostInView,
  "connection-pool-bounds": connectionPoolBounds,
  "retry-budget": retryBudget,
  thresholds,
} satisfies Record<InvariantName, Invariant>;

/** Every built-in checker, in the schema's order. */
export function builtInInvariants(): Invariant[] {
  return Object.values(BUILT_IN_INVARIANTS);
}

export { thresholdsOver, type WindowOptions } from "./thresholdsOver.ts";
export {
  breakerLegality,
  connectionPoolBounds,
  conservation,
  hostInView,
  outlierEjectionCap,
  rateLimitBounds,
  retryBounds,
  retryBudget,
  thresholds,
};
