import { describe, expect, it } from "vitest";
import { exponential } from "../../../src/kernel/distributions.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import type { Scenario } from "../../../src/scenario/types.ts";
import { poissonLoad, scenario, station } from "../../helpers/scenarios.ts";

function rollingUpdate(
  maxSurge: number | `${number}%`,
  maxUnavailable: number | `${number}%`,
): Scenario {
  const s = scenario({
    services: [
      station({
        serviceTime: exponential(10),
        concurrency: 4,
        instances: 4,
        versions: [
          { name: "v1", instances: 4, labels: { version: "v1" }, weight: 1, serviceTimeFactor: 1 },
          { name: "v2", instances: 0, labels: { version: "v2" }, weight: 1, serviceTimeFactor: 1 },
        ],
        lifecycle: {
          startupTimeMs: 10_000,
          preStopDelayMs: 0,
          terminationGracePeriodMs: 30_000,
          restartPolicy: "Always",
        },
      }),
    ],
    load: [poissonLoad(200)],
    durationMs: 300_000,
  });
  s.changes = [
    {
      kind: "rollout",
      name: "to-v2",
      atMs: 60_000,
      service: "server",
      toVersion: "v2",
      strategy: { maxSurge, maxUnavailable },
    },
  ];
  return s;
}

function run(s: Scenario) {
  const world = buildWorld(s);
  world.scheduler.run(s.durationMs);
  return world;
}

describe("a rolling update in the simulation", () => {
  it("replaces every pod within maxSurge and maxUnavailable, and with instant discovery no request fails", () => {
    const world = run(rollingUpdate(1, 1));
    const recovery = world.recovery!;
    const record = recovery.rollouts[0].record;
    expect(record.finishedAtMs).not.toBeNull();
    const counts = recovery.workloads[0].counts;
    for (const c of counts.filter((c) => c.atMs >= 60_000)) {
      expect(c.starting + c.ready).toBeLessThanOrEqual(4 + 1);
      expect(c.ready).toBeGreaterThanOrEqual(4 - 1);
    }
    const server = world.services[0];
    const live = server.instances.filter((i) => i.phase === "ready");
    expect(live.map((i) => i.version.name)).toEqual(["v2", "v2", "v2", "v2"]);
    expect(world.stats.loads[0].failed).toBe(0);
    // Two pods are replaced per round (one surge, one unavailable), each round one startup time long.
    expect(record.finishedAtMs! - 60_000).toBe(20_000);
  });

  it("with maxUnavailable 0 keeps every old pod until its replacement is ready", () => {
    const world = run(rollingUpdate(1, 0));
    const counts = world.recovery!.workloads[0].counts.filter((c) => c.atMs >= 60_000);
    for (const c of counts) expect(c.ready).toBeGreaterThanOrEqual(4);
    expect(world.recovery!.rollouts[0].record.finishedAtMs! - 60_000).toBe(40_000);
  });
});
