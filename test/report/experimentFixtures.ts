// Hand-made experiment outputs for the report tests: a comparison of two variants (with paired
// differences) and sweeps over one and two paths, with thresholds, built without running anything.
import type { Comparison } from "../../src/result/compare.ts";
import type {
  LatencyFigures,
  LoadFigures,
  ServiceFigures,
  Sweep,
  SweepPoint,
  ThresholdFigure,
} from "../../src/result/experiment.ts";
import type { RunResult } from "../../src/result/run.ts";
import { fixtureResult } from "./reportFixtures.ts";

function latency(scale: number, spread: number): LatencyFigures {
  const f = (x: number) => x * scale;
  const ci = (x: number): [number, number] => [f(x) * (1 - spread), f(x) * (1 + spread)];
  return {
    mean: f(60),
    meanCi95: ci(60),
    p50: f(50),
    p50Ci95: ci(50),
    p90: f(100),
    p90Ci95: ci(100),
    p99: f(250),
    p99Ci95: ci(250),
    p999: f(400),
    p999Ci95: ci(400),
    max: f(500),
  };
}

function pooled(scale: number) {
  return {
    mean: 61 * scale,
    p50: 50 * scale,
    p90: 101 * scale,
    p99: 255 * scale,
    p999: 410 * scale,
    max: 500 * scale,
  };
}

export function fixtureLoad(scale: number, spread = 0.05): LoadFigures {
  return {
    offered: 400,
    errorRate: 0.01 * scale,
    errorRateCi95: [0.008 * scale, 0.012 * scale],
    latencyMs: latency(scale, spread),
    pooledLatencyMs: pooled(scale),
    throughputPerS: 400 - scale,
    throughputPerSCi95: [399 - scale, 401 - scale],
  };
}

export function fixtureService(utilization: number): ServiceFigures {
  return {
    utilization,
    utilizationCi95: [utilization - 0.02, utilization + 0.02],
    latencyMs: latency(0.5, 0.05),
    pooledLatencyMs: pooled(0.5),
  };
}

function threshold(p99: number, verdict: ThresholdFigure["verdict"]): ThresholdFigure {
  return {
    metric: "latency",
    expression: "p(99)<300ms",
    limit: 300,
    value: p99,
    valueCi95: [p99 * 0.95, p99 * 1.05],
    verdict,
  };
}

export function fixtureComparison(): Comparison {
  const variant = (name: string, scale: number) => ({
    name,
    set: scale === 1 ? {} : { "mesh.defaults.loadBalancer.policy": "round-robin" },
    loads: [{ load: "shoppers", ...fixtureLoad(scale) }],
    maxImbalance: 1.2 * scale,
    maxImbalanceCi95: [1.1 * scale, 1.3 * scale] as [number, number],
    cacheHitRatio: null,
    services: { payment: fixtureService(0.5 * Math.min(scale, 1.8)) },
    thresholds: [threshold(250 * scale, scale === 1 ? ("pass" as const) : ("fail" as const))],
    precision: null,
    diff:
      scale === 1
        ? null
        : {
            baseline: "least-request",
            seeds: 3,
            loads: [
              {
                load: "shoppers",
                errorRate: 0.01 * (scale - 1),
                errorRateCi95: [0.009 * (scale - 1), 0.011 * (scale - 1)] as [number, number],
                errorRateVerdict: "worse" as const,
                latencyMs: {
                  mean: 60 * (scale - 1),
                  meanCi95: [55 * (scale - 1), 65 * (scale - 1)] as [number, number],
                  meanVerdict: "worse" as const,
                  p50: 0.5,
                  p50Ci95: [-1, 2] as [number, number],
                  p50Verdict: "no significant difference" as const,
                  p90: 100 * (scale - 1),
                  p90Ci95: [90 * (scale - 1), 110 * (scale - 1)] as [number, number],
                  p90Verdict: "worse" as const,
                  p99: 250 * (scale - 1),
                  p99Ci95: [240 * (scale - 1), 260 * (scale - 1)] as [number, number],
                  p99Verdict: "worse" as const,
                  p999: 400 * (scale - 1),
                  p999Ci95: [380 * (scale - 1), 420 * (scale - 1)] as [number, number],
                  p999Verdict: "worse" as const,
                },
                throughputPerS: -1,
                throughputPerSCi95: [-2, 0.5] as [number, number],
                throughputPerSVerdict: "no significant difference" as const,
              },
            ],
            services: {
              payment: { utilization: 0.1, utilizationCi95: [0.05, 0.15] as [number, number] },
            },
          },
    results: [fixtureResult()],
  });
  return {
    scenario: "fixture",
    seeds: [7, 8, 9],
    baseline: "least-request",
    variants: [variant("least-request", 1), variant("round-robin", 1.5)],
  };
}

function point(set: Record<string, unknown>, scale: number): SweepPoint {
  const p99 = 250 * scale;
  return {
    set,
    seeds: 5,
    precision: null,
    loads: { shoppers: fixtureLoad(scale, 0.05 * scale) },
    services: { payment: fixtureService(Math.min(0.95, 0.3 * scale)), order: fixtureService(0.4) },
    thresholds: [
      threshold(p99, p99 * 1.05 < 300 ? "pass" : p99 * 0.95 > 300 ? "fail" : "undecided"),
    ],
  };
}

/** payment instances 2..8, latency falling as instances rise. */
export function fixtureSweep1d(): Sweep {
  const values = [2, 3, 4, 5, 6, 7, 8];
  return {
    scenario: "fixture",
    vary: [{ path: "services.payment.instances", values }],
    zip: false,
    firstSeed: 7,
    points: values.map((n) => point({ "services.payment.instances": n }, 8 / (n + 1))),
  };
}

/** payment instances × the load balancer policy. */
export function fixtureSweep2d(): Sweep {
  const instances = [2, 4, 8];
  const policies = ["round-robin", "least-request"];
  return {
    scenario: "fixture",
    vary: [
      { path: "services.payment.instances", values: instances },
      { path: "mesh.defaults.loadBalancer.policy", values: policies },
    ],
    zip: false,
    firstSeed: 7,
    points: instances.flatMap((n) =>
      policies.map((policy, i) =>
        point(
          { "services.payment.instances": n, "mesh.defaults.loadBalancer.policy": policy },
          (6 - i) / (n + 1),
        ),
      ),
    ),
  };
}
