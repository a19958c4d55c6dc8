// scenarios/flash-sale-autoscale.yaml: a 10x spike with payment under a Kubernetes HPA and 30 s
// cold starts. The HPA must scale payment up at its first sync after the saturation, every new pod
// must take exactly the startup time before it is ready, the failures must fall in the window
// before the new pods are up, and the scale-down must wait out the 300 s stabilization window.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { loadScenarioFile } from "../../src/scenario/loader.ts";

const FILE = fileURLToPath(new URL("../../scenarios/flash-sale-autoscale.yaml", import.meta.url));
const SALE_STARTS = 180_000;
const SALE_ENDS = 190_000 + 240_000;

describe("flash-sale-autoscale.yaml", () => {
  const scenario = loadScenarioFile(FILE);
  const result = runScenario(scenario);
  const recovery = result.recovery!;
  const pods = recovery.pods.payment;
  const decisions = recovery.autoscaling.payment;

  it("scales payment up during the sale, from the first sync that sees it", () => {
    expect(pods[0]).toEqual({ atMs: 0, starting: 0, ready: 2, draining: 0 });
    const firstUp = decisions.find((d) => d.desired > d.currentReplicas)!;
    expect(firstUp.atMs).toBeGreaterThan(SALE_STARTS);
    expect(firstUp.atMs).toBeLessThanOrEqual(SALE_STARTS + 30_000);
    // 1000/s × ~48 ms mean service time over 16 slots is 3 busy pods' worth: 5 pods at 60%.
    expect(Math.max(...pods.map((p) => p.ready))).toBeGreaterThanOrEqual(5);
    expect(decisions.every((d) => d.desired >= 2 && d.desired <= 12)).toBe(true);
  });

  it("starts every new pod cold: ready exactly 30 s after it starts", () => {
    const changes = result.stateChanges.filter((c) => c.component.startsWith("pod payment-"));
    const started = changes.filter((c) => c.to === "starting");
    expect(started.length).toBeGreaterThanOrEqual(3);
    for (const s of started) {
      const ready = changes.find(
        (c) => c.component === s.component && c.to === "ready" && c.atMs >= s.atMs,
      )!;
      expect(ready.atMs - s.atMs).toBe(30_000);
    }
  });

  it("fails requests only while payment is short of pods, and scales down 300 s after the last high recommendation", () => {
    const unavailable = result.metrics.series.find(
      (s) => s.name === "meshsim_load_failed_total" && s.labels.status === "503",
    )!.values as number[];
    const at = (ms: number): number => unavailable[result.metrics.timesMs.indexOf(ms)];
    const allUp = Math.max(
      ...pods
        .filter((p) => p.ready >= 5)
        .slice(0, 1)
        .map((p) => p.atMs),
    );
    // None before the sale; some while the new pods start; none once they are all up.
    expect(at(SALE_STARTS)).toBe(0);
    expect(at(allUp + 15_000 - (allUp % 15_000))).toBeGreaterThan(0);
    expect(unavailable[unavailable.length - 1]).toBe(at(allUp + 15_000 - (allUp % 15_000)));
    expect(result.load.shoppers.failed).toBeGreaterThan(0);
    const lastHigh = Math.max(
      ...decisions.filter((d) => (d.recommended ?? 0) > 2).map((d) => d.atMs),
    );
    const firstDown = decisions.find((d) => d.desired < d.currentReplicas)!;
    expect(firstDown.atMs).toBeGreaterThanOrEqual(lastHigh + 300_000 - 15_000);
    expect(firstDown.atMs).toBeGreaterThan(SALE_ENDS);
  });
});
