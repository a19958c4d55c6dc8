import { describe, expect, it } from "vitest";
import type { FaultSpec } from "../../../src/faults/spec.ts";
import { exponential } from "../../../src/kernel/distributions.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import type { LifecycleSpec } from "../../../src/scenario/types.ts";
import { poissonLoad, scenario, station } from "../../helpers/scenarios.ts";

const kill = (atMs: number): FaultSpec => ({
  name: `kill-${atMs}`,
  kind: "pod-kill",
  atMs,
  target: { kind: "instances", service: "server", selection: { mode: "all" } },
  restartAfterMs: null,
});

function podChanges(lifecycle: LifecycleSpec, kills: number[]) {
  const s = scenario({
    services: [station({ serviceTime: exponential(10), instances: 2, lifecycle })],
    load: [poissonLoad(50)],
    durationMs: 200_000,
    faults: kills.map(kill),
  });
  const world = buildWorld(s);
  world.scheduler.run(s.durationMs);
  return world.stats.stateChanges.filter((c) => c.component === "pod server-0");
}

const base: LifecycleSpec = {
  startupTimeMs: 5_000,
  preStopDelayMs: 0,
  terminationGracePeriodMs: 30_000,
  restartPolicy: "Always",
};

describe("the kubelet's restarts (CrashLoopBackOff)", () => {
  it("restarts a killed container at once the first time, then after 10 s, 20 s, each followed by the startup time", () => {
    const changes = podChanges(base, [10_000, 40_000, 70_000]);
    expect(changes.map((c) => [c.atMs, c.to])).toEqual([
      [10_000, "stopped"],
      [10_000, "starting"],
      [15_000, "ready"],
      [40_000, "stopped"],
      [50_000, "starting"],
      [55_000, "ready"],
      [70_000, "stopped"],
      [90_000, "starting"],
      [95_000, "ready"],
    ]);
  });

  it("leaves a dead container down with restartPolicy Never", () => {
    const changes = podChanges({ ...base, restartPolicy: "Never" }, [10_000]);
    expect(changes.map((c) => [c.atMs, c.to])).toEqual([[10_000, "stopped"]]);
  });
});
