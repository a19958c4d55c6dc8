// The property that makes a proxy's view its own: no try is ever sent to an instance that the
// sending proxy's registry snapshot does not contain (or, with active health checks, that Envoy does
// not keep for passing them). Checked on every try, against the snapshot the proxy holds, over
// random small meshes: each registry kind with fast random settings, random balancers, retries,
// outlier detection, panic thresholds and health checks, and random kills, restarts, hangs and
// registry outages. The per-edge counts must also add up.

import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import type { RegistrySpec } from "../../../src/control/registry/presets.ts";
import type { FaultSpec } from "../../../src/faults/spec.ts";
import { summarise } from "../../../src/run/result.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import { ISTIO_OUTLIER_DETECTION } from "../../../src/scenario/defaults.ts";
import { defaultResilience } from "../../../src/scenario/loader.ts";
import type { LoadBalancerSpec, ResilienceSpec, Scenario } from "../../../src/scenario/types.ts";
import { poissonLoad, scenario, station } from "../../helpers/scenarios.ts";

const ms = (min: number, max: number) => fc.integer({ min, max });

const registryArb: fc.Arbitrary<RegistrySpec> = fc.oneof(
  fc.record({
    kind: fc.constant("eureka" as const),
    leaseRenewalIntervalMs: ms(500, 3_000),
    leaseExpirationDurationMs: ms(1_000, 5_000),
    evictionIntervalMs: ms(500, 3_000),
    useReadOnlyResponseCache: fc.boolean(),
    responseCacheUpdateIntervalMs: ms(200, 3_000),
    registryFetchIntervalMs: ms(200, 3_000),
    clientCacheTtlMs: fc.oneof(fc.constant(0), ms(200, 3_000)),
    enableSelfPreservation: fc.boolean(),
    renewalPercentThreshold: fc.constantFrom(0.5, 0.85, 1),
    expectedClientRenewalIntervalMs: fc.constantFrom(1_000, 2_000),
    renewalThresholdUpdateIntervalMs: ms(5_000, 20_000),
  }),
  fc.record({
    kind: fc.constant("nacos" as const),
    heartBeatIntervalMs: ms(300, 1_500),
    heartBeatTimeoutMs: ms(1_000, 4_000),
    ipDeleteTimeoutMs: ms(1_000, 8_000),
    beatCheckIntervalMs: ms(300, 2_000),
    protectThreshold: fc.constantFrom(0, 0.3, 0.5, 1),
    pushTaskDelayMs: ms(0, 500),
    pollIntervalMs: fc.oneof(fc.constant(0), ms(200, 3_000)),
    pushDelayMs: ms(0, 300),
  }),
  fc.record({
    kind: fc.constant("consul" as const),
    check: fc.oneof(
      fc.record({
        type: fc.constant("ttl" as const),
        ttlMs: ms(1_000, 4_000),
        heartbeatIntervalMs: ms(300, 3_000),
      }),
      fc.record({
        type: fc.constant("interval" as const),
        intervalMs: ms(300, 2_000),
        timeoutMs: ms(100, 1_500),
      }),
    ),
    successBeforePassing: ms(0, 3),
    failuresBeforeCritical: ms(0, 3),
    deregisterCriticalServiceAfterMs: fc.constantFrom(null, 60_000),
    pushDelayMs: ms(0, 300),
  }),
  fc.record({
    kind: fc.constant("kubernetes" as const),
    periodMs: ms(500, 2_000),
    timeoutMs: ms(50, 400),
    failureThreshold: ms(1, 3),
    successThreshold: ms(1, 2),
    plegRelistPeriodMs: ms(200, 1_000),
    debounceAfterMs: ms(10, 500),
    debounceMaxMs: ms(500, 3_000),
    pushDelayMs: ms(0, 300),
  }),
  fc
    .record({
      tickTimeMs: ms(100, 1_000),
      ticks: ms(2, 20),
      pushDelayMs: ms(0, 300),
      roundTripMs: ms(0, 100),
    })
    .map(({ tickTimeMs, ticks, pushDelayMs, roundTripMs }) => ({
      kind: "zookeeper" as const,
      tickTimeMs,
      sessionTimeoutMs: ticks * tickTimeMs,
      pushDelayMs,
      roundTripMs,
    })),
);

const balancerArb: fc.Arbitrary<LoadBalancerSpec> = fc.oneof(
  fc.constant({ policy: "round-robin" as const, slowStart: null }),
  fc.constant({ policy: "random" as const }),
  fc.constant({
    policy: "least-request" as const,
    choiceCount: 2,
    activeRequestBias: 1,
    slowStart: null,
  }),
  fc.constant({ policy: "peak-ewma" as const, decayTimeMs: 10_000, defaultRttMs: 30 }),
);

const resilienceArb: fc.Arbitrary<ResilienceSpec> = fc
  .record({
    attempts: ms(0, 3),
    outlier: fc.boolean(),
    panic: fc.constantFrom(0, 50, 100),
    healthCheck: fc.option(
      fc.record({
        intervalMs: ms(200, 2_000),
        timeoutMs: ms(50, 1_000),
        unhealthyThreshold: ms(1, 3),
        healthyThreshold: ms(1, 3),
      }),
      { nil: null },
    ),
  })
  .map(({ attempts, outlier, panic, healthCheck }) => {
    const base = defaultResilience();
    return {
      ...base,
      retries: { ...base.retries, attempts, retryOn: ["connect-failure", "reset", "5xx"] },
      outlierDetection: outlier
        ? {
            ...ISTIO_OUTLIER_DETECTION,
            alwaysEjectOneHost: true,
            consecutive5xxErrors: 2,
            intervalMs: 1_000,
            baseEjectionTimeMs: 2_000,
            maxEjectionPercent: 50,
          }
        : null,
      healthyPanicThreshold: panic,
      healthCheck,
      connectTimeoutMs: 200,
    };
  });

