// `invariants` in a scenario file: the built-in checkers of meshsim/testing a plain `meshsim run`
// watches the run with (what `meshsim swarm` writes into a minimal failing case, so the file
// replays its violation). The checkers themselves live in src/testing/; this is their names.
// Built when a file has this section (deferred.ts), so other files never pay for it.
import { z } from "zod";
import { deferred } from "./deferred.ts";
import { expecting } from "./leaves.ts";

/** The built-in invariant checkers, by the name files, results and `--json` use. */
export const INVARIANT_NAMES = [
  "conservation",
  "breaker-legality",
  "retry-bounds",
  "outlier-ejection-cap",
  "rate-limit-bounds",
  "host-in-view",
  "connection-pool-bounds",
  "retry-budget",
  "thresholds",
] as const;
export type InvariantName = (typeof INVARIANT_NAMES)[number];

/** Built when a file has `invariants:` (deferred.ts). */
export const invariantsSchema = deferred(() =>
  z.array(
    z.enum(INVARIANT_NAMES, {
      error: expecting(`an invariant, one of ${INVARIANT_NAMES.join(", ")}`),
    }),
    { error: expecting("a list of invariant names") },
  ),
)
  .default([])
  .describe(
    "Invariant checkers `meshsim run` watches the run with (meshsim/testing); a broken one exits 3. Empty: none.",
  );
