// Conservation with sagas on: over random saga settings (failure rates, compensation retries with
// and without back-off, timeouts, a payment outage), the built-in conservation checker finds
// nothing, every end-user request is counted once (completed, failed or in flight), and every
// saga ends exactly once: completed, compensated, timed out or failed to compensate.
import { fc } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { parseScenario } from "../../src/scenario/loader.ts";
import { runChecked } from "../../src/testing/checkedRun.ts";
import { conservation, retryBounds } from "../../src/testing/checkers/index.ts";
import { sagaShopText } from "../helpers/sagaShop.ts";

const settings = fc.record({
  seed: fc.integer({ min: 1, max: 10_000 }),
  chargeErrorRate: fc.constantFrom(0, 0.2),
  confirmErrorRate: fc.constantFrom(0, 0.3),
  refundErrorRate: fc.constantFrom(0, 0.5, 1),
  chargeTime: fc.constantFrom("const(10ms)", "exp(200ms)"),
  timeout: fc.constantFrom("300ms", "2s", "5s"),
  attempts: fc.integer({ min: 1, max: 6 }),
  backoff: fc.constantFrom("none", "{ base: 50ms }", "{ base: 1s, max: 2s }"),
  compensateFailed: fc.boolean(),
  outage: fc.boolean(),
});

describe("sagas and conservation", () => {
  test("hold together over random saga settings", () => {
    fc.assert(
      fc.property(settings, (o) => {
        const text = sagaShopText({
          ...o,
          rate: 5,
          duration: "30s",
          loadDuration: "20s",
          paymentInstances: 2,
          saga: `timeout: ${o.timeout}, compensateFailed: ${o.compensateFailed}, compensation: { attempts: ${o.attempts}, backoff: ${o.backoff} }`,
          faults: o.outage
            ? "[{ name: outage, kind: abort, at: 5s, duration: 5s, httpStatus: 503, percentage: 100, target: { service: payment, mode: all } }]"
            : undefined,
        });
        const run = runChecked(parseScenario(text, "saga.yaml"), {
          invariants: [conservation, retryBounds],
        });
        expect(run.violation, run.violation?.message).toBeNull();
        const r = run.result!;
        const l = r.load.buyers;
        expect(l.offered).toBe(l.completed + l.failed + l.inFlight);
        // Every saga started by 20 s, and ended or timed out by 25 s: each is counted once.
        const s = r.transactions!.sagas;
        expect(s.completed + s.compensated + s.timedOut + s.compensationFailed!).toBe(l.offered);
        expect(s.completed).toBe(l.completed);
        const e = r.transactions!.effects;
        if (!o.compensateFailed) expect(e.refund).toBeLessThanOrEqual(e.charge);
        expect(e.cancel).toBeLessThanOrEqual(e.create);
      }),
      { numRuns: 25, seed: 18 },
    );
  });
});
