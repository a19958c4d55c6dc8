// Cold starts (src/model/warmup.ts and Instance): a pod started during the run serves with its
// service times stretched by `lifecycle.warmup.serviceTimeFactor`, decaying linearly to 1 over
// `duration` from when it accepts connections; pods present at t = 0 are warm. The curve is
// meshsim's (no real system defines one); what the tests pin is that curve and who it applies to.
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { type WarmupSpec, warmupFactor } from "../../src/model/warmup.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import type { ScenarioError } from "../../src/scenario/errors.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

const THREE_OVER_10S: WarmupSpec = { durationMs: 10_000, serviceTimeFactor: 3 };

describe("the warm-up curve", () => {
  it("starts at the factor, is halfway at half the duration and 1 from the duration on", () => {
    expect(warmupFactor(THREE_OVER_10S, 0)).toBe(3);
    expect(warmupFactor(THREE_OVER_10S, 5_000)).toBe(2);
    expect(warmupFactor(THREE_OVER_10S, 7_500)).toBe(1.5);
    expect(warmupFactor(THREE_OVER_10S, 10_000)).toBe(1);
    expect(warmupFactor(THREE_OVER_10S, 1e9)).toBe(1);
  });

  propTest.prop([
    fc.double({ min: 1, max: 50, noNaN: true }),
    fc.integer({ min: 1, max: 600_000 }),
    fc.integer({ min: 0, max: 700_000 }),
    fc.integer({ min: 0, max: 700_000 }),
  ])("never rises with age and stays between 1 and the factor", (factor, durationMs, a, b) => {
    const spec = { durationMs, serviceTimeFactor: factor };
    const [young, old] = a <= b ? [a, b] : [b, a];
    expect(warmupFactor(spec, young)).toBeGreaterThanOrEqual(warmupFactor(spec, old));
    expect(warmupFactor(spec, young)).toBeLessThanOrEqual(factor);
    expect(warmupFactor(spec, old)).toBeGreaterThanOrEqual(1);
  });
});

/** One pod, const(10 ms) service, no network latency, 10 calls/s evenly spaced (no queueing). */
function coldStartScenario(
  kill: string,
  warmup = "{ duration: 10s, serviceTimeFactor: 3 }",
  restartPolicy = "Always",
) {
  return `version: 1
name: cold
duration: 31s
warmup: 0s
network: { latency: 0ms }
services:
  server:
    instances: 1
    concurrency: 1
    operations:
      work: { serviceTime: const(10ms) }
    lifecycle:
      restartPolicy: ${restartPolicy}
      warmup: ${warmup}
mesh:
  defaults: { retries: { attempts: 0 } }
load:
  - { name: old, executor: constant-arrival-rate, rate: 10, arrival: uniform, startTime: 0s, duration: 9s, target: server.work }
  - { name: fresh, executor: constant-arrival-rate, rate: 10, arrival: uniform, startTime: 10s, duration: 10s, target: server.work }
  - { name: warm, executor: constant-arrival-rate, rate: 10, arrival: uniform, startTime: 21s, duration: 9s, target: server.work }
faults:
  - { kind: pod-kill, ${kill}, target: { service: server } }
`;
}

describe("cold starts in a run", () => {
  for (const [how, kill, policy] of [
    ["the kubelet restarts it at once (CrashLoopBackOff's first restart)", "at: 9900ms", "Always"],
    ["its fault restarts it (restartAfter)", "at: 9400ms, restartAfter: 500ms", "Never"],
  ] as const) {
    it(`slows a pod back at 9.9 s: 29.8 ms at its first call (10 s), 19.9 ms on average over the warm-up, 10 ms after, when ${how}`, () => {
      const text = coldStartScenario(kill, undefined, policy);
      const result = runScenario(parseScenario(text, "cold.yaml"));
      const { old, fresh, warm } = result.load;
      const back = result.stateChanges.filter((c) => c.component === "pod server-0").at(-1)!;
      expect(back).toMatchObject({ atMs: 9_900, to: "ready" });
      // Present at t = 0: warm from the start.
      expect(old.failed).toBe(0);
      expect(old.latencyMs.max).toBeCloseTo(10, 1);
      // Calls at 10.0, 10.1, ..., 19.9 s meet the pod at ages 0.1 (k + 1) s, k = 0..99: factor
      // 3 - 2 × age / 10 s, 2.98 first; mean 3 - 0.02 × (1 + 49.5) = 1.99. The mean is exact, the
      // max a histogram value (≤ 1% error).
      expect(fresh.completed).toBe(100);
      expect(fresh.latencyMs.max).toBeGreaterThan(29.8 * 0.99);
      expect(fresh.latencyMs.max).toBeLessThan(29.8 * 1.01);
      expect(fresh.latencyMs.mean).toBeCloseTo(19.9, 6);
      expect(warm.latencyMs.max).toBeCloseTo(10, 1);
    });
  }

  it("leaves a run without warmup unchanged: the restarted pod is fast at once", () => {
    const text = coldStartScenario("at: 9900ms").replace(
      "      warmup: { duration: 10s, serviceTimeFactor: 3 }\n",
      "",
    );
    const result = runScenario(parseScenario(text, "cold.yaml"));
    expect(result.load.fresh.latencyMs.max).toBeCloseTo(10, 1);
  });

  it("refuses a factor below 1 or a zero duration, naming the field", () => {
    const problems = (warmup: string): string[] => {
      try {
        parseScenario(coldStartScenario("at: 9900ms", warmup), "cold.yaml");
      } catch (error) {
        return (error as ScenarioError).problems.map((p) => `${p.path}: ${p.message}`);
      }
      throw new Error("parsed");
    };
    expect(problems("{ duration: 10s, serviceTimeFactor: 0.5 }")).toEqual([
      expect.stringMatching(/^services\.server\.lifecycle\.warmup\.serviceTimeFactor: .*≥ 1/),
    ]);
    expect(problems("{ duration: 0s, serviceTimeFactor: 2 }")).toEqual([
      expect.stringMatching(/^services\.server\.lifecycle\.warmup\.duration: /),
    ]);
    expect(problems("{ serviceTimeFactor: 2 }")).toEqual([
      expect.stringMatching(/^services\.server\.lifecycle\.warmup\.duration: /),
    ]);
  });
});
