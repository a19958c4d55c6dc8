// The checkers that read a proxy's host set and its tries on the wire (`hosts` and `tryEnded`
// events), the sliding-window thresholds, and the panic probe: each fires on a scripted run that
// breaks its invariant and stays silent on real runs that reach the state it judges.
import { describe, expect, it } from "vitest";
import type { Scenario } from "../../src/scenario/types.ts";
import { runChecked } from "../../src/testing/checkedRun.ts";
import {
  connectionPoolBounds,
  hostInView,
  retryBudget,
  thresholdsOver,
} from "../../src/testing/checkers/index.ts";
import type { RunEvent } from "../../src/testing/events.ts";
import type { Breach, Invariant } from "../../src/testing/invariant.ts";
import { fromDocument } from "../../src/testing/source.ts";

/** gateway → payment (3 instances); `mesh` is payment's traffic policy. */
function chain(mesh: object, extra: object = {}) {
  return fromDocument({
    version: 1,
    name: "chain",
    duration: "20s",
    services: {
      gateway: {
        instances: 1,
        concurrency: 64,
        operations: { checkout: { serviceTime: "exp(1ms)", calls: [{ call: "payment.charge" }] } },
      },
      payment: { instances: 3, operations: { charge: { serviceTime: "exp(5ms)" } } },
    },
    mesh: { services: { payment: mesh } },
    load: [
      {
        name: "users",
        executor: "constant-arrival-rate",
        rate: 200,
        timeUnit: "1s",
        target: "gateway.checkout",
      },
    ],
    ...extra,
  });
}

function feed(invariant: Invariant, scenario: Scenario, events: RunEvent[]): Breach | null {
  const watch = invariant.watch(scenario);
  for (const e of events) {
    const breach = watch.event?.(e) ?? null;
    if (breach !== null) return breach;
  }
  return null;
}

const place = { call: 1, proxy: "gateway-0", service: "payment" };
const sent = (atMs: number, tryId: number, instance: string, cluster = 0): RunEvent => ({
  type: "sent",
  atMs,
  request: tryId,
  try: tryId,
  instance,
  cluster,
  ...place,
});
const ended = (atMs: number, tryId: number, instance: string): RunEvent => ({
  type: "tryEnded",
  atMs,
  request: tryId,
  try: tryId,
  instance,
  ...place,
});
const hosts = (atMs: number, ids: string[], panic = false): RunEvent => ({
  type: "hosts",
  atMs,
  proxy: "gateway-0",
  service: "payment",
  cluster: 0,
  hosts: ids,
  panic,
});

describe("the host-in-view checker", () => {
  const scenario = chain({}).scenario();
  it("fires on a try sent to a host its cluster may not pick (ejected, unknown), and on an unreported cluster", () => {
    const two = hosts(0, ["payment-0", "payment-1"]);
    expect(feed(hostInView, scenario, [two, sent(1, 1, "payment-1")])).toBeNull();
    const breach = feed(hostInView, scenario, [two, sent(1, 1, "payment-2")]);
    expect(breach?.request).toBe(1);
    expect(breach?.message).toMatch(
      /to payment-2, outside its view of payment \(payment-0, payment-1\)/,
    );
    // The view follows its updates: payment-1 leaves, then a try to it is outside.
    expect(
      feed(hostInView, scenario, [two, hosts(5, ["payment-0"]), sent(6, 2, "payment-1")])?.request,
    ).toBe(2);
    expect(feed(hostInView, scenario, [sent(1, 1, "payment-0", 3)])?.message).toMatch(
      /whose hosts were never reported/,
    );
  });

  it("stays silent on a run where outlier detection ejects hosts and the cluster panics, and the panic probe sees it", () => {
    // Two of three instances answer 503 from 5 s on: Envoy ejects them (maxEjectionPercent 100),
    // one healthy host of three is 33% < the 50% panic threshold, so the cluster balances over all.
    const faults = [
      {
        kind: "abort",
        at: "5s",
        httpStatus: 503,
        percentage: 100,
        target: { service: "payment", mode: "fixed", value: 2 },
      },
    ];
    const ejecting = { consecutive5xxErrors: 3, maxEjectionPercent: 100 };
    const panicking = chain({ retries: { attempts: 0 }, outlierDetection: ejecting }, { faults });
    const run = runChecked(panicking.scenario(), { invariants: [hostInView] });
    expect(run.violation).toBeNull();
    expect(run.reached).toContain("outlier-ejection");
    expect(run.reached).toContain("panic");
    // With panic off (threshold 0) the same run keeps to the one healthy host, and never panics.
    const calm = chain(
      { retries: { attempts: 0 }, outlierDetection: ejecting, healthyPanicThreshold: 0 },
      { faults },
    );
    const calmRun = runChecked(calm.scenario(), { invariants: [hostInView] });
    expect(calmRun.violation).toBeNull();
    expect(calmRun.reached).toContain("outlier-ejection");
    expect(calmRun.reached).not.toContain("panic");
  });
});

