// The `changes:` list in the loader (src/scenario/schema/changes.ts,
// src/scenario/resolve/configPushes.ts): config pushes get their defaults, versions in time order,
// and each version's traffic policies; every mistake is reported at file:line with the path, naming
// the push and what was expected.
import { describe, expect, it } from "vitest";
import type { ConfigPushSpec } from "../../src/control/spec.ts";
import { parseOverridePath, parseScenario } from "../../src/scenario/loader.ts";
import { problemOf, problemsOf } from "../helpers/problems.ts";

const BASE = `version: 1
name: t
duration: 10m
services:
  order:
    operations:
      create:
        serviceTime: exp(5ms)
        calls:
          - call: payment.charge
  payment:
    versions:
      v1: { instances: 3 }
      v2: { instances: 1 }
    operations:
      charge:
        serviceTime: exp(20ms)
mesh:
  services:
    payment:
      subsets:
        - { name: stable, labels: { version: v1 } }
        - { name: canary, labels: { version: v2 } }
      routes:
        - route:
            - { subset: stable, weight: 90 }
            - { subset: canary, weight: 10 }
load:
  - name: shoppers
    executor: constant-arrival-rate
    rate: 10
    target: order.create
`;

function pushesOf(text: string): ConfigPushSpec[] {
  return parseScenario(text, "s.yaml").changes.filter(
    (c): c is ConfigPushSpec => c.kind === "config-push",
  );
}

