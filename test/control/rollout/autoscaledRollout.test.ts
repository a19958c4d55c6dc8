// A rolling update of an autoscaled service: the HPA changes the Deployment's replicas mid-rollout
// and the deployment controller spreads the change over both ReplicaSets (proportional scaling),
// then the rolling update goes on towards the new count; afterwards the HPA starts new-version pods.
import { describe, expect, it } from "vitest";
import { resolveFenceposts } from "../../../src/control/rollout/rollingUpdate.ts";
import type { Phase } from "../../../src/model/instanceLife.ts";
import { summarise } from "../../../src/run/result.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import { parseScenario } from "../../../src/scenario/loader.ts";

const YAML = `version: 1
name: autoscaled-rollout
seed: 3
duration: 6m
services:
  back:
    versions:
      v1: { instances: 4 }
      v2: { instances: 0 }
    concurrency: 8
    lifecycle: { startupTime: 30s }
    autoscaling: { minReplicas: 4, maxReplicas: 12, targetCPUUtilizationPercentage: 50 }
    operations:
      read: { serviceTime: exp(20ms) }
load:
  - name: shoppers
    executor: ramping-arrival-rate
    startRate: 500
    stages:
      - { duration: 70s, target: 500 }
      - { duration: 5s, target: 1500 }
      - { duration: 4m45s, target: 1500 }
    target: back.read
    clients: 3
changes:
  - kind: rollout
    name: back-v2
    at: 60s
    service: back
    toVersion: v2
`;

interface Change {
  atMs: number;
  version: string;
  from: Phase;
  to: Phase;
  v1: number;
  v2: number;
}

function run() {
  const scenario = parseScenario(YAML, "t.yaml");
  const world = buildWorld(scenario);
  const service = world.services[0];
  const changes: Change[] = [];
  const live = (version: string) =>
    service.instances.filter(
      (i) => i.version.name === version && (i.phase === "starting" || i.phase === "ready"),
    ).length;
  for (const instance of service.instances) {
    instance.addLifecycleListener({
      phaseChanged: (subject, from, to) => {
        changes.push({
          atMs: world.scheduler.now,
          version: instance.version.name,
          from,
          to,
          v1: live("v1"),
          v2: live("v2"),
        });
        void subject;
      },
      reachabilityChanged: () => {},
    });
  }
  world.scheduler.run(scenario.durationMs, scenario.maxEvents);
  return { result: summarise(world, "duration"), changes, end: { v1: live("v1"), v2: live("v2") } };
}

describe("an autoscaled service rolled out (Kubernetes proportional scaling)", () => {
  const { result, changes, end } = run();
  const [rollout] = result.recovery!.rollouts;
  const decisions = result.recovery!.autoscaling.back;
  const strategy = { maxSurge: "25%", maxUnavailable: "25%" } as const;

  it("scales up during the rollout, and the old ReplicaSet takes its share of the new pods", () => {
    const during = decisions.filter(
      (d) =>
        d.atMs > rollout.startedAtMs &&
        d.atMs < (rollout.finishedAtMs ?? Infinity) &&
        d.desired > d.currentReplicas,
    );
    expect(during.length).toBeGreaterThan(0);
    const oldStarts = changes.filter(
      (c) => c.version === "v1" && c.to === "starting" && c.atMs > rollout.startedAtMs,
    );
    expect(oldStarts.length).toBeGreaterThan(0);
  });

  it("never runs more pods than the Deployment's replicas + maxSurge at that moment", () => {
    for (const c of changes) {
      const last = decisions.filter((d) => d.atMs <= c.atMs).at(-1);
      const replicas = last === undefined ? 4 : last.desired;
      expect(c.v1 + c.v2).toBeLessThanOrEqual(
        replicas + resolveFenceposts(strategy, replicas).surge,
      );
    }
  });

  it("finishes with every pod on v2, as many as the HPA wants, and the HPA starts only v2 pods afterwards", () => {
    expect(rollout.finishedAtMs).not.toBeNull();
    expect(end.v1).toBe(0);
    expect(end.v2).toBe(decisions.at(-1)!.desired);
    expect(
      changes.filter(
        (c) => c.version === "v1" && c.to === "starting" && c.atMs > rollout.finishedAtMs!,
      ),
    ).toEqual([]);
  });
});
