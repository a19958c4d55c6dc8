// Conservation under random fault timelines (pod kills and failures, delays, aborts, cpu stress,
// partitions between zones): every event committed is published, lost, on its way or in the
// outbox; every message published to a consumer group is acked, dead-lettered or in flight at the
// end. With the outbox nothing is lost, and with consumer dedup no order is charged twice.
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { runScenario } from "../../../src/run/runScenario.ts";
import { parseScenario } from "../../../src/scenario/loader.ts";
import { faultTimeline } from "../../../src/testing/arbitraries/faultTimeline.ts";
import { choreoText } from "../../helpers/choreo.ts";
import { expectConservation } from "../../helpers/messaging.ts";

const shape = {
  duration: "30s",
  loadDuration: "25s",
  rate: 20,
  zoned: true,
  orderInstances: 2,
  paymentInstances: 3,
  chargeTime: "mix(0.9: lognormal(100ms, 0.5), 0.1: lognormal(1500ms, 0.4))",
  chargeCalls: "exp(100ms)",
  deliveryDelay: "exp(5ms)",
  publishLatency: "exp(10ms)",
  maxDeliveries: 4,
};

describe("the broker under random fault timelines", () => {
  const timelines = faultTimeline(parseScenario(choreoText(shape), "choreo.yaml"), {
    kinds: ["pod-kill", "pod-failure", "delay", "abort", "cpu-stress", "partition"],
    maxFaults: 4,
    within: { from: "1s", to: "24s" },
  });
  fcTest.prop([timelines, fc.integer({ min: 1, max: 1000 }), fc.boolean(), fc.boolean()], {
    numRuns: 20,
  })(
    "conserves every event and message; the outbox loses none; dedup charges none twice",
    (faults, seed, outbox, dedup) => {
      const text = choreoText({ ...shape, seed, outbox, dedup, faults: JSON.stringify(faults) });
      const r = runScenario(parseScenario(text, "choreo.yaml"));
      const t = r.transactions!;
      expect(t.orders).toBeGreaterThan(0);
      expectConservation(r);
      if (outbox) expect(t.messaging!.lostEvents).toBe(0);
      if (dedup) expect(t.doubleCharges).toBe(0);
    },
  );
});
