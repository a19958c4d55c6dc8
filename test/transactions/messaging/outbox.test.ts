// The transactional outbox against publish after commit: a producer pod killed between its commit
// and its send's arrival loses the event (the order stands, nobody charges it), and a partition
// between the producer and the broker fails the send; with the outbox the event is a row of the
// same commit, which the relay publishes on its next poll (or after the partition heals).
import { describe, expect, test } from "vitest";
import type { RunResult } from "../../../src/result/run.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { parseScenario } from "../../../src/scenario/loader.ts";
import { choreoText } from "../../helpers/choreo.ts";
import { expectConservation } from "../../helpers/messaging.ts";

function run(o: Parameters<typeof choreoText>[0]): RunResult {
  return runScenario(parseScenario(choreoText(o), "choreo.yaml"));
}

/** Order pods killed (and back 1 s later) every 5 s from 5 s to 40 s; each send takes 30 ms. */
const killed = (seed: number, outbox: boolean) =>
  run({
    seed,
    rate: 50,
    outbox,
    orderInstances: 2,
    publishLatency: "const(30ms)",
    faults: JSON.stringify(
      [5, 10, 15, 20, 25, 30, 35, 40].map((s) => ({
        name: `kill-${s}`,
        kind: "pod-kill",
        at: `${s}s`,
        restartAfter: "1s",
        target: { service: "order", mode: "one" },
      })),
    ),
  });

describe("the transactional outbox", () => {
  test.each([1, 2, 3])(
    "seed %i: publish after commit loses events across pod kills; the outbox loses none",
    (seed) => {
      const off = killed(seed, false);
      const on = killed(seed, true);
      const t0 = off.transactions!;
      const t1 = on.transactions!;
      // About 25 sends a second per pod, 30 ms each: a kill finds one in flight most of the time.
      expect(t0.messaging!.lostEvents).toBeGreaterThanOrEqual(2);
      expect(t0.effects.charge).toBe(t0.effects.create - t0.messaging!.lostEvents);
      expect(t1.messaging!.lostEvents).toBe(0);
      // Every order created is charged once: its event survived the kill in the outbox table.
      expect(t1.effects.charge).toBe(t1.effects.create);
      expect(t1.messaging!.topics[0].outboxPending).toBe(0);
      expectConservation(off);
      expectConservation(on);
    },
  );

  test("the relay publishes at its polls: an event waits for the next multiple of the poll interval", () => {
    // No latency anywhere but the 5 ms create and the poll: each order's window (create to charge)
    // is its wait for the next poll plus the 100 ms charge, so it lies in [100, 200) ms.
    const t = run({ outbox: true, publishLatency: "0ms" }).transactions!;
    expect(t.effects.charge).toBe(t.orders);
    expect(t.inconsistencyWindowMs.max).toBeLessThan(200 + 1);
    expect(t.inconsistencyWindowMs.p50).toBeGreaterThan(100);
    const direct = run({ outbox: false, publishLatency: "0ms" }).transactions!;
    expect(direct.inconsistencyWindowMs.max).toBeLessThan(101);
  });

  test("a partition between the producer and the broker loses the sends after commit; outbox rows wait it out", () => {
    const o = {
      zoned: true,
      brokerZone: "b",
      faults: JSON.stringify([
        {
          name: "cut",
          kind: "partition",
          at: "10s",
          duration: "5s",
          target: { between: [{ zones: ["a"] }, { zones: ["b"] }] },
        },
      ]),
    };
    const off = run(o);
    const on = run({ ...o, outbox: true });
    const t0 = off.transactions!;
    const t1 = on.transactions!;
    // About 10 orders a second for 5 s.
    expect(t0.messaging!.lostEvents).toBeGreaterThan(30);
    expect(t0.effects.charge).toBe(t0.effects.create - t0.messaging!.lostEvents);
    expect(t1.messaging!.lostEvents).toBe(0);
    expect(t1.effects.charge).toBe(t1.effects.create);
    expect(t1.inconsistencyWindowMs.max).toBeGreaterThan(4000);
    expectConservation(off);
    expectConservation(on);
  });
});
