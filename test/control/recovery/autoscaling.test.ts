import { describe, expect, it } from "vitest";
import { exponential } from "../../../src/kernel/distributions.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import { KUBERNETES_HPA } from "../../../src/scenario/defaults.ts";
import type { Scenario } from "../../../src/scenario/types.ts";
import { poissonLoad, scenario, station } from "../../helpers/scenarios.ts";

/** One service of 1 instance (capacity 100/s) under 50/s, with a 350/s spike from 60 s to 180 s. */
function spiky(startupTimeMs: number): Scenario {
  const spike = {
    ...poissonLoad(300, "server", "spike"),
    startTimeMs: 60_000,
    durationMs: 120_000,
  };
  return scenario({
    services: [
      station({
        serviceTime: exponential(10),
        instances: 1,
        lifecycle: {
          startupTimeMs,
          preStopDelayMs: 0,
          terminationGracePeriodMs: 30_000,
          restartPolicy: "Always",
        },
        autoscaling: {
          minReplicas: 1,
          maxReplicas: 10,
          targetCPUUtilizationPercentage: 50,
          syncPeriodMs: 15_000,
          scaleUp: KUBERNETES_HPA.scaleUp,
          scaleDown: KUBERNETES_HPA.scaleDown,
        },
      }),
    ],
    load: [poissonLoad(50), spike],
    durationMs: 600_000,
  });
}

function run(s: Scenario) {
  const world = buildWorld(s);
  world.scheduler.run(s.durationMs);
  const recovery = world.recovery!;
  return {
    world,
    decisions: recovery.autoscalers[0].autoscaler.decisions,
    counts: recovery.workloads[0].counts,
  };
}

describe("horizontal pod autoscaling in the loop", () => {
  it("scales up under the spike, holds for the stabilization window, then scales down", () => {
    const { decisions, counts } = run(spiky(0));
    expect(decisions.length).toBe(40);
    for (const d of decisions) {
      expect(d.desired).toBeGreaterThanOrEqual(1);
      expect(d.desired).toBeLessThanOrEqual(10);
    }
    const peak = Math.max(...counts.map((c) => c.ready));
    // 350/s at 10 ms needs 3.5 busy slots; at a 50% target that is 7 pods.
    expect(peak).toBeGreaterThanOrEqual(7);
    // Before the spike: 50% utilization on one pod is within tolerance of the target.
    expect(decisions.filter((d) => d.atMs < 60_000).every((d) => d.desired === 1)).toBe(true);
    // Scale-down stabilization: a scale-down never goes below a recommendation of the last 300 s.
    const downs = decisions.filter((d) => d.desired < d.currentReplicas);
    expect(downs.length).toBeGreaterThan(0);
    for (const down of downs) {
      const window = decisions.filter(
        (d) => d.atMs > down.atMs - 300_000 && d.atMs <= down.atMs && d.recommended !== null,
      );
      expect(down.desired).toBeGreaterThanOrEqual(Math.max(...window.map((d) => d.recommended!)));
    }
    // The spike (up to 180 s) pushed the count to the maximum; it stays there for 300 s after the last high recommendation.
    expect(downs[0].atMs).toBeGreaterThanOrEqual(120_000 + 300_000);
    // Every decision is applied: the ready pods follow the desired counts (pods start at once here).
    const last = decisions[decisions.length - 1];
    expect(counts[counts.length - 1].ready).toBe(last.desired);
  });

  it("counts starting pods apart while they start, and they get no traffic", () => {
    const { world, counts } = run(spiky(20_000));
    expect(counts.some((c) => c.starting > 0)).toBe(true);
    // A pod that starts at t and is ready at t + 20 s: every pod that ever started took 20 s.
    const changes = world.stats.stateChanges.filter((c) => c.component.startsWith("pod "));
    for (const ready of changes.filter((c) => c.to === "ready")) {
      const started = changes
        .filter(
          (c) => c.component === ready.component && c.to === "starting" && c.atMs <= ready.atMs,
        )
        .at(-1)!;
      expect(ready.atMs - started.atMs).toBe(20_000);
    }
    // No request ever failed for reaching a pod that was not accepting connections.
    expect(world.stats.loads.map((l) => l.failed)).toEqual([0, 0]);
  });
});
