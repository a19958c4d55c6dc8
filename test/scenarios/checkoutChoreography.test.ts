// scenarios/checkout-choreography.yaml: the checkout choreographed over the broker, a slow card
// processor against a 1 s ack timeout and zone b cut off from the broker for 20 s at 2 min. Each
// safeguard removes the anomaly it targets, and taking it away brings the anomaly back: consumer
// dedup the double charges of redeliveries, the outbox the events lost by publish after commit.
// (The run is cut to 2m40s here, past the partition's end, to spare CPU; the docs' figures are
// the full 5 minutes.)
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../src/result/run.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";
import { expectConservation } from "../helpers/messaging.ts";

const FILE = fileURLToPath(new URL("../../scenarios/checkout-choreography.yaml", import.meta.url));
const TEXT = readFileSync(FILE, "utf8");

function variant(dedup: boolean, outbox: boolean): RunResult {
  const scenario = parseScenario(TEXT, FILE, [
    { path: ["duration"], value: "2m40s", origin: "test" },
    { path: ["messaging", "dedup", "enabled"], value: dedup, origin: "test" },
    { path: ["messaging", "outbox", "enabled"], value: outbox, origin: "test" },
  ]);
  return runScenario(scenario);
}

describe("checkout-choreography.yaml", () => {
  const none = variant(false, false);
  const dedup = variant(true, false);
  const outbox = variant(false, true);
  const both = variant(true, true);
  const t = (r: RunResult) => r.transactions!;

  it("double-charges orders without consumer dedup and none with it", () => {
    // About 3% of charges outlive the 1 s ack timeout (5% slow, two thirds of those over 1 s).
    expect(t(none).doubleChargesPerThousand).toBeGreaterThan(15);
    expect(t(none).doubleChargesPerThousand).toBeLessThan(45);
    expect(t(outbox).doubleCharges).toBeGreaterThan(0);
    expect(t(dedup).doubleCharges).toBe(0);
    expect(t(both).doubleCharges).toBe(0);
    expect(t(dedup).messaging!.duplicatesAbsorbed).toBeGreaterThanOrEqual(t(none).duplicateCharges);
  });

  it("loses events during the partition with publish after commit and none with the outbox", () => {
    // Half the order pods are in zone b; 20 s at 100 orders/s: about 1,000 events.
    expect(t(none).messaging!.lostEvents).toBeGreaterThan(700);
    expect(t(dedup).messaging!.lostEvents).toBe(t(none).messaging!.lostEvents);
    expect(t(outbox).messaging!.lostEvents).toBe(0);
    expect(t(both).messaging!.lostEvents).toBe(0);
    // The outbox holds zone b's events until the partition heals: a window of many seconds.
    expect(t(outbox).inconsistencyWindowMs.p99).toBeGreaterThan(5000);
  });

  it("keeps every business invariant only with both safeguards", () => {
    const broken = (r: RunResult) =>
      t(r)
        .invariants.filter((i) => !i.holds)
        .map((i) => i.name);
    expect(broken(none)).toEqual(["no-double-charge", "no-lost-event"]);
    expect(broken(dedup)).toEqual(["no-lost-event"]);
    expect(broken(outbox)).toEqual(["no-double-charge"]);
    expect(broken(both)).toEqual([]);
  });

  it("conserves every event and message in each variant", () => {
    for (const r of [none, dedup, outbox, both]) expectConservation(r);
  });
});