/** 1-based line of the first `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`${JSON.stringify(needle)} is not in the text`);
  return text.slice(0, index).split("\n").length;
}

describe("config pushes", () => {
  it("fill in Istio's debounce, the default delay, one 100% stage and a name from the index", () => {
    const [push] = pushesOf(`${BASE}changes:
  - kind: config-push
    at: 2m
    set: { mesh.services.payment.loadBalancer.policy: round-robin }
`);
    expect(push).toMatchObject({
      kind: "config-push",
      name: "config-push-0",
      atMs: 120_000,
      version: 2,
      debounceMs: 100,
    });
    expect(push.delay.toString()).toBe("exp(300ms)");
    expect(push.rollout).toEqual([{ percent: 100, afterMs: 0 }]);
    expect(push.set).toEqual([
      {
        key: "mesh.services.payment.loadBalancer.policy",
        path: ["mesh", "services", "payment", "loadBalancer", "policy"],
        value: "round-robin",
      },
    ]);
    expect(push.trafficPolicies[1].loadBalancer).toEqual({
      policy: "round-robin",
      slowStart: null,
    });
    // Order's policy is untouched: the default, least-request.
    expect(push.trafficPolicies[0].loadBalancer.policy).toBe("least-request");
  });

  it("are numbered in time order, ties in file order, and each version includes the earlier pushes", () => {
    const pushes = pushesOf(`${BASE}changes:
  - { kind: config-push, name: late, at: 5m, set: { mesh.services.payment.timeout: 3s } }
  - { kind: config-push, name: early, at: 1m, set: { "mesh.services.payment.routes[0].route[1].weight": 50, "mesh.services.payment.routes[0].route[0].weight": 50 } }
  - { kind: config-push, name: tie, at: 5m, set: { mesh.defaults.connectTimeout: 1s } }
`);
    expect(pushes.map((p) => [p.name, p.version])).toEqual([
      ["early", 2],
      ["late", 3],
      ["tie", 4],
    ]);
    const weights = (p: ConfigPushSpec) =>
      p.trafficPolicies[1].routes[0].destinations.map((d) => d.weight);
    expect(weights(pushes[0])).toEqual([50, 50]);
    expect(weights(pushes[1])).toEqual([50, 50]);
    expect(pushes[0].trafficPolicies[1].resilience.timeoutMs).toBeNull();
    expect(pushes[1].trafficPolicies[1].resilience.timeoutMs).toBe(3000);
    expect(pushes[2].trafficPolicies[1].resilience.timeoutMs).toBe(3000);
    expect(pushes[2].trafficPolicies[0].resilience.connectTimeoutMs).toBe(1000);
  });

  it("apply on top of a compare variant's values", () => {
    const text = `${BASE}changes:
  - { kind: config-push, at: 1m, set: { mesh.services.payment.timeout: 3s } }
`;
    const variant = {
      path: parseOverridePath("mesh.services.payment.loadBalancer")!,
      value: { policy: "random" },
      origin: "variant r",
    };
    const [push] = parseScenario(text, "s.yaml", [variant]).changes as ConfigPushSpec[];
    expect(push.trafficPolicies[1].loadBalancer).toEqual({ policy: "random" });
    expect(push.trafficPolicies[1].resilience.timeoutMs).toBe(3000);
  });

  it("parse stages, `after` counting from the previous stage", () => {
    const [push] = pushesOf(`${BASE}changes:
  - kind: config-push
    at: 1m
    set: { mesh.services.payment.timeout: 3s }
    propagation: { debounce: 0, delay: 'uniform(0ms, 2s)' }
    rollout:
      - { percent: 10 }
      - { percent: 50, after: 30s }
      - { percent: 100, after: 1m }
`);
    expect(push.debounceMs).toBe(0);
    expect(push.delay.toString()).toBe("uniform(0ms, 2s)");
    expect(push.rollout).toEqual([
      { percent: 10, afterMs: 0 },
      { percent: 50, afterMs: 30_000 },
      { percent: 100, afterMs: 60_000 },
    ]);
  });
});

describe("mistakes in changes", () => {
  it("a path outside the mesh settings says what may be pushed", () => {
    const text = `${BASE}changes:
  - kind: config-push
    at: 1m
    set:
      services.payment.instances: 5
`;
    const problem = problemOf(text);
    expect(problem.path).toBe('changes[0].set["services.payment.instances"]');
    expect(problem.line).toBe(lineOf(text, "services.payment.instances"));
    expect(problem.message).toMatch(
      /only mesh settings can be pushed: expected a path under mesh\.defaults or mesh\.services\.<service>/,
    );
  });

  it("an unknown field on the path names the push, its version and the allowed fields", () => {
    const text = `${BASE}changes:
  - kind: config-push
    name: tighten
    at: 1m
    set:
      mesh.services.payment.circuitBreakr.failureRateThreshold: 20
`;
    const problem = problemOf(text);
    expect(problem.path).toBe(
      'changes[0].set["mesh.services.payment.circuitBreakr.failureRateThreshold"]',
    );
    expect(problem.line).toBe(lineOf(text, "mesh.services.payment.circuitBreakr"));
    expect(problem.message).toMatch(
      /^in config-push tighten \(version 2\): mesh\.services\.payment\.circuitBreakr: `circuitBreakr` is not a field of a traffic policy; expected one of: .*circuitBreaker/,
    );
  });

  it("a value of the wrong type is reported at that value, with what was expected", () => {
    const text = `${BASE}changes:
  - kind: config-push
    name: tighten
    at: 1m
    set:
      mesh.services.payment.circuitBreaker.failureRateThreshold: lots
`;
    const problem = problemOf(text);
    expect(problem.path).toBe(
      'changes[0].set["mesh.services.payment.circuitBreaker.failureRateThreshold"]',
    );
    expect([problem.line, problem.column]).toEqual([
      lineOf(text, "lots"),
      text.split("\n")[lineOf(text, "lots") - 1].indexOf("lots") + 1,
    ]);
    expect(problem.message).toMatch(
      /in config-push tighten \(version 2\): mesh\.services\.payment\.circuitBreaker\.failureRateThreshold: expected .*percent.*, found string "lots"/,
    );
  });

  it("a push that breaks a setting elsewhere is blamed on the push (a route's subset removed)", () => {
    const text = `${BASE}changes:
  - kind: config-push
    name: drop-subsets
    at: 1m
    set: { mesh.services.payment.subsets: [] }
`;
    const problems = problemsOf(text);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.path).toBe('changes[0].set["mesh.services.payment.subsets"]');
      expect(p.message).toMatch(
        /^in config-push drop-subsets \(version 2\): mesh\.services\.payment\.routes\[0\]\.route\[\d\]\.subset: no subset/,
      );
    }
  });

  it("reports a problem once, at the push that introduced it, not again at later versions", () => {
    const text = `${BASE}changes:
  - { kind: config-push, name: bad, at: 1m, set: { mesh.services.payment.timeout: soon } }
  - { kind: config-push, name: fine, at: 2m, set: { mesh.services.payment.connectTimeout: 1s } }
`;
    const problem = problemOf(text);
    expect(problem.message).toMatch(/^in config-push bad \(version 2\)/);
  });

  it("a negative delay or debounce is not a duration", () => {
    const text = `${BASE}changes:
  - kind: config-push
    at: 1m
    set: { mesh.services.payment.timeout: 3s }
    propagation:
      debounce: -100ms
      delay: -5ms
`;
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ["changes[0].propagation.debounce", lineOf(text, "debounce:")],
      ["changes[0].propagation.delay", lineOf(text, "delay: -5ms")],
    ]);
    for (const p of problems) expect(p.message).toMatch(/cannot be negative/);
  });

  it("stages must grow and end at 100%, the push must fall inside the run, names must be unique", () => {
    const text = `${BASE}changes:
  - kind: config-push
    name: p
    at: 11m
    set: { mesh.services.payment.timeout: 3s }
    rollout: [{ percent: 50 }, { percent: 20 }]
  - { kind: config-push, name: p, at: 1m, set: { mesh.services.payment.timeout: 2s } }
`;
    const messages = problemsOf(text).map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual([
      "changes[0].at: must be before the end of the run (duration 10m), found 11m",
      "changes[0].rollout[1].percent: stages cover more proxies each time: expected more than the previous stage's 50%, found 20%",
      "changes[0].rollout[1].percent: the last stage must reach every proxy: expected 100, found 20",
      'changes[1].name: change name "p" is already used by changes[0]',
    ]);
  });

  it("an unknown kind, an empty set and a stage over 100% say what was expected", () => {
    const text = `${BASE}changes:
  - { kind: config-pull, at: 1m }
  - { kind: config-push, at: 1m, set: {} }
  - { kind: config-push, at: 1m, set: { mesh.defaults.timeout: 1s }, rollout: [{ percent: 150 }] }
`;
    const messages = problemsOf(text).map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual([
      'changes[0].kind: expected a change kind, one of config-push, rollout, found string "config-pull"',
      "changes[1].set: needs at least one path to set",
      "changes[2].rollout[0].percent: expected a percent of proxies greater than 0, up to 100, found number 150",
    ]);
  });
});
