// The compensation storm: during a 20 s payment outage (every call to payment answered 503 at
// once) each checkout's charge fails, and its saga (which also compensates the failed step, as
// Temporal's pattern does) refunds it, and the refund fails too. Retried without back-off, every
// failed saga sends all of its 50 refund tries at once and gives up; with Envoy's jittered
// back-off (base 200 ms, max 10 s) the tries spread over the outage and the refund succeeds after
// it. Counted in compensation tries: total, and the most within one simulated second.
import { describe, expect, test } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";
import { sagaShopText } from "../helpers/sagaShop.ts";

const OUTAGE =
  "[{ name: outage, kind: abort, at: 20s, duration: 20s, httpStatus: 503, percentage: 100, target: { service: payment, mode: all } }]";
const ATTEMPTS = 50;

function outage(backoff: string, seed: number) {
  const saga = `timeout: 1m, compensateFailed: true, compensation: { attempts: ${ATTEMPTS}, backoff: ${backoff} }`;
  const text = sagaShopText({
    rate: 10,
    duration: "80s",
    loadDuration: "60s",
    faults: OUTAGE,
    seed,
    saga,
  });
  return runScenario(parseScenario(text, "storm.yaml"));
}

describe("back-off on compensations during a payment outage", () => {
  test.each([5, 6, 7])(
    "removes the compensation storm, and removing it brings the storm back (seed %i)",
    (seed) => {
      const storm = outage("none", seed);
      const calm = outage("{ base: 200ms, max: 10s }", seed);
      const failed = storm.load.buyers.failed;
      expect(failed).toBeGreaterThan(150); // about 10 checkouts/s for 20 s
      // The same checkouts fail in both (common random numbers): only the compensations differ.
      expect(calm.load.buyers.failed).toBe(failed);

      // Without back-off: each failed saga tries its refund all 50 times, then releases and cancels.
      const s = storm.transactions!;
      expect(s.compensationTries!.total).toBe(failed * (ATTEMPTS + 2));
      expect(s.compensationTries!.retries).toBe(failed * (ATTEMPTS - 1));
      expect(s.sagas).toMatchObject({ compensated: 0, compensationFailed: failed });
      expect(s.effects.refund).toBe(0);

      // With back-off: about 7 refund tries per saga (seeds 5-7: 1,805, 1,828, 1,745 tries in all,
      // against 10,192, 10,140, 9,880), all sagas compensated once payment is back.
      const c = calm.transactions!;
      expect(c.sagas).toMatchObject({ compensated: failed, compensationFailed: 0, timedOut: 0 });
      expect(c.effects.refund).toBe(failed);
      expect(c.compensationTries!.total).toBeLessThan(0.25 * s.compensationTries!.total);
      // The busiest second: 154, 159, 180 tries against 884, 831, 729.
      expect(c.compensationTries!.peakPerSecond).toBeLessThan(
        0.4 * s.compensationTries!.peakPerSecond,
      );
    },
  );
});
