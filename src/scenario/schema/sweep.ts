// The `sweep:` section (optional; `meshsim run` ignores it): the paths `meshsim sweep` varies and
// the values of each, as `--vary PATH=VALUES` gives them, plus the seeds per point and whether the
// paths are zipped instead of crossed. Shapes only; the VALUES grammar is sweepValues.ts's.
// Built when a file has this section (deferred.ts), so other files never pay for it.
import { z } from "zod";
import { deferred } from "./deferred.ts";
import { expecting, fields, integer } from "./leaves.ts";

/** Built when a file has `sweep:` (deferred.ts). */
export const sweepSchema = deferred(() => {
  const scalar = z.union([z.string(), z.number(), z.boolean()], {
    error: expecting("a number, a string or a boolean"),
  });
  return fields("sweep", {
    seeds: integer(1, "an integer ≥ 1")
      .optional()
      .describe("Runs per point, seeds seed, seed + 1, ... (default 5); --seeds overrides it."),
    zip: z
      .boolean({ error: expecting("true or false") })
      .default(false)
      .describe("Pair the paths' values one to one instead of crossing them (--zip)."),
    vary: z
      .record(z.string(), z.union([scalar, z.array(scalar)]), {
        error: expecting("a map from paths (e.g. services.payment.instances) to values"),
      })
      .describe(
        "Paths of this file and their values: a list, or text such as 2..8, 2..12:2 or 100..3200*2.",
      ),
  });
});