describe("the connection-pool-bounds checker", () => {
  const limited = chain({ connectionPool: { maxRequests: 2 } }).scenario();
  it("fires when a proxy has more tries on the wire than maxRequests, and not at the bound", () => {
    const a = sent(1, 1, "payment-0");
    const b = sent(2, 2, "payment-1");
    expect(
      feed(connectionPoolBounds, limited, [
        a,
        b,
        ended(3, 1, "payment-0"),
        sent(4, 3, "payment-2"),
      ]),
    ).toBeNull();
    const breach = feed(connectionPoolBounds, limited, [a, b, sent(3, 3, "payment-2")]);
    expect(breach?.request).toBe(3);
    expect(breach?.message).toMatch(
      /3 tries on the wire to payment; maxRequests \(http2MaxRequests\) is 2/,
    );
    expect(feed(connectionPoolBounds, limited, [ended(1, 1, "payment-0")])?.message).toMatch(
      /no try to payment was on the wire/,
    );
  });

  it("checks maxConnections under HTTP/1.1, and nothing when Istio's defaults leave the pool unlimited", () => {
    const http1 = chain({ connectionPool: { maxConnections: 1 } }).scenario();
    expect(
      feed(connectionPoolBounds, http1, [sent(1, 1, "payment-0"), sent(2, 2, "payment-1")])
        ?.message,
    ).toMatch(/maxConnections .* is 1/);
    const unlimited = chain({}).scenario();
    const many = Array.from({ length: 50 }, (_, i) => sent(i, i, "payment-0"));
    expect(feed(connectionPoolBounds, unlimited, many)).toBeNull();
  });

  it("stays silent on real runs whose pool overflows (HTTP/2) and queues (HTTP/1.1)", () => {
    for (const pool of [{ maxRequests: 1 }, { maxConnections: 1, maxPendingRequests: 1 }]) {
      const run = runChecked(chain({ connectionPool: pool }).scenario(), {
        invariants: [connectionPoolBounds],
      });
      expect(run.violation, JSON.stringify(pool)).toBeNull();
      expect(run.reached, JSON.stringify(pool)).toContain("pool-overflow");
    }
  });
});

