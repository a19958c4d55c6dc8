// Effects in a run: a charge commits when the payment instance finishes its work, whether or not
// the answer reaches the caller, so a per-try timeout followed by a retry charges twice; warm-up
// orders are left out; a scenario without effects has no `transactions` section at all.
import { describe, expect, test } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";
import { shopText } from "../helpers/shop.ts";

describe("effects in a run", () => {
  test("a charge whose tries all time out still charges once per try: the order is charged three times and failed", () => {
    const r = runScenario(parseScenario(shopText({}), "shop.yaml"));
    const t = r.transactions!;
    const orders = r.load.buyers.offered;
    expect(r.load.buyers.failed).toBe(orders - r.load.buyers.inFlight);
    // Every try (first + 2 retries) ran its full second and charged; late tries of the last
    // orders may still be running when the run ends.
    expect(t.orders).toBe(orders);
    expect(t.effects.charge).toBeGreaterThanOrEqual(3 * (orders - 2));
    expect(t.doubleCharges).toBeGreaterThanOrEqual(orders - 2);
    expect(t.duplicateAmount).toBe(25 * t.duplicateCharges);
    expect(t.chargesWithoutOrder).toBe(r.load.buyers.failed);
    expect(t.sample.length).toBe(10);
    expect(t.sample[0]).toMatchObject({
      anomalies: ["doubleCharge", "chargeWithoutOrder"],
      charges: 3,
    });
  });

  test("a charge that answers in time charges once and the order completes", () => {
    const r = runScenario(parseScenario(shopText({ serviceTime: "const(100ms)" }), "shop.yaml"));
    const t = r.transactions!;
    expect(t.orders).toBe(r.load.buyers.offered);
    expect([t.doubleCharges, t.chargesWithoutOrder, t.sample.length]).toEqual([0, 0, 0]);
    expect(t.inconsistencyWindowMs).toEqual({ p50: 100, p99: 100, max: 100 });
  });

  test("orders that start in the warm-up are left out", () => {
    const r = runScenario(parseScenario(shopText({ warmup: "50s" }), "shop.yaml"));
    expect(r.transactions!.orders).toBe(r.load.buyers.offered);
    expect(r.transactions!.orders).toBeLessThan(60);
  });

  test("a scenario without effects has no transactions section", () => {
    const r = runScenario(
      parseScenario(shopText({ effects: "" }).replace(/ +effects: .*\n/g, ""), "shop.yaml"),
    );
    expect("transactions" in r).toBe(false);
  });
});
