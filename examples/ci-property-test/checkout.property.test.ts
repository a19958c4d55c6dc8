// A platform team's CI test of its governance config, written against the published package:
// "under any single pod kill, our checkout keeps errors under 1%, never lets a request through
// an open breaker, and never retries a call more than the policy allows". On failure, check()
// prints the shrunk fault schedule, the seed and the path that replay it.
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import {
  assertNoViolation,
  breakerLegality,
  check,
  conservation,
  faultTimeline,
  fromFile,
  type Invariant,
  retryBounds,
} from "meshsim/testing";
import { describe, it } from "vitest";

// Our own checkout.yaml, shortened for CI and with the retry policy we deploy (Istio names).
const checkout = fromFile(fileURLToPath(new URL("./checkout.yaml", import.meta.url))).with({
  duration: "30s",
  warmup: "5s",
  "load[0].startRate": 200,
  "load[0].stages": [{ duration: "30s", target: 200 }],
  "mesh.defaults.retries": { attempts: 2, retryOn: ["5xx", "reset", "connect-failure"] },
});

/** Our own invariant, through the same interface as the built-in ones: errors under 1% per load. */
const errorsUnderOnePercent: Invariant = {
  name: "errors-under-1%",
  watch: () => ({
    end(result) {
      for (const [name, load] of Object.entries(result.load)) {
        const rate = load.failed / Math.max(1, load.offered);
        if (rate >= 0.01) return { message: `load ${name}: ${(rate * 100).toFixed(2)}% errors` };
      }
      return null;
    },
  }),
};

describe("our checkout's governance config", () => {
  it("survives any single pod kill", () => {
    const timelines = faultTimeline(checkout.scenario(), {
      kinds: ["pod-kill"],
      maxFaults: 1,
      maxInstances: 1,
      within: { from: "5s", to: "25s" },
    });
    check(
      fc.property(timelines, fc.nat(1000), (faults, seed) => {
        assertNoViolation(checkout.withFaults(faults).scenario(), {
          seed,
          invariants: [conservation, breakerLegality, retryBounds, errorsUnderOnePercent],
        });
      }),
      { seeds: 8, seed: 42 },
    );
  }, 300_000);
});
