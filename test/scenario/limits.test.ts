// Limits the real systems put on their knobs, checked by the schema with a path and line, where
// they used to surface only as an internal error (exit 1) when the world was built: Envoy's ring
// and Maglev sizes, resilience4j's whole-millisecond waits, Envoy's integer outlier percents and
// the HPA's stabilization window. Each case also shows the value next to the limit is accepted.
import { describe, expect, test } from "vitest";
import { buildWorld } from "../../src/scenario/build.ts";
import { ScenarioError } from "../../src/scenario/errors.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

const scenario = (mesh: string, service = "") => `version: 1
name: limits
duration: 1s
mesh:
  defaults:
    ${mesh}
services:
  a:
    instances: 3
    operations:
      w: { serviceTime: exp(5ms) }
${service}
load:
  - { name: l, executor: constant-arrival-rate, target: a.w, rate: 10, keys: { name: k, count: 10 } }
`;

function problems(text: string): string[] {
  try {
    buildWorld(parseScenario(text, "limits.yaml"));
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

const lb = (fields: string) => `loadBalancer: { hashKey: k, ${fields} }`;
const hpa = (rules: string) =>
  `    autoscaling: { minReplicas: 3, maxReplicas: 5, scaleDown: { ${rules} } }`;

describe("limits of the real systems' knobs", () => {
  test.each([
    [
      lb("policy: ring-hash, minimumRingSize: 2000, maximumRingSize: 1000"),
      "mesh.defaults.loadBalancer.minimumRingSize: must be ≤ maximumRingSize (1000), found 2000",
    ],
    [
      lb("policy: ring-hash, maximumRingSize: 8388609"),
      "mesh.defaults.loadBalancer.maximumRingSize: must be at most 8388608 (Envoy's limit), found 8388609",
    ],
    [
      lb("policy: maglev, tableSize: 5000077"),
      "mesh.defaults.loadBalancer.tableSize: must be at most 5000011 (Envoy's limit), found 5000077",
    ],
    [
      "circuitBreaker: { waitDurationInOpenState: 500us }",
      "mesh.defaults.circuitBreaker.waitDurationInOpenState: must be at least 1ms (resilience4j's minimum)",
    ],
    [
      "circuitBreaker: { maxWaitDurationInHalfOpenState: 500us }",
      "mesh.defaults.circuitBreaker.maxWaitDurationInHalfOpenState: must be 0 (wait indefinitely) or at least 1ms",
    ],
    [
      "outlierDetection: { maxEjectionPercent: 10.5 }",
      "mesh.defaults.outlierDetection.maxEjectionPercent: must be a whole percent (Envoy's field is an integer)",
    ],
  ])("%s is refused by the schema", (mesh, message) => {
    expect(problems(scenario(mesh))).toEqual([message]);
  });

  test.each([
    lb("policy: ring-hash, minimumRingSize: 1000, maximumRingSize: 1000"),
    lb("policy: ring-hash, maximumRingSize: 8388608"),
    lb("policy: maglev, tableSize: 5000011"),
    "circuitBreaker: { waitDurationInOpenState: 1ms, maxWaitDurationInHalfOpenState: 1ms }",
    "outlierDetection: { maxEjectionPercent: 11, enforcingSuccessRate: 100 }",
  ])("%s at the limit builds a world", (mesh) => {
    expect(problems(scenario(mesh))).toEqual([]);
  });

  test("an HPA stabilization window is whole milliseconds, at most an hour", () => {
    const lbOk = "loadBalancer: { policy: random }";
    expect(problems(scenario(lbOk, hpa("stabilizationWindow: 2h")))).toEqual([
      "services.a.autoscaling.scaleDown.stabilizationWindow: must be at most 1h (Kubernetes' limit on stabilizationWindowSeconds), found 2h",
    ]);
    expect(problems(scenario(lbOk, hpa("stabilizationWindow: 1500us")))).toEqual([
      "services.a.autoscaling.scaleDown.stabilizationWindow: must be a whole number of milliseconds",
    ]);
    expect(problems(scenario(lbOk, hpa("stabilizationWindow: 1h")))).toEqual([]);
  });
});
