// The scenario's own k6 thresholds as an invariant over the whole run (after warm-up), exactly as
// `meshsim run` evaluates them; the first failed expression is the breach.
import type { Invariant } from "../invariant.ts";

export const thresholds: Invariant = {
  name: "thresholds",
  watch() {
    return {
      end(result) {
        const failed = result.thresholds.find((t) => !t.ok);
        return failed === undefined
          ? null
          : {
              message: `threshold ${failed.metric}: ${failed.expression} failed (actual ${failed.actual})`,
            };
      },
    };
  },
};
