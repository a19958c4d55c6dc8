// Shrinking reaches the minimal schedule: with a planted bug (an invariant that breaks whenever a
// partition is on the timeline), whatever timeline a seed draws shrinks to one partition, as short
// as a fault can be, as late as the window allows, with the simplest target; and the written case
// replays the violation.
import { beforeAll, describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/loader.ts";
import { runChecked } from "../../src/testing/checkedRun.ts";
import type { Invariant } from "../../src/testing/invariant.ts";
import { fromFile } from "../../src/testing/source.ts";
import { type SwarmReport, swarm } from "../../src/testing/swarm.ts";

/** Breaks at the first event of any run whose timeline has a partition. */
const noPartitions: Invariant = {
  name: "no-partitions",
  watch: (scenario) => {
    const partitioned = scenario.faults.some((f) => f.kind === "partition");
    return { event: () => (partitioned ? { message: "a partition is on the timeline" } : null) };
  },
};

describe("swarm shrinking on a planted bug", () => {
  const source = fromFile("scenarios/fragile-checkout.yaml").with("duration", "5s");
  let report: SwarmReport;
  beforeAll(() => {
    report = swarm(source, {
      seeds: 12,
      kinds: ["pod-kill", "delay", "abort", "partition"],
      maxFaults: 4,
      invariants: [noPartitions],
      probes: [],
      determinismEvery: 0,
    });
  });

  it("finds the seeds whose kinds include partitions, and only those", () => {
    expect(report.violations.length).toBeGreaterThan(0);
    expect(report.violations.length).toBeLessThanOrEqual(report.kinds.partition);
  });

  it("shrinks each to one partition of 1 ms at the end of the window, aimed at one instance", () => {
    for (const v of report.violations) {
      expect(v.invariant).toBe("no-partitions");
      expect(v.faults).toEqual([
        {
          kind: "partition",
          at: "4999ms",
          duration: "1ms",
          target: { service: "gateway", mode: "one" },
        },
      ]);
      expect(v.loadScale).toBe(1 / 16);
    }
  });

  it("writes a case file that validates and breaks the same way when run", () => {
    const v = report.violations[0];
    const replayed = parseScenario(v.text, "case.yaml");
    expect(replayed.seed).toBe(v.seed);
    expect(replayed.faults.map((f) => f.kind)).toEqual(["partition"]);
    expect(replayed.invariants).toEqual([]); // a user's own invariant cannot be named in a file
    const run = runChecked(replayed, { invariants: [noPartitions], probes: [] });
    expect(run.violation?.message).toBe("a partition is on the timeline");
  });
});
