// Kubernetes + Istio: the kubelet's probe counting, istiod's debounce (quiet period and maximum
// delay), and a terminating pod leaving the endpoints at once.
import { describe, expect, test } from "vitest";
import { Debouncer } from "../../../src/control/registry/debounce.ts";
import { ProbeRun } from "../../../src/control/registry/kubernetes.ts";
import { Scheduler } from "../../../src/kernel/scheduler.ts";
import { summarise } from "../../../src/run/result.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import { KUBERNETES_DEFAULTS } from "../../../src/scenario/defaults.ts";
import { discoveryScenario, proxyStaleness } from "./discoveryWorld.ts";

describe("the kubelet's readiness counting", () => {
  test("a ready pod turns NotReady on the 3rd failure in a row; a pass in between starts over", () => {
    const run = new ProbeRun(1, 3, true);
    expect([false, false, true, false, false, false].map((r) => run.result(r))).toEqual([
      null,
      null,
      true,
      null,
      null,
      false,
    ]);
  });

  test("a new container starts NotReady and turns Ready after successThreshold passes", () => {
    const run = new ProbeRun(2, 3, false);
    expect([true, false, true, true].map((r) => run.result(r))).toEqual([null, null, null, true]);
    expect(new ProbeRun(1, 3, false).result(true)).toBe(true);
  });
});

describe("istiod's debounce", () => {
  function pushesOf(
    eventTimes: number[],
    afterMs: number,
    maxMs: number,
    untilMs: number,
  ): number[] {
    const scheduler = new Scheduler();
    const pushes: number[] = [];
    const debouncer = new Debouncer(scheduler, afterMs, maxMs, () => pushes.push(scheduler.now));
    for (const t of eventTimes) scheduler.post(t, () => debouncer.event());
    scheduler.run(untilMs);
    return pushes;
  }

  test("a lone change is pushed debounceAfter (100 ms) later", () => {
    expect(pushesOf([1_000], 100, 10_000, 5_000)).toEqual([1_100]);
  });

  test("a burst is pushed once, debounceAfter after its last event", () => {
    expect(pushesOf([1_000, 1_050, 1_120], 100, 10_000, 5_000)).toEqual([1_220]);
  });

  test("a change every 60 ms never goes quiet, so pushes come debounceMax (10 s) after each burst began", () => {
    const events = Array.from({ length: 400 }, (_, i) => i * 60); // 0 .. 23.94 s
    const pushes = pushesOf(events, 100, 10_000, 30_000);
    expect(pushes).toHaveLength(3);
    expect(pushes[0]).toBeGreaterThanOrEqual(10_000);
    expect(pushes[0]).toBeLessThan(10_100);
    expect(pushes[1] - pushes[0]).toBeGreaterThanOrEqual(10_000);
    expect(pushes[2]).toBe(23_940 + 100); // the last burst goes quiet
  });
});

describe("Kubernetes in a run", () => {
  test("a terminating pod leaves the endpoints at once: every view drops it within the debounce and the push", () => {
    const budget = KUBERNETES_DEFAULTS.debounceAfterMs + KUBERNETES_DEFAULTS.pushDelayMs;
    const s = discoveryScenario({ registry: KUBERNETES_DEFAULTS, seed: 9, durationMs: 60_000 });
    const world = buildWorld(s);
    const leaving = world.services[0].instances[1];
    world.scheduler.post(20_000, () => leaving.beginDraining());
    world.scheduler.run(s.durationMs);
    const result = summarise(world, "duration");
    expect(
      result.stateChanges
        .filter((c) => c.component === `registry ${leaving.id}`)
        .map((c) => [c.atMs, c.to]),
    ).toEqual([[20_000, "terminating"]]);
    for (const ms of proxyStaleness(result)) {
      expect(ms).toBeGreaterThanOrEqual(KUBERNETES_DEFAULTS.debounceAfterMs);
      expect(ms).toBeLessThanOrEqual(budget);
    }
  });
});
