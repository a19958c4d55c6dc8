import { describe, expect, it } from "vitest";
import { timeAxis } from "../../src/report/html/data/chartRows.ts";
import {
  alertIntervals,
  alertLabel,
  componentLabel,
  faultBands,
  stateChangeCounts,
  stateIntervals,
  warmupBand,
} from "../../src/report/html/data/timeline.ts";
import { fixtureAlerts, fixtureResult } from "./reportFixtures.ts";

const seconds = timeAxis(40_000);

describe("fault windows", () => {
  it("merge faults with the same window under one label, and run a fault with no end to the end of the run", () => {
    expect(faultBands(fixtureResult(), seconds)).toEqual([
      { label: "payment-errors, payment-slow", start: 15, end: 35 },
      { label: "zone-b-down", start: 30, end: 40 },
    ]);
  });

  it("are in start order whatever the order of the faults", () => {
    const result = fixtureResult();
    result.faults.reverse();
    expect(faultBands(result, seconds).map((b) => b.start)).toEqual([15, 30]);
  });
});

describe("the warm-up", () => {
  it("is a band from 0, or nothing without a warm-up", () => {
    expect(warmupBand(5000, seconds)).toEqual({ label: "warm-up", start: 0, end: 5 });
    expect(warmupBand(0, seconds)).toBeNull();
  });
});

describe("state intervals", () => {
  it("cover each span away from the component's first state, the last one to the end of the run", () => {
    expect(
      stateIntervals(fixtureResult(), seconds).map((i) => [i.component, i.state, i.start, i.end]),
    ).toEqual([
      ["breaker gateway-0->payment", "OPEN", 12, 17],
      ["breaker gateway-0->payment", "HALF_OPEN", 17, 18],
      ["outlier gateway-0->payment-1", "ejected", 25, 40],
      ["instance payment-1", "dead", 15, 40],
    ]);
  });

  it("label components for a chart axis", () => {
    expect(componentLabel("outlier gateway-0->payment-1")).toBe("gateway-0 → payment-1 (ejection)");
    expect(componentLabel("breaker load:shoppers/client-0->gateway")).toBe(
      "load:shoppers/client-0 → gateway (breaker)",
    );
    expect(componentLabel("instance payment-1")).toBe("payment-1 (instance)");
  });

  it("are counted by kind of component and transition", () => {
    expect(stateChangeCounts(fixtureResult())).toEqual([
      { kind: "breaker", transition: "CLOSED → OPEN", count: 1 },
      { kind: "breaker", transition: "OPEN → HALF_OPEN", count: 1 },
      { kind: "breaker", transition: "HALF_OPEN → CLOSED", count: 1 },
      { kind: "outlier", transition: "healthy → ejected", count: 1 },
      { kind: "instance", transition: "running → dead", count: 1 },
    ]);
  });
});

describe("alert intervals", () => {
  it("are pending until firing, firing until resolved or the end, and pending alone for an alert that never fired", () => {
    expect(alertIntervals(fixtureAlerts(), 40_000, seconds)).toEqual([
      { alert: "PaymentErrors", phase: "pending", start: 20, end: 30 },
      { alert: "PaymentErrors", phase: "firing", start: 30, end: 40 },
      { alert: 'Noisy{service="order"}', phase: "firing", start: 10, end: 20 },
      { alert: "Flappy", phase: "pending", start: 30, end: 40 },
    ]);
  });

  it("name an alert instance as Prometheus shows it", () => {
    expect(alertLabel("HighLatency", { service: "payment", severity: "page" })).toBe(
      'HighLatency{service="payment",severity="page"}',
    );
  });
});
