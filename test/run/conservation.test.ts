import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { resultJson } from "../../src/run/files.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { ISTIO_LOCALITY } from "../../src/scenario/defaults.ts";
import { defaultResilience } from "../../src/scenario/loader.ts";
import type {
  CallStep,
  LoadBalancerSpec,
  LoadSpec,
  ServiceSpec,
} from "../../src/scenario/types.ts";
import { dist, scenario } from "../helpers/scenarios.ts";

// Random small systems: a chain of services, each calling later ones (so no cycles), with
// bounded or unbounded queues, errors, branches, parallel groups, both threading models, a slow
// weighted version, caches, any balancer policy, zones, keys, and open or closed load that may stop
// before the run ends.
const serviceTimes = [
  "exp(5ms)",
  "const(3ms)",
  "uniform(1ms, 9ms)",
  "erlang(3, 6ms)",
  "lognormal(5ms, 1.2)",
  "mix(0.9: exp(2ms), 0.1: const(40ms))",
];

const systemArb = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc.record({
    services: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({
          instances: fc.integer({ min: 1, max: 3 }),
          concurrency: fc.integer({ min: 1, max: 3 }),
          queueCapacity: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 5 })),
          threading: fc.constantFrom("blocking" as const, "async" as const),
          serviceTime: fc.constantFrom(...serviceTimes),
          errorRate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
          cacheCapacity: fc.option(fc.integer({ min: 1, max: 50 })),
          slowWeight: fc.integer({ min: 1, max: 3 }),
          slowFactor: fc.double({ min: 0.5, max: 4, noNaN: true }),
          policy: fc.constantFrom<LoadBalancerSpec>(
            { policy: "random" },
            { policy: "round-robin", slowStart: null },
            { policy: "weighted-round-robin", slowStart: null },
            { policy: "least-request", choiceCount: 2, activeRequestBias: 1, slowStart: null },
            { policy: "peak-ewma", decayTimeMs: 10_000, defaultRttMs: 30 },
            {
              policy: "ring-hash",
              hashKey: "userId",
              minimumRingSize: 64,
              maximumRingSize: 1024,
              hashFunction: "XX_HASH",
              hashBalanceFactor: null,
            },
            {
              policy: "maglev",
              hashKey: "userId",
              tableSize: 251,
              hashFunction: "XX_HASH",
              hashBalanceFactor: 150,
            },
          ),
          calls: fc.array(
            fc.record({
              targets: fc.array(fc.integer({ min: i + 1, max: n }), { minLength: 1, maxLength: 2 }),
              probability: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
            }),
            { maxLength: i + 1 < n ? 2 : 0 },
          ),
        }),
      ),
    ),
    open: fc.boolean(),
    rate: fc.double({ min: 10, max: 400, noNaN: true }),
    vus: fc.integer({ min: 1, max: 20 }),
    loadDurationMs: fc.integer({ min: 1_000, max: 20_000 }),
    warmupMs: fc.integer({ min: 0, max: 2_000 }),
    latency: fc.constantFrom("0ms", "lognormal(0.25ms, 0.5)", "exp(1ms)"),
    keyCount: fc.option(fc.integer({ min: 1, max: 200 })),
    seed: fc.nat(),
  }),
);

describe("conservation", () => {
  fcTest.prop([systemArb], { numRuns: 60 })(
    "every offered request is completed, failed or still in flight at the end, and the run is deterministic",
    (sys) => {
      const n = sys.services.length;
      const services: ServiceSpec[] = sys.services.map((s, i) => ({
        name: `s${i}`,
        instances: s.instances + 1,
        versions: [
          {
            name: "v1",
            instances: s.instances,
            labels: { version: "v1" },
            weight: 1,
            serviceTimeFactor: 1,
          },
          {
            name: "slow",
            instances: 1,
            labels: { version: "slow" },
            weight: s.slowWeight,
            serviceTimeFactor: s.slowFactor,
          },
        ],
        concurrency: s.concurrency,
        queueCapacity: s.queueCapacity,
        threading: s.threading,
        zones: ["a", "b"],
        subzones: [],
        cache:
          s.cacheCapacity === null
            ? null
            : { capacity: s.cacheCapacity, hitServiceTime: dist("const(1ms)") },
        warmup: null,
        lifecycle: null,
        autoscaling: null,
        trafficPolicy: {
          loadBalancer: s.policy,
          subsets: [{ name: "slow", labels: { version: "slow" } }],
          // Premium requests go to the slow version; the rest split 80/20 between all and slow.
          routes: [
            { match: [{ tier: "premium" }], destinations: [{ subset: "slow", weight: 100 }] },
            {
              match: [],
              destinations: [
                { subset: null, weight: 80 },
                { subset: "slow", weight: 20 },
              ],
            },
          ],
          resilience: defaultResilience(),
          locality: { ...ISTIO_LOCALITY },
        },
        operations: [
          {
            name: "work",
            serviceTime: dist(s.serviceTime),
            errorRate: s.errorRate,
            onCancel: "finish",
            commitPoint: 1,
            calls: s.calls
              .filter((c) => c.targets.every((t) => t < n))
              .map((c): CallStep => {
                const calls: CallStep[] = c.targets.map((t) => ({
                  kind: "call",
                  target: { service: `s${t}`, operation: "work" },
                  probability: 1,
                }));
                return calls.length === 1
                  ? { ...calls[0], probability: c.probability }
                  : { kind: "parallel", steps: calls, probability: c.probability };
              }),
          },
        ],
      }));
      const common = {
        name: "l",
        target: { service: "s0", operation: "work" },
        startTimeMs: 0,
        durationMs: sys.loadDurationMs,
        clients: 2,
        zone: "a",
        attributes: [
          {
            name: "tier",
            values: [
              { value: "premium", probability: 0.2 },
              { value: "basic", probability: 0.8 },
            ],
          },
        ],
        keys:
          sys.keyCount === null
            ? null
            : {
                name: "userId",
                count: sys.keyCount,
                distribution: { kind: "zipf" as const, exponent: 1.1 },
              },
      };
      const load: LoadSpec = sys.open
        ? {
            ...common,
            executor: "constant-arrival-rate",
            ratePerMs: sys.rate / 1000,
            arrival: "poisson",
          }
        : { ...common, executor: "constant-vus", vus: sys.vus, thinkTime: dist("exp(20ms)") };
      const s = scenario({
        services,
        load: [load],
        durationMs: 25_000,
        warmupMs: sys.warmupMs,
        latency: dist(sys.latency),
        crossZoneLatency: dist(sys.latency),
        seed: sys.seed,
      });
      const result = runScenario(s);
      const l = result.load.l;
      expect(l.offered).toBe(l.completed + l.failed + l.inFlight);
      expect(l.inFlight).toBeGreaterThanOrEqual(0);
      expect(l.completed + l.failed).toBeLessThanOrEqual(l.offered);
      for (const service of Object.values(result.services)) {
        expect(service.errors).toBeLessThanOrEqual(service.requests);
        expect(service.requests).toBe(service.instances.reduce((sum, i) => sum + i.requests, 0));
        expect(service.utilization).toBeGreaterThanOrEqual(0);
        expect(service.utilization).toBeLessThanOrEqual(1 + 1e-9);
      }
      expect(resultJson(runScenario(s))).toBe(resultJson(result));
    },
  );
});