const DURATION_MS = 30_000;

const faultArb = fc.oneof(
  fc.record({
    kind: fc.constant("pod-kill" as const),
    service: fc.constantFrom("front", "back"),
    at: ms(0, 25_000),
    restartAfter: fc.option(ms(100, 10_000), { nil: null }),
  }),
  fc.record({
    kind: fc.constant("pod-failure" as const),
    service: fc.constantFrom("front", "back"),
    at: ms(0, 25_000),
    lasts: fc.option(ms(100, 10_000), { nil: null }),
  }),
  fc.record({
    kind: fc.constant("registry-outage" as const),
    at: ms(0, 25_000),
    lasts: fc.option(ms(100, 10_000), { nil: null }),
  }),
);

const caseArb = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  registry: registryArb,
  frontInstances: ms(1, 3),
  backInstances: ms(1, 5),
  clients: ms(1, 4),
  balancer: balancerArb,
  front: resilienceArb,
  back: resilienceArb,
  faults: fc.array(faultArb, { maxLength: 4 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never;

function scenarioOf(c: Case): Scenario {
  // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers the whole union (tsc checks it)
  const faults = c.faults.map((f, i): FaultSpec => {
    const base = { name: `${f.kind}-${i}`, atMs: f.at };
    const target = (service: string) => ({
      kind: "instances" as const,
      service,
      selection: { mode: "one" as const },
    });
    switch (f.kind) {
      case "pod-kill":
        return { ...base, kind: f.kind, target: target(f.service), restartAfterMs: f.restartAfter };
      case "pod-failure":
        return { ...base, kind: f.kind, target: target(f.service), durationMs: f.lasts };
      case "registry-outage":
        return { ...base, kind: f.kind, durationMs: f.lasts };
    }
  });
  const back = station({
    name: "back",
    instances: c.backInstances,
    concurrency: 4,
    serviceTime: "exp(3ms)",
    loadBalancer: c.balancer,
    resilience: c.back,
  });
  const front = station({
    name: "front",
    instances: c.frontInstances,
    concurrency: 8,
    threading: "async",
    serviceTime: "exp(1ms)",
    calls: [{ kind: "call", target: { service: "back", operation: "work" }, probability: 1 }],
    loadBalancer: c.balancer,
    resilience: c.front,
  });
  return scenario({
    services: [front, back],
    load: [{ ...poissonLoad(60, "front"), clients: c.clients }],
    durationMs: DURATION_MS,
    seed: c.seed,
    faults,
    registry: c.registry,
  });
}

describe("every proxy's own view", () => {
  fcTest.prop([caseArb], { numRuns: 60 })(
    "no try goes to an instance outside the sending proxy's view, and the counts add up",
    (c) => {
      const s = scenarioOf(c);
      const world = buildWorld(s);
      const reason = world.scheduler.run(s.durationMs, s.maxEvents);
      const result = summarise(world, reason === "event-cap" ? "event-cap" : "duration");
      expect(world.discovery!.sentOutsideView).toBe(0);
      const discovery = result.discovery!;
      for (const [key, edge] of Object.entries(discovery.edges)) {
        const tries = result.edges[key]?.proxy.tries ?? 0;
        expect(edge.sentToDead + edge.sentToDraining).toBeLessThanOrEqual(tries);
        expect(edge.staleMean).toBeLessThanOrEqual(edge.staleMax);
        expect(edge.unknownMean).toBeLessThanOrEqual(edge.unknownMax);
        for (const proxy of Object.values(edge.perProxy)) {
          expect(proxy.longestStaleMs).toBeLessThanOrEqual(s.durationMs);
          // The timeline is the view over time: its time-average is the summary's, and its maxima are
          // at most the summary's (which also counts states that lasted no time, within one instant).
          const t = proxy.timeline;
          expect(proxy.timelineTruncated).toBe(false);
          for (let i = 1; i < t.length; i++) {
            expect(t[i][0]).toBeGreaterThanOrEqual(t[i - 1][0]); // rounded to the result's resolution
            expect(t[i][1] !== t[i - 1][1] || t[i][2] !== t[i - 1][2]).toBe(true);
          }
          expect(Math.max(...t.map((e) => e[1]))).toBeLessThanOrEqual(proxy.staleMax);
          expect(Math.max(...t.map((e) => e[2]))).toBeLessThanOrEqual(proxy.unknownMax);
          let staleArea = 0;
          for (let i = 0; i < t.length; i++)
            staleArea +=
              t[i][1] * ((i + 1 < t.length ? t[i + 1][0] : result.simulatedMs) - t[i][0]);
          const span = result.simulatedMs - t[0][0];
          if (span > 1) expect(staleArea / span).toBeCloseTo(proxy.staleMean, 2);
        }
        const perProxy = Object.values(edge.perProxy);
        expect(perProxy.reduce((n, p) => n + p.sentToDead, 0)).toBe(edge.sentToDead);
        expect(perProxy.reduce((n, p) => n + p.sentToDraining, 0)).toBe(edge.sentToDraining);
      }
    },
  );
});
