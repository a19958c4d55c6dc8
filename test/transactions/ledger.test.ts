// The ledger on scripted orders, against counts worked out by hand: double charges net of refunds,
// charges and reservations left on orders that ended cancelled or failed, the window distribution,
// and the sample; warm-up orders are left out.
import { describe, expect, test } from "vitest";
import { EndUserRequest } from "../../src/model/request.ts";
import { OrderLedger } from "../../src/transactions/ledger.ts";
import { WindowDistribution } from "../../src/transactions/window.ts";

function request(id: number, measured = true): EndUserRequest {
  return new EndUserRequest(id, 0, 0, measured, id, id);
}

describe("the order ledger", () => {
  test("counts a second charge as a double charge until a refund takes it back", () => {
    const ledger = new OrderLedger({ now: 0 });
    const r = request(1);
    ledger.apply(r, "charge", 20, 10);
    expect(ledger.doubleCharges).toBe(0);
    ledger.apply(r, "charge", 20, 50);
    ledger.apply(r, "charge", 20, 70);
    expect([ledger.doubleCharges, ledger.duplicateCharges, ledger.duplicateAmount]).toEqual([
      1, 2, 40,
    ]);
    ledger.apply(r, "refund", 20, 90);
    expect([ledger.doubleCharges, ledger.duplicateCharges, ledger.duplicateAmount]).toEqual([
      1, 1, 20,
    ]);
    ledger.apply(r, "refund", 20, 100);
    expect([ledger.doubleCharges, ledger.duplicateCharges, ledger.compensations]).toEqual([
      0, 0, 2,
    ]);
    expect(ledger.orders).toBe(1);
  });

  test("a failed order still charged or holding stock is a charge without order and an orphaned reservation", () => {
    const ledger = new OrderLedger({ now: 0 });
    const failed = request(1);
    ledger.apply(failed, "reserve", 2, 0);
    ledger.apply(failed, "charge", 30, 5);
    expect([ledger.chargesWithoutOrder, ledger.orphanedReservations]).toEqual([0, 0]);
    ledger.requestFinished(failed, 504);
    expect([ledger.chargesWithoutOrder, ledger.orphanedReservations]).toEqual([1, 1]);
    ledger.apply(failed, "release", 2, 40); // a late compensation
    expect([ledger.chargesWithoutOrder, ledger.orphanedReservations]).toEqual([1, 0]);
    const fine = request(2);
    ledger.apply(fine, "create", 1, 0);
    ledger.apply(fine, "charge", 30, 3);
    ledger.requestFinished(fine, 200);
    const cancelled = request(3);
    ledger.apply(cancelled, "create", 1, 0);
    ledger.apply(cancelled, "charge", 30, 3);
    ledger.apply(cancelled, "cancel", 1, 8);
    ledger.requestFinished(cancelled, 200);
    expect([ledger.orders, ledger.chargesWithoutOrder, ledger.compensations]).toEqual([3, 2, 2]);
    expect(ledger.sample.map((o) => o.request.id)).toEqual([1, 3]);
  });

  test("a charge that lands after its request failed counts against the failed order", () => {
    const ledger = new OrderLedger({ now: 0 });
    const r = request(7);
    ledger.requestFinished(r, 504);
    ledger.apply(r, "charge", 10, 200);
    expect([ledger.orders, ledger.chargesWithoutOrder]).toEqual([1, 1]);
  });

  test("leaves warm-up orders out", () => {
    const ledger = new OrderLedger({ now: 0 });
    const r = request(1, false);
    ledger.apply(r, "charge", 10, 0);
    ledger.apply(r, "charge", 10, 1);
    expect([ledger.orders, ledger.doubleCharges, ledger.effects.charge]).toEqual([0, 0, 0]);
  });

  test("keeps each order's window from its first effect to its last", () => {
    const ledger = new OrderLedger({ now: 0 });
    const a = request(1);
    ledger.apply(a, "create", 1, 100);
    ledger.apply(a, "charge", 1, 110);
    ledger.apply(a, "reserve", 1, 150); // window 50
    const b = request(2);
    ledger.apply(b, "create", 1, 0); // window 0
    expect(ledger.windows.count).toBe(2);
    expect(ledger.windows.max).toBe(50);
    expect(ledger.windows.quantile(0.5)).toBe(0);
    expect(ledger.windows.quantile(1)).toBeCloseTo(50, -0.3); // within its 1% bucket
  });
});

describe("the window distribution", () => {
  test("takes values out again, and its quantiles stay within 1%", () => {
    const w = new WindowDistribution();
    for (let i = 1; i <= 100; i++) w.add(i);
    w.remove(100);
    w.add(1000);
    expect(w.count).toBe(100);
    expect(Math.abs(w.quantile(0.5) - 50) / 50).toBeLessThan(0.01);
    expect(w.quantile(1)).toBe(1000);
    expect(() => w.remove(5000)).toThrow(/never added/);
  });
});

describe("the business invariants during the run", () => {
  test("record when each first broke, even if it healed by the end", () => {
    const clock = { now: 0 };
    const ledger = new OrderLedger(clock);
    const r = request(1);
    clock.now = 10;
    ledger.apply(r, "charge", 5, clock.now);
    clock.now = 30;
    ledger.apply(r, "charge", 5, clock.now);
    clock.now = 70;
    ledger.apply(r, "refund", 5, clock.now);
    expect(ledger.doubleCharges).toBe(0);
    expect([...ledger.firstBrokenAt]).toEqual([[1, 30]]);
  });
});
