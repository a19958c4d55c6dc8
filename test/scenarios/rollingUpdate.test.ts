// scenarios/rolling-update.yaml through `meshsim compare`'s code path: a rolling update of payment
// behind Eureka. Without a preStop hook, each deleted pod refuses connections while the gateways'
// views still hold it (up to 30 + 30 + 35 = 95 s after its lease is cancelled), so charges fail with
// 503 in that window and never outside it; a preStop sleep longer than that budget removes them.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compare } from "../../src/experiment/compare.ts";
import type { RunResult } from "../../src/result/run.ts";

const file = fileURLToPath(new URL("../../scenarios/rolling-update.yaml", import.meta.url));
const { variants } = await compare(file, { workers: "inline" });
const run = (name: string): RunResult => variants.find((v) => v.name === name)!.results[0];

const ROLLOUT_MS = 120_000;
const PROPAGATION_BUDGET_MS = 30_000 + 30_000 + 35_000;

function failed503(result: RunResult): { timesMs: number[]; counts: number[] } {
  const series = result.metrics.series.find(
    (s) => s.name === "meshsim_load_failed_total" && s.labels.status === "503",
  );
  return {
    timesMs: result.metrics.timesMs,
    counts: (series?.values ?? result.metrics.timesMs.map(() => 0)).map((v) => v ?? 0),
  };
}

describe("rolling-update.yaml", () => {
  it("replaces all four payment pods by v2, one surge pod at a time", () => {
    for (const v of variants) {
      const result = v.results[0];
      const [rollout] = result.recovery!.rollouts;
      expect(rollout).toMatchObject({
        name: "payment-v2",
        service: "payment",
        toVersion: "v2",
        startedAtMs: ROLLOUT_MS,
      });
      expect(rollout.finishedAtMs).not.toBeNull();
      for (const p of result.recovery!.pods.payment)
        expect(p.starting + p.ready).toBeLessThanOrEqual(5);
    }
  });

  it("naive: charges fail (503) only while some gateway still holds a deleted pod", () => {
    const result = run("naive");
    expect(result.load.shoppers.failures).toEqual({ "503": result.load.shoppers.failed });
    expect(result.load.shoppers.failed / result.load.shoppers.offered).toBeGreaterThan(0.01);
    const { timesMs, counts } = failed503(result);
    const lastDeletion = Math.max(
      ...result.stateChanges
        .filter((c) => c.component.startsWith("pod payment-") && c.to === "draining")
        .map((c) => c.atMs),
    );
    const at = (t: number): number => counts[timesMs.findIndex((x) => x >= t)];
    expect(at(ROLLOUT_MS)).toBe(0);
    // Every failure falls before the last deletion plus the propagation budget (and a scrape).
    expect(counts[counts.length - 1]).toBe(at(lastDeletion + PROPAGATION_BUDGET_MS + 15_000));
  });

  it("drained: a preStop sleep longer than the budget leaves no failed charge", () => {
    expect(run("drained").load.shoppers.failed).toBe(0);
    expect(run("drained-retries").load.shoppers.failed).toBe(0);
  });
});
