// Tracing only listens: turning it on (any sampler, any cap) leaves the run result byte for byte
// as it was, apart from the result's own `tracing` field, on the shipped checkout and retry-storm
// scenarios and over random recovery settings and fault timelines (hedging with and without
// cancelling losers, pools with waiting tries, cancel-on-timeout, kills, partitions, aborts).
// The same runs check the exported traces' shape and the critical path's bookkeeping.
import { fileURLToPath } from "node:url";
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { FaultSpec } from "../../../src/faults/spec.ts";
import { constant } from "../../../src/kernel/distributions.ts";
import { toOtlp } from "../../../src/report/exports/otlp.ts";
import type { RunResult } from "../../../src/result/run.ts";
import { runScenarioWithArtefacts } from "../../../src/run/runScenario.ts";
import {
  ISTIO_OUTLIER_DETECTION,
  RESILIENCE4J_CIRCUIT_BREAKER,
} from "../../../src/scenario/defaults.ts";
import { defaultResilience, loadScenarioFile } from "../../../src/scenario/loader.ts";
import type { ResilienceSpec, Scenario, TracingSpec } from "../../../src/scenario/types.ts";
import { flatSpans, otlpViolations, withoutTracing, withTracing } from "../../helpers/tracing.ts";

const scenarioFile = (name: string) =>
  loadScenarioFile(fileURLToPath(new URL(`../../../scenarios/${name}`, import.meta.url)));

function shortened(scenario: Scenario, durationMs: number, warmupMs: number): Scenario {
  return {
    ...scenario,
    durationMs,
    warmupMs,
    load: scenario.load.map((l) => ({
      ...l,
      durationMs: Math.min(l.durationMs, durationMs - l.startTimeMs),
    })),
  };
}

/** The critical path adds up: one path per completed measured request, buckets summing to the latency. */
function expectCriticalPathConsistent(result: RunResult): void {
  for (const [name, load] of Object.entries(result.load)) {
    const path = result.tracing!.criticalPath[name];
    expect(path.requests).toBe(load.completed);
    if (load.completed === 0) continue;
    expect(path.meanMs).toBe(load.latencyMs.mean);
    const entries = [...Object.values(path.services), path.network, path.client];
    const meanSum = entries.reduce((sum, e) => sum + e.meanMs, 0);
    const shareSum = entries.reduce((sum, e) => sum + e.share, 0);
    expect(meanSum).toBeCloseTo(path.meanMs, 2);
    expect(shareSum).toBeCloseTo(1, 4);
    for (const e of entries) expect(e.p50Ms).toBeLessThanOrEqual(e.p99Ms);
  }
}

