// Consumer deduplication by message id (the idempotent consumer): a redelivered event commits no
// second effect while its id is remembered; without it every redelivery past its commit charges
// again. Dedup changes no timing (the duplicate still runs; its commit rolls back), so what it
// absorbs is exactly what the same run without it double-applies.
import { describe, expect, test } from "vitest";
import type { RunResult } from "../../../src/result/run.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { parseScenario } from "../../../src/scenario/loader.ts";
import { choreoText } from "../../helpers/choreo.ts";
import { expectConservation } from "../../helpers/messaging.ts";

function run(o: Parameters<typeof choreoText>[0]): RunResult {
  return runScenario(parseScenario(choreoText(o), "choreo.yaml"));
}

describe("consumer dedup", () => {
  test("scripted: three deliveries of each message charge once with dedup, three times without", () => {
    // As in broker.test.ts: 1.5 s charges, a 1 s ack timeout, three deliveries each, all charging.
    const o = { chargeTime: "const(1500ms)", ackTimeout: "1s", maxDeliveries: 3 };
    const off = run(o).transactions!;
    const on = run({ ...o, dedup: true }).transactions!;
    const orders = off.orders;
    expect(on.orders).toBe(orders);
    expect(off.effects.charge).toBe(3 * orders);
    expect(off.doubleCharges).toBe(orders);
    expect(on.effects.charge).toBe(orders);
    expect(on.doubleCharges).toBe(0);
    expect(on.messaging!.duplicatesAbsorbed).toBe(2 * orders);
    expect(on.messaging!.consumers[0].duplicatesAbsorbed).toBe(2 * orders);
  });

  const seeded = (seed: number, dedup: boolean) =>
    run({
      seed,
      rate: 20,
      dedup,
      chargeTime: "mix(0.9: lognormal(100ms, 0.5), 0.1: lognormal(1500ms, 0.4))",
      chargeCalls: "exp(200ms)",
      deliveryDelay: "exp(5ms)",
      faults: JSON.stringify([
        {
          name: "k1",
          kind: "pod-kill",
          at: "15s",
          restartAfter: "2s",
          target: { service: "payment", mode: "one" },
        },
        {
          name: "k2",
          kind: "pod-kill",
          at: "35s",
          restartAfter: "2s",
          target: { service: "payment", mode: "one" },
        },
      ]),
    });

  test.each([1, 2, 3, 4])(
    "seed %i: dedup absorbs exactly the duplicates the run without it double-applies",
    (seed) => {
      const off = seeded(seed, false);
      const on = seeded(seed, true);
      const t0 = off.transactions!;
      const t1 = on.transactions!;
      expect(t0.doubleCharges).toBeGreaterThan(0);
      expect(t1.doubleCharges).toBe(0);
      expect(t1.duplicateCharges).toBe(0);
      expect(t1.messaging!.duplicatesAbsorbed).toBe(t0.duplicateCharges);
      expect(t1.effects.charge + t0.duplicateCharges).toBe(t0.effects.charge);
      // The same deliveries either way: dedup decides only what a duplicate commits.
      expect(t1.messaging!.consumers[0].redeliveries).toBe(t0.messaging!.consumers[0].redeliveries);
      expectConservation(off);
      expectConservation(on);
    },
  );

  test("forgets a message id after its retention, which then protects no more", () => {
    // The three deliveries commit at 1.5, 2.5 and 3.5 s after the publish; the id is recorded at
    // 1.5 s. With a 1.2 s retention it is 1 s old at 2.5 s (absorbed) and 2 s old at 3.5 s
    // (forgotten: the third delivery charges again and records it anew).
    const o = { chargeTime: "const(1500ms)", ackTimeout: "1s", maxDeliveries: 3, dedup: true };
    const t = run({ ...o, dedupRetention: "1200ms" }).transactions!;
    expect(t.effects.charge).toBe(2 * t.orders);
    expect(t.doubleCharges).toBe(t.orders);
    expect(t.messaging!.duplicatesAbsorbed).toBe(t.orders);
    const kept = run({ ...o, dedupRetention: "2500ms" }).transactions!;
    expect(kept.effects.charge).toBe(kept.orders);
  });
});

describe("message ids are stable per logical event", () => {
  test("a producer that runs twice for one order publishes one id twice, which dedup absorbs", () => {
    // order.create takes 300 ms against a 200 ms per-try timeout with one retry: both tries commit
    // (at 300 and 500 ms) and publish order-created for the same order, under the same id.
    const mesh =
      "mesh:\n  services:\n    order:\n      timeout: 10s\n      retries: { attempts: 1, perTryTimeout: 200ms, retryOn: gateway-error }\n";
    const text = (dedup: boolean) =>
      `${choreoText({ createTime: "const(300ms)", dedup })}\n${mesh}`;
    const off = runScenario(parseScenario(text(false), "choreo.yaml")).transactions!;
    const on = runScenario(parseScenario(text(true), "choreo.yaml")).transactions!;
    expect(off.effects.create).toBe(2 * off.orders);
    expect(off.messaging!.published).toBe(2 * off.orders);
    expect(off.effects.charge).toBe(2 * off.orders);
    expect(on.effects.charge).toBe(on.orders);
    expect(on.messaging!.duplicatesAbsorbed).toBe(on.orders);
  });
});
