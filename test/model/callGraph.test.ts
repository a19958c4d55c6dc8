// The call graph runner: steps in order, parallel groups joined, the first failure in file order
// reported, later steps skipped, probabilistic steps taken at their rate, and a blocking caller
// holding its slot until its calls are answered while an async one does not.
import { describe, expect, it } from "vitest";
import { constant } from "../../src/kernel/distributions.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import type { CallStep } from "../../src/scenario/types.ts";
import { poissonLoad, scenario, station } from "../helpers/scenarios.ts";

const call = (service: string, probability = 1): CallStep => ({
  kind: "call",
  target: { service, operation: "work" },
  probability,
});
const parallel = (...steps: CallStep[]): CallStep => ({ kind: "parallel", steps, probability: 1 });

/** `front` runs `calls`; `slow` times out at front's sidecar after 10 ms (504), `failing` answers 500 after 1 ms, `ok` and `after` succeed. */
function run(calls: CallStep[], threading: "blocking" | "async" = "async") {
  return runScenario(
    scenario({
      services: [
        station({ name: "front", serviceTime: constant(1), concurrency: 1000, threading, calls }),
        station({
          name: "slow",
          serviceTime: constant(50),
          concurrency: 1000,
          resilience: { timeoutMs: 10 },
        }),
        station({ name: "failing", serviceTime: constant(1), concurrency: 1000, errorRate: 1 }),
        station({ name: "ok", serviceTime: constant(2), concurrency: 1000 }),
        station({ name: "after", serviceTime: constant(1), concurrency: 1000 }),
      ],
      load: [poissonLoad(100, "front")],
      durationMs: 10_000,
    }),
  );
}

describe("the call graph", () => {
  it("reports the failure of the first branch in file order, even when a later branch fails first", () => {
    const slowFirst = run([parallel(call("slow"), call("failing"))]).load.customers;
    expect(slowFirst.failed).toBeGreaterThan(900);
    expect(slowFirst.failures).toEqual({ "504": slowFirst.failed });
    const failingFirst = run([parallel(call("failing"), call("slow"))]).load.customers;
    expect(failingFirst.failed).toBe(slowFirst.failed);
    expect(failingFirst.failures).toEqual({ "500": failingFirst.failed });
  });

  it("waits for every branch of a parallel group, and skips the steps after a failed one", () => {
    const good = run([parallel(call("ok"), call("after")), call("after")]);
    const done = good.load.customers.completed;
    expect(done + good.load.customers.inFlight).toBe(good.load.customers.offered);
    // 1 ms at front, then max(2, 1) ms in parallel, then 1 ms: 4 ms end to end on a zero-latency network.
    expect(good.load.customers.latencyMs.p50).toBeCloseTo(4, 1);
    expect(good.load.customers.latencyMs.max).toBeCloseTo(4, 6);
    expect(good.services.after.requests).toBeGreaterThanOrEqual(2 * done);
    const bad = run([parallel(call("ok"), call("failing")), call("after")]);
    expect(bad.load.customers.failed).toBeGreaterThan(900);
    expect(bad.load.customers.failures).toEqual({ "500": bad.load.customers.failed });
    expect(bad.services.after.requests).toBe(0);
  });

  it("takes a step of probability p in about p of the requests, inside parallel groups too", () => {
    const r = run([call("ok", 0.3), parallel(call("after", 0.6), call("failing", 0))]);
    const n = r.load.customers.offered;
    expect(n).toBeGreaterThan(900);
    // Binomial: 4.5 standard deviations either side.
    expect(Math.abs(r.services.ok.requests - 0.3 * n)).toBeLessThan(4.5 * Math.sqrt(n * 0.3 * 0.7));
    expect(Math.abs(r.services.after.requests - 0.6 * n)).toBeLessThan(
      4.5 * Math.sqrt(n * 0.6 * 0.4),
    );
    expect(r.services.failing.requests).toBe(0);
    expect(r.load.customers.failed).toBe(0);
  });

  it("keeps a blocking caller's slot while its calls run, and frees an async caller's", () => {
    const blocking = run([call("ok")], "blocking");
    const async = run([call("ok")], "async");
    // front's own work is 1 ms; the call to ok adds 2 ms only while the slot is held.
    // Utilisation is busy slot-time over 1000 slots: 100/s × 3 ms (blocking) or 1 ms (async).
    expect(blocking.services.front.utilization * 1000).toBeCloseTo(100 * 0.003, 1);
    expect(async.services.front.utilization * 1000).toBeCloseTo(100 * 0.001, 1);
    expect(blocking.load.customers.failed).toBe(0);
  });
});
