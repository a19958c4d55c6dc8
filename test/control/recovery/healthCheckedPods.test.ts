// Active health checks with pods that come and go and no registry model: each proxy's hosts are
// the ready pods (instant discovery, as without health checks), and its checks run over those.
import { describe, expect, it } from "vitest";
import type { Call } from "../../../src/model/call.ts";
import type { Instance } from "../../../src/model/instance.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import { parseScenario } from "../../../src/scenario/loader.ts";

const yaml = (healthCheck: string) => `version: 1
name: checked-pods
seed: 5
duration: 3m
services:
  back:
    instances: 2
    concurrency: 16
    lifecycle: { startupTime: 20s }
    autoscaling: { minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 50 }
    operations:
      read: { serviceTime: exp(20ms) }
mesh:
  defaults:
    retries: { attempts: 0 }
${healthCheck}
load:
  - name: shoppers
    executor: ramping-arrival-rate
    startRate: 200
    stages:
      - { duration: 30s, target: 200 }
      - { duration: 10s, target: 1200 }
      - { duration: 2m20s, target: 1200 }
    target: back.read
    clients: 3
faults:
  - name: kill-one
    kind: pod-kill
    at: 100s
    target: { service: back, mode: one }
`;

function tries(text: string) {
  const scenario = parseScenario(text, "t.yaml");
  const world = buildWorld(scenario);
  const sent: { atMs: number; phase: string }[] = [];
  const original = world.stats.callSent.bind(world.stats);
  world.stats.callSent = (source, attempt: Call, instance: Instance) => {
    sent.push({ atMs: world.scheduler.now, phase: instance.phase });
    original(source, attempt, instance);
  };
  world.scheduler.run(scenario.durationMs, scenario.maxEvents);
  return { sent, instances: world.services[0].instances.length };
}

const CHECKS =
  "    healthCheck: { interval: 5s, timeout: 1s, unhealthyThreshold: 2, healthyThreshold: 1 }";
const notServing = (s: { phase: string }) => s.phase !== "ready" && s.phase !== "draining";

describe("active health checks over pods that come and go, without a registry", () => {
  it("without health checks, never sends a try to a pod that is starting or stopped", () => {
    const { sent, instances } = tries(yaml(""));
    expect(instances).toBeGreaterThan(2); // standby slots for the autoscaler
    expect(sent.length).toBeGreaterThan(100_000);
    expect(sent.filter(notServing)).toEqual([]);
  });

  it("with them, keeps a killed pod only until its checks fail, as Envoy keeps a host discovery dropped while it passes", () => {
    const { sent } = tries(yaml(CHECKS));
    expect(sent.length).toBeGreaterThan(100_000);
    const wrong = sent.filter(notServing);
    // Killed at 100 s (restarted at once, so "starting"): two failed checks 5 s apart, each
    // failing within its 1 s timeout, take it out by 100 + 5 + 5 + 1 = 111 s at the latest.
    expect(wrong.length).toBeGreaterThan(0);
    for (const s of wrong) {
      expect(s.atMs).toBeGreaterThanOrEqual(100_000);
      expect(s.atMs).toBeLessThanOrEqual(111_000);
    }
    // Standby slots and cold-starting new pods never get a try (before ready pods were followed, 148,150 did).
    expect(wrong.length).toBeLessThan(10_000);
  });
});
