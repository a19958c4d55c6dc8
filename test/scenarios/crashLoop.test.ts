// scenarios/crash-loop.yaml: a single inventory pod that crashes 20 s after each start. The kubelet's
// restarts must follow Kubernetes exactly: kuberuntime's doBackOff asks client-go's
// flowcontrol.Backoff IsInBackOffSince(key, FinishedAt) (no entry: restart at once; else wait the
// entry's back-off from the crash), then Next(key, FinishedAt) creates the entry at 10 s or doubles it
// up to MaxContainerBackOff (300 s), and hasExpired (crash - last restart > 2 × 300 s) starts it again.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { loadScenarioFile } from "../../src/scenario/loader.ts";

const FILE = fileURLToPath(new URL("../../scenarios/crash-loop.yaml", import.meta.url));

describe("crash-loop.yaml", () => {
  const result = runScenario(loadScenarioFile(FILE));
  const changes = result.stateChanges.filter((c) => c.component === "pod inventory-0");
  const crashes = changes.filter((c) => c.to === "stopped").map((c) => c.atMs);
  const restarts = changes.filter((c) => c.to === "starting").map((c) => c.atMs);

  it("restarts at once, then after 10, 20, 40, 80, 160 s and the 300 s cap, and at once again after 10 quiet minutes", () => {
    expect(crashes).toHaveLength(10);
    expect(restarts).toHaveLength(10);
    const waitsS = crashes.map((crash, i) => (restarts[i] - crash) / 1000);
    expect(waitsS).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 0, 10]);
  });

  it("has the pod accept calls 3 s (its startupTime) after each restart", () => {
    const ready = changes.filter((c) => c.to === "ready").map((c) => c.atMs);
    expect(ready.map((at, i) => at - restarts[i])).toEqual(Array(10).fill(3_000));
  });

  it("fails the checkouts only while the pod is down or starting: the back-offs' sum plus 3 s per restart", () => {
    // Down: the waits (0+10+20+40+80+160+300+300+0+10 = 920 s) plus 10 startups of 3 s = 950 s,
    // at 20 checkouts/s about 19,000 failures; Poisson spread over 950 s is ±1% (2 sd ≈ 280).
    expect(result.load.shoppers.failed).toBeGreaterThan(18_500);
    expect(result.load.shoppers.failed).toBeLessThan(19_500);
  });
});
