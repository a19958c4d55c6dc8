// The modelled broker (RabbitMQ quorum queues, manual acks): a delivery not acked within the ack
// timeout is redelivered while the first still runs, a consumer that dies before acking gets its
// message redelivered elsewhere, the delivery limit dead-letters, a partition holds messages until
// it heals, and every message is acked, dead-lettered or still in flight at the end.
import { describe, expect, test } from "vitest";
import type { RunResult } from "../../../src/result/run.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { parseScenario } from "../../../src/scenario/loader.ts";
import { choreoText } from "../../helpers/choreo.ts";
import { expectConservation } from "../../helpers/messaging.ts";

function run(o: Parameters<typeof choreoText>[0]): RunResult {
  return runScenario(parseScenario(choreoText(o), "choreo.yaml"));
}

describe("the broker", () => {
  test("redelivers a message whose ack timed out while the first delivery still runs, up to the delivery limit", () => {
    // Each charge takes 1.5 s against a 1 s ack timeout: deliveries at 0, 1 and 2 s, each timing
    // out, the third dead-lettered at 3 s; all three charge (at 1.5, 2.5, 3.5 s), none is acked.
    const r = run({ chargeTime: "const(1500ms)", ackTimeout: "1s", maxDeliveries: 3 });
    const orders = r.load.buyers.offered;
    const t = r.transactions!;
    const c = t.messaging!.consumers[0];
    expect(orders).toBeGreaterThan(400);
    expect(c).toMatchObject({
      received: orders,
      acked: 0,
      redeliveries: 2 * orders,
      ackTimeouts: 3 * orders,
      deadLettered: orders,
      inFlight: 0,
      duplicatesAbsorbed: 0,
    });
    expect(t.effects.charge).toBe(3 * orders);
    expect(t.doubleCharges).toBe(orders);
    expect(t.duplicateCharges).toBe(2 * orders);
    expectConservation(r);
  });

  test("acks a delivery that answers in time, once per message", () => {
    const r = run({ chargeTime: "const(100ms)", ackTimeout: "1s" });
    const c = r.transactions!.messaging!.consumers[0];
    expect(c.acked).toBe(r.load.buyers.offered);
    expect(c.redeliveries + c.ackTimeouts + c.deadLettered + c.inFlight).toBe(0);
    expect(r.transactions!.effects.charge).toBe(r.load.buyers.offered);
    expect(r.transactions!.doubleCharges).toBe(0);
  });

  test("redelivers elsewhere the messages of a consumer that died after its commit but before its ack", () => {
    // payment.charge commits after 100 ms, then calls notify.send (1 s) and acks: a kill of one of
    // the two payment pods at 20 s resets the deliveries it holds; those past their commit charge again.
    const r = run({
      rate: 40,
      chargeCalls: "const(1s)",
      ackTimeout: "10s",
      faults: JSON.stringify([
        { name: "kill", kind: "pod-kill", at: "20s", target: { service: "payment", mode: "one" } },
      ]),
    });
    const t = r.transactions!;
    const c = t.messaging!.consumers[0];
    // About half the ~40 deliveries in notify.send's second are on the killed pod.
    expect(c.redeliveries).toBeGreaterThanOrEqual(10);
    expect(c.ackTimeouts).toBe(0);
    expect(t.doubleCharges).toBeGreaterThanOrEqual(10);
    expect(t.doubleCharges).toBeLessThanOrEqual(c.redeliveries);
    expect(c.acked).toBe(r.load.buyers.offered);
    expectConservation(r);
  });

  test("holds messages while a partition cuts the consumers off from the broker, and delivers them after", () => {
    const r = run({
      zoned: true,
      faults: JSON.stringify([
        { name: "cut", kind: "partition", at: "10s", duration: "8s", target: { zones: ["b"] } },
      ]),
    });
    const t = r.transactions!;
    const c = t.messaging!.consumers[0];
    expect(c.acked).toBe(r.load.buyers.offered);
    // A charge running in zone b when the cut began finishes, but its ack cannot reach the broker:
    // the ack timeout redelivers it after the heal, and it charges again (no dedup here).
    expect(c.ackTimeouts).toBeGreaterThan(0);
    expect(t.duplicateCharges).toBeGreaterThan(0);
    expect(t.effects.charge - t.duplicateCharges).toBe(r.load.buyers.offered);
    expect(t.messaging!.lostEvents).toBe(0);
    // An order created as the partition began waits for it to heal and the group to reconnect
    // (every 5 s): its window is at least the 8 s cut.
    expect(t.inconsistencyWindowMs.max).toBeGreaterThanOrEqual(8000);
    expect(t.inconsistencyWindowMs.max).toBeLessThan(8000 + 5000 + 200);
    expectConservation(r);
  });

  test("a run is the same run: twice the same scenario and seed give the same result", () => {
    const o = {
      seed: 11,
      chargeTime: "mix(0.9: lognormal(100ms, 0.5), 0.1: lognormal(1500ms, 0.4))",
      deliveryDelay: "exp(5ms)",
      publishLatency: "lognormal(2ms, 0.5)",
      faults: JSON.stringify([
        {
          name: "k",
          kind: "pod-kill",
          at: "20s",
          restartAfter: "3s",
          target: { service: "payment", mode: "one" },
        },
      ]),
    };
    expect(JSON.stringify(run(o))).toBe(JSON.stringify(run(o)));
  });
});

describe("the broker with STRICT mTLS in the mesh", () => {
  test("delivers as without it: deliveries are not a sidecar's calls, so no handshake or policy applies", () => {
    const text = `${choreoText({ chargeTime: "const(100ms)" })}\nsecurity: { mtls: STRICT }\n`;
    const r = runScenario(parseScenario(text, "choreo.yaml"));
    const c = r.transactions!.messaging!.consumers[0];
    expect(c.acked).toBe(r.load.buyers.offered);
    expect(c.redeliveries).toBe(0);
  });
});