describe("thresholdsOver, the thresholds over a sliding window", () => {
  // 200 checkouts/s; every call to payment fails with 503 from 8 s to 10 s: 2 s of 20 s is 10% of
  // the run, and all of a 2 s window.
  const source = chain(
    { retries: { attempts: 0 } },
    {
      thresholds: { errors: ["rate<0.15"] },
      faults: [
        {
          kind: "abort",
          at: "8s",
          duration: "2s",
          httpStatus: 503,
          percentage: 100,
          target: { service: "payment", mode: "all" },
        },
      ],
    },
  );
  it("passes over the whole run, and fails over a 2 s window at the burst, after it began", () => {
    const whole = runChecked(source.scenario());
    expect(whole.result?.thresholds.every((t) => t.ok)).toBe(true);
    const run = runChecked(source.scenario(), { invariants: [thresholdsOver("2s")] });
    expect(run.violation?.invariant).toBe("thresholds-over-2s");
    expect(run.violation?.message).toMatch(/errors: rate<0.15 failed over the 2s up to/);
    expect(run.violation?.atMs).toBeGreaterThan(8000);
    expect(run.violation?.atMs).toBeLessThan(10_500);
  });

  it("is silent over a window too long for the burst to reach the bound, and judges latency exactly", () => {
    expect(
      runChecked(source.scenario(), { invariants: [thresholdsOver("20s")] }).violation,
    ).toBeNull();
    const latency = chain({}, { thresholds: { latency: ["max<1ms"] } }).scenario();
    const watch = thresholdsOver(1000, { step: 1000 }).watch(latency);
    const offered = (request: number, atMs: number): RunEvent => ({
      type: "offered",
      atMs,
      request,
      load: "users",
      measured: true,
      scheduledAtMs: atMs,
    });
    const finished = (request: number, atMs: number): RunEvent => ({
      type: "finished",
      atMs,
      request,
      load: "users",
      status: 200,
    });
    expect(watch.event?.(offered(1, 100))).toBeNull();
    expect(watch.event?.(finished(1, 100.5))).toBeNull();
    expect(watch.event?.(offered(2, 1500))).toBeNull();
    expect(watch.event?.(finished(2, 1502))).toBeNull();
    // The window ending at 2 s holds request 2's 2 ms: max<1ms fails when time passes 2 s.
    expect(watch.event?.(offered(3, 2100))).toBeNull();
    expect(watch.event?.(finished(3, 2100.2))?.message).toMatch(
      /max<1ms failed .* up to 2000 ms \(actual 2\.000\)/,
    );
  });

  it("refuses a window that is not a positive duration", () => {
    expect(() => thresholdsOver("0s")).toThrow(/positive duration/);
    expect(() => thresholdsOver(-5)).toThrow(/positive duration/);
  });
});

describe("the retry-budget checker", () => {
  const budgeted = chain({
    retries: { attempts: 2 },
    retryBudget: { budgetPercent: 20, minRetryConcurrency: 1 },
  }).scenario();
  const retry = (atMs: number, request: number, scheduled = true): RunEvent => ({
    type: "retryCounted",
    atMs,
    request,
    try: request,
    scheduled,
    ...place,
  });
  it("fires on a retry scheduled with the budget spent, and allows one under it", () => {
    // 10 tries on the wire: 20% of 10 is 2 retries at once.
    const wire = Array.from({ length: 10 }, (_, i) => sent(i, i, "payment-0"));
    expect(feed(retryBudget, budgeted, [...wire, retry(20, 1), retry(21, 2)])).toBeNull();
    const breach = feed(retryBudget, budgeted, [...wire, retry(20, 1), retry(21, 2), retry(22, 3)]);
    expect(breach?.request).toBe(3);
    expect(breach?.message).toMatch(
      /with 2 retries already active; the budget allows max\(trunc\(20% × 10 active\), 1\) = 2/,
    );
    // With one try on the wire the floor, minRetryConcurrency 1, applies; a retry given back frees its place.
    const one = [sent(0, 0, "payment-0")];
    expect(feed(retryBudget, budgeted, [...one, retry(1, 1), retry(2, 2)])?.message).toMatch(
      /= 1$/,
    );
    expect(
      feed(retryBudget, budgeted, [...one, retry(1, 1), retry(2, 1, false), retry(3, 2)]),
    ).toBeNull();
    expect(feed(retryBudget, budgeted, [retry(1, 1, false)])?.message).toMatch(/did not hold/);
  });

  it("applies maxRetries when no budget is set", () => {
    const capped = chain({ retries: { attempts: 2 }, maxRetries: 1 }).scenario();
    expect(feed(retryBudget, capped, [retry(1, 1), retry(2, 2)])?.message).toMatch(
      /maxRetries is 1/,
    );
  });

  it("stays silent on a real run whose retries overflow the budget", () => {
    // payment's charge fails half its calls: retries meet the 20% budget (Envoy
    // upstream_rq_retry_overflow). An injected abort would not do: Envoy's fault filter answers
    // before the router, so nothing retries it.
    const failing = chain({
      retries: { attempts: 3, retryOn: ["5xx"] },
      retryBudget: { budgetPercent: 20, minRetryConcurrency: 1 },
    }).with("services.payment.operations.charge.errorRate", 0.5);
    const storm = failing;
    const run = runChecked(storm.scenario(), { invariants: [retryBudget] });
    expect(run.violation).toBeNull();
    expect(run.reached).toContain("retry-budget-exhausted");
  });
});
