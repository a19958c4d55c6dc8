// Utilisation is busy worker time over the worker time of the pods that were serving, integrated
// as pods come and go: a standby slot never started, or a pod still starting, offers none.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { summarise } from "../../src/run/result.ts";
import { runWithScrapes } from "../../src/run/scrapedRun.ts";
import { buildWorld } from "../../src/scenario/build.ts";
import { loadScenarioFile } from "../../src/scenario/loader.ts";

const FILE = fileURLToPath(new URL("../../scenarios/flash-sale-autoscale.yaml", import.meta.url));
/** The sale is at 1000/s from 190 s; a third payment pod is ready at 225 s, two more at 270 s. */
const FULL_RATE_MS = 190_000;
const FIVE_PODS_MS = 270_000;

describe("utilisation of an autoscaled service", () => {
  // Only the sale's first 80 s are measured: warm-up up to the full rate, the run ends at 270 s.
  const scenario = {
    ...loadScenarioFile(FILE),
    warmupMs: FULL_RATE_MS,
    durationMs: FIVE_PODS_MS,
  };
  const world = buildWorld(scenario);
  runWithScrapes(world.monitor, scenario.durationMs, (t) =>
    world.scheduler.run(t, scenario.maxEvents),
  );
  const result = summarise(world, "duration");
  const payment = result.services.payment;
  const pods = world.services.find((s) => s.name === "payment")!.instances;
  const now = world.scheduler.now;

  it("is near 1 for payment in the sale's first minutes, when 1000/s × 48 ms needs 48 busy slots of 32 to 48", () => {
    expect(payment.utilization).toBeGreaterThan(0.95);
    expect(payment.utilization).toBeLessThanOrEqual(1);
  });

  it("equals the model's busy time over the serving pods' worker time", () => {
    const busy = pods.reduce((sum, p) => sum + p.busyTime(now), 0);
    const serving = pods.reduce((sum, p) => sum + p.servingTime(now), 0);
    expect(payment.utilization).toBeCloseTo(busy / (16 * serving), 5);
  });

  it("counts as serving worker time exactly the ready and draining pods of the pods-over-time record", () => {
    // ∫ (ready + draining) dt over the measured window, from the control plane's own record.
    const steps = result.recovery!.pods.payment;
    let podMs = 0;
    steps.forEach((step, i) => {
      const from = Math.max(step.atMs, FULL_RATE_MS);
      const to = Math.min(steps[i + 1]?.atMs ?? now, now);
      if (to > from) podMs += (step.ready + step.draining) * (to - from);
    });
    const serving = pods.reduce((sum, p) => sum + p.servingTime(now), 0);
    expect(serving).toBe(podMs);
  });

  it("reports the serving pods as min, mean and max, and never-started slots as serving 0 ms", () => {
    expect(payment.pods.min).toBe(2);
    expect(payment.pods.max).toBe(3);
    // 2 pods for 35 s, then 3 for 45 s, of 80 s.
    expect(payment.pods.mean).toBeCloseTo((2 * 35 + 3 * 45) / 80, 5);
    const idle = payment.instances.filter((i) => i.servingMs === 0);
    expect(idle.length).toBe(12 - 3);
    expect(idle.every((i) => i.utilization === 0 && i.requests === 0)).toBe(true);
  });
});
