// scenarios/checkout-saga-compensation.yaml, its three variants at the file's seed (18), with the
// figures docs/transactions.md gives: back-off on compensations lets every saga that failed in the
// payment outage refund once payment is back; retried at once, the refunds are a storm (almost
// four times the tries, 50 per failed saga in a burst) and the sagas give up; compensating only
// completed steps leaves every timed-out charge on the card of a failed order.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { type Override, parseScenario } from "../../src/scenario/loader.ts";

const FILE = fileURLToPath(
  new URL("../../scenarios/checkout-saga-compensation.yaml", import.meta.url),
);
const SAGA = ["services", "gateway", "operations", "checkout", "saga"];

function variant(overrides: Override[]) {
  return runScenario(parseScenario(readFileSync(FILE, "utf8"), FILE, overrides)).transactions!;
}

describe("the checkout-saga-compensation scenario", () => {
  const backoff = variant([]);
  const storm = variant([
    { path: [...SAGA, "compensation", "backoff"], value: "none", origin: "test" },
  ]);
  const completedOnly = variant([
    { path: [...SAGA, "compensateFailed"], value: false, origin: "test" },
  ]);

  it("with back-off compensates every failed saga and leaves no money on a failed order", () => {
    expect(backoff.sagas).toEqual({
      completed: 20042,
      compensated: 7107,
      timedOut: 0,
      compensationFailed: 0,
    });
    expect(backoff.chargesWithoutOrder).toBe(0);
    expect(backoff.compensationTries).toEqual({
      total: 85241,
      retries: 63919,
      peakPerSecond: 2646,
    });
  });

  it("without back-off storms payment with refund tries and gives up on the sagas of the outage", () => {
    expect(storm.sagas.compensationFailed).toBe(6109);
    expect(storm.compensationTries!.total).toBe(320663);
    expect(storm.compensationTries!.total).toBeGreaterThan(3.5 * backoff.compensationTries!.total);
    expect(storm.compensationTries!.peakPerSecond).toBe(6703);
    const inTime = storm.invariants.find((i) => i.name === "sagas-end-in-time")!;
    expect(inTime.violations).toBe(6109);
  });

  it("compensating only completed steps leaves each timed-out charge on a failed order", () => {
    expect(completedOnly.chargesWithoutOrder).toBe(995);
    expect(completedOnly.effects.refund).toBe(0);
    expect(completedOnly.compensationTries!.retries).toBe(0);
  });
});