describe("tracing on versus off", () => {
  // checkout.yaml turns tracing on; this runs it with tracing off and with other settings.
  const checkout = withTracing(shortened(scenarioFile("checkout.yaml"), 120_000, 30_000), null);

  it("leaves the checkout run identical apart from the tracing field", () => {
    const off = runScenarioWithArtefacts(checkout);
    const sampled = runScenarioWithArtefacts(
      withTracing(checkout, { sampler: "parentbased_traceidratio", ratio: 0.01 }),
    );
    const everything = runScenarioWithArtefacts(withTracing(checkout, { keepSlowerThanMs: 200 }));
    expect(off.result.tracing).toBeNull();
    expect(off.traces).toBeNull();
    expect(withoutTracing(sampled.result)).toBe(withoutTracing(off.result));
    expect(withoutTracing(everything.result)).toBe(withoutTracing(off.result));
    // Every request that ended has a kept trace when everything is sampled; about 1% otherwise, plus errors.
    const tracing = everything.result.tracing!;
    expect(tracing.traces).toBe(tracing.requests);
    expect(sampled.result.tracing!.headSampled / sampled.result.tracing!.requests).toBeGreaterThan(
      0.007,
    );
    expect(sampled.result.tracing!.headSampled / sampled.result.tracing!.requests).toBeLessThan(
      0.013,
    );
    expectCriticalPathConsistent(sampled.result);
    expect(sampled.result.tracing!.criticalPath).toEqual(everything.result.tracing!.criticalPath);
    expect(otlpViolations(toOtlp(sampled.traces!))).toEqual([]);
  });

  it("leaves the retry storm identical apart from the tracing field, and its traces well formed", () => {
    const storm = shortened(scenarioFile("retry-storm.yaml"), 100_000, 0);
    const off = runScenarioWithArtefacts(storm);
    const on = runScenarioWithArtefacts(
      withTracing(storm, { sampler: "parentbased_traceidratio", ratio: 0.05, maxTraces: 3000 }),
    );
    expect(withoutTracing(on.result)).toBe(withoutTracing(off.result));
    const tracing = on.result.tracing!;
    expect(tracing.traces).toBe(3000);
    expect(tracing.overCap).toBeGreaterThan(0);
    expectCriticalPathConsistent(on.result);
    const otlp = toOtlp(on.traces!);
    expect(otlpViolations(otlp)).toEqual([]);
    const spans = flatSpans(otlp);
    expect(spans.length).toBe(tracing.spans);
    // The storm's traces show its retries and timeouts.
    expect(
      spans.some(
        (s) =>
          s.attributes["meshsim.try"] === "retry" &&
          s.attributes["http.request.resend_count"] === "1",
      ),
    ).toBe(true);
    expect(
      spans.some(
        (s) =>
          s.attributes["meshsim.try"] === "retry" &&
          s.attributes["http.request.resend_count"] === "3",
      ),
    ).toBe(true);
    expect(
      spans.some((s) => s.attributes["meshsim.outcome"] === "timeout" && s.status.code === 2),
    ).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Random recovery settings and faults on a short, light checkout.

const CHECKOUT = scenarioFile("checkout.yaml");
const SERVICES = CHECKOUT.services.map((s) => s.name);

const resilienceArb: fc.Arbitrary<ResilienceSpec> = fc
  .record({
    timeoutMs: fc.option(fc.integer({ min: 30, max: 1_000 }), { nil: null }),
    attempts: fc.integer({ min: 0, max: 3 }),
    perTryTimeoutMs: fc.option(fc.integer({ min: 10, max: 300 }), { nil: null }),
    hedging: fc.option(
      fc.record({
        delayMs: fc.integer({ min: 1, max: 60 }),
        maxAttempts: fc.integer({ min: 2, max: 3 }),
        cancelLosers: fc.boolean(),
      }),
      { nil: null },
    ),
    cancelOnTimeout: fc.boolean(),
    pool: fc.option(
      fc.record({
        maxRequests: fc.integer({ min: 1, max: 50 }),
        maxPendingRequests: fc.integer({ min: 0, max: 20 }),
        maxConnections: fc.integer({ min: 1, max: 5 }),
      }),
      { nil: null },
    ),
    rateLimit: fc.option(
      fc.record({
        maxTokens: fc.integer({ min: 1, max: 20 }),
        fillIntervalMs: fc.integer({ min: 10, max: 100 }),
        per: fc.constantFrom("instance" as const, "proxy" as const),
      }),
      { nil: null, freq: 3 },
    ),
    breaker: fc.boolean(),
    outlierDetection: fc.boolean(),
  })
  .map((r): ResilienceSpec => {
    const base = defaultResilience();
    return {
      ...base,
      timeoutMs: r.timeoutMs,
      retries: {
        ...base.retries,
        attempts: r.hedging === null ? r.attempts : 0,
        perTryTimeoutMs: r.perTryTimeoutMs,
        retryOn: ["5xx", "reset", "connect-failure", "retriable-4xx"],
      },
      hedging: r.hedging,
      cancelOnTimeout: r.cancelOnTimeout,
      connectionPool: r.pool ?? base.connectionPool,
      rateLimit: r.rateLimit === null ? null : { ...r.rateLimit, tokensPerFill: 1 },
      circuitBreaker: r.breaker
        ? {
            ...RESILIENCE4J_CIRCUIT_BREAKER,
            slidingWindowSize: 10,
            minimumNumberOfCalls: 5,
            waitDurationInOpenStateMs: 500,
            permittedNumberOfCallsInHalfOpenState: 2,
          }
        : null,
      outlierDetection: r.outlierDetection
        ? {
            ...ISTIO_OUTLIER_DETECTION,
            consecutive5xxErrors: 2,
            intervalMs: 500,
            baseEjectionTimeMs: 1_000,
            maxEjectionPercent: 100,
          }
        : null,
      healthyPanicThreshold: 0,
      connectTimeoutMs: 50,
    };
  });

const faultArb = fc.oneof(
  fc.record({
    kind: fc.constant("pod-kill" as const),
    service: fc.constantFrom(...SERVICES),
    restart: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("partition" as const), zone: fc.constantFrom("a", "b", "c") }),
  fc.record({
    kind: fc.constant("abort" as const),
    service: fc.constantFrom(...SERVICES),
    httpStatus: fc.constantFrom(500, 503, 429),
  }),
  fc.record({
    kind: fc.constant("delay" as const),
    service: fc.constantFrom(...SERVICES),
    delayMs: fc.integer({ min: 1, max: 400 }),
  }),
);

const caseArb = fc.record({
  resilience: fc.tuple(...SERVICES.map(() => resilienceArb)),
  faults: fc.array(
    fc.record({
      atMs: fc.integer({ min: 0, max: 8_000 }),
      lastsMs: fc.integer({ min: 1, max: 4_000 }),
      fault: faultArb,
    }),
    { maxLength: 4 },
  ),
  seed: fc.nat(),
  ratePerS: fc.integer({ min: 20, max: 150 }),
  tracing: fc.record({
    sampler: fc.constantFrom(
      "always_on" as const,
      "always_off" as const,
      "parentbased_traceidratio" as const,
    ),
    ratio: fc.double({ min: 0, max: 1, noNaN: true }),
    keepErrors: fc.boolean(),
    keepSlowerThanMs: fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }),
    maxTraces: fc.integer({ min: 0, max: 400 }),
  }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never;

function scenarioOf(c: Case): Scenario {
  const durationMs = 10_000;
  // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers the whole union (tsc checks it)
  const faults = c.faults.map(({ atMs, lastsMs, fault }, i): FaultSpec => {
    const base = { name: `${fault.kind}-${i}`, atMs };
    const instances = (service: string) => ({
      kind: "instances" as const,
      service,
      selection: { mode: "one" as const },
    });
    switch (fault.kind) {
      case "pod-kill":
        return {
          ...base,
          kind: "pod-kill",
          target: instances(fault.service),
          restartAfterMs: fault.restart ? lastsMs : null,
        };
      case "partition":
        return {
          ...base,
          kind: "partition",
          target: { sideA: { kind: "zones", zones: [fault.zone] }, sideB: null },
          durationMs: lastsMs,
        };
      case "abort":
        return {
          ...base,
          kind: "abort",
          target: instances(fault.service),
          durationMs: lastsMs,
          httpStatus: fault.httpStatus,
          percentage: 50,
        };
      case "delay":
        return {
          ...base,
          kind: "delay",
          target: instances(fault.service),
          durationMs: lastsMs,
          delay: constant(fault.delayMs),
          percentage: 50,
        };
    }
  });
  const load = CHECKOUT.load[0];
  return {
    ...CHECKOUT,
    seed: c.seed,
    durationMs,
    warmupMs: 1_000,
    services: CHECKOUT.services.map((s, i) => ({
      ...s,
      trafficPolicy: { ...s.trafficPolicy, resilience: c.resilience[i] },
    })),
    load: [
      {
        ...load,
        executor: "constant-arrival-rate",
        ratePerMs: c.ratePerS / 1000,
        arrival: "poisson",
        startTimeMs: 0,
        durationMs,
      },
    ],
    faults,
    thresholds: [],
    compare: null,
    tracing: null,
  };
}

// A hang guard, not a measurement: 30 cases of three runs each took 63 s, past vitest's 60 s, in a
// full suite on two workers sharing 2 cores with other work (load average about 10).
describe("tracing over random recovery settings and faults", { timeout: 300_000 }, () => {
  fcTest.prop([caseArb], { numRuns: 30, endOnFailure: true })(
    "never changes the run, and exports well-formed traces",
    (c) => {
      const scenario = scenarioOf(c);
      const off = runScenarioWithArtefacts(scenario);
      expect(off.result.tracing).toBeNull();
      const tracing: Partial<TracingSpec> = c.tracing;
      const on = runScenarioWithArtefacts(withTracing(scenario, tracing));
      expect(withoutTracing(on.result)).toBe(withoutTracing(off.result));
      expect(on.result.tracing!.traces).toBeLessThanOrEqual(c.tracing.maxTraces);
      expectCriticalPathConsistent(on.result);
      const otlp = toOtlp(on.traces!);
      expect(otlpViolations(otlp)).toEqual([]);
      expect(flatSpans(otlp).length).toBe(on.result.tracing!.spans);
      // Everything kept, nothing over the cap: every span's parent is still there.
      const all = runScenarioWithArtefacts(withTracing(scenario, {}));
      expect(otlpViolations(toOtlp(all.traces!))).toEqual([]);
    },
  );
});
