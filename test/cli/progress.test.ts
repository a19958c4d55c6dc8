// The progress lines printed when stderr is not a terminal, with the wall clock and the writer
// injected; the bar's line fitted to the terminal; and the --no-progress flag.
import { describe, expect, it } from "vitest";
import { experimentProgress } from "../../src/cli/experimentFlags.ts";
import {
  createLineReporter,
  formatBarLine,
  formatCount,
  formatProgressLine,
  formatWallDuration,
  runSnapshot,
} from "../../src/cli/progress.ts";
import { spawnMeshsim } from "../helpers/cli.ts";

describe("progress lines", () => {
  it("show simulated time, percentage, events/s and an ETA from the wall time so far", () => {
    const snapshot = runSnapshot({ nowMs: 312_400, durationMs: 1_200_000, events: 6_000_000 });
    // 26% done in 5 s: 14.2 s to go.
    expect(formatProgressLine(snapshot, 5000)).toBe(
      "sim 312s/1200s (26%), ETA 14s, 1.20M events/s",
    );
  });

  it("count an experiment's runs across the pool, with the ETA of the whole experiment", () => {
    const snapshot = experimentProgress({
      done: 2,
      total: 12,
      fraction: 2.5 / 12,
      simulatedMs: 750_000,
      plannedSimulatedMs: 3_600_000,
      events: 2_500_000,
    });
    // 2.5 / 12 of the work in 10 s: 38 s to go.
    expect(formatProgressLine(snapshot, 10_000)).toBe(
      "runs 2/12: sim 750s/3600s (20%), ETA 38s, 250k events/s",
    );
  });

  it("name a queue's workers and their runs, the first four of them", () => {
    const progress = {
      done: 9,
      total: 12,
      fraction: 0.75,
      simulatedMs: 2_700_000,
      plannedSimulatedMs: 3_600_000,
      events: 9_000_000,
    };
    const workers = (n: number) =>
      new Map(Array.from({ length: n }, (_, i) => [`host${i}/10${i}`, i + 1]));
    expect(experimentProgress({ ...progress, perWorker: workers(2) }).label).toBe(
      "runs 9/12 (2 workers: host0/100 1, host1/101 2)",
    );
    expect(experimentProgress({ ...progress, perWorker: workers(6) }).label).toBe(
      "runs 9/12 (6 workers: host0/100 1, host1/101 2, host2/102 3, host3/103 4, +2 more)",
    );
    expect(experimentProgress({ ...progress, perWorker: new Map() }).label).toBe("runs 9/12");
  });

  it("show tenths of a second for runs shorter than 10 s of simulated time", () => {
    expect(
      formatProgressLine(runSnapshot({ nowMs: 2_460, durationMs: 5_000, events: 10 }), 1000),
    ).toBe("sim 2.4s/5.0s (49%), ETA 1s, 10 events/s");
  });

  it("format counts and wall durations compactly", () => {
    expect([950, 12_345, 999_600, 3_612_169, 2e9].map(formatCount)).toEqual([
      "950",
      "12.3k",
      "1.00M",
      "3.61M",
      "2.00G",
    ]);
    expect([400, 14_200, 125_000, 3_725_000].map(formatWallDuration)).toEqual([
      "0s",
      "14s",
      "2m05s",
      "1h02m",
    ]);
  });

  it("are written every 5 s of wall time and never for a run that ends sooner", () => {
    let now = 1000;
    const written: string[] = [];
    const reporter = createLineReporter(
      () => now,
      (text) => written.push(text),
    );
    const at = (wallMs: number, simMs: number) => {
      now = 1000 + wallMs;
      reporter.update(runSnapshot({ nowMs: simMs, durationMs: 100_000, events: simMs * 10 }));
    };
    at(100, 1000);
    at(4999, 40_000);
    expect(written).toEqual([]);
    at(5000, 41_000);
    at(9000, 70_000);
    at(10_500, 80_000);
    reporter.finish();
    expect(written).toEqual([
      "meshsim: sim 41s/100s (41%), ETA 7s, 82.0k events/s\n",
      "meshsim: sim 80s/100s (80%), ETA 3s, 76.2k events/s\n",
    ]);
  });
});

describe("the progress bar line", () => {
  const single = runSnapshot({ nowMs: 312_400, durationMs: 1_200_000, events: 6_000_000 });
  const compared = {
    ...runSnapshot({ nowMs: 276_000, durationMs: 300_000, events: 30_000_000 }),
    label: "run 7/7 variant=ring-hash-bounded seed=7",
    fraction: 0.98,
  };

  it("has a bar of at most 30 characters and every field when the terminal is wide", () => {
    expect(formatBarLine(single, 5000, 120)).toBe(
      "[========----------------------] 26% | sim 312s/1200s | ETA 14s | 1.20M events/s",
    );
  });

  it("shrinks the bar to fit 80 columns", () => {
    expect(formatBarLine(single, 5000, 80)).toBe(
      "[========---------------------] 26% | sim 312s/1200s | ETA 14s | 1.20M events/s",
    );
  });

  it("drops the bar, then the fields at the right, for a long label", () => {
    expect(formatBarLine(compared, 20_000, 80)).toBe(
      "run 7/7 variant=ring-hash-bounded seed=7 98% | sim 276s/300s | ETA 0s",
    );
    expect(formatBarLine(compared, 20_000, 40)).toBe("run 7/7 variant=ring-hash-bounded seed=");
    for (const columns of [1, 20, 60, 79, 80, 100, 200])
      expect(formatBarLine(compared, 20_000, columns).length).toBeLessThan(columns);
  });
});

describe("--no-progress", () => {
  const meshsim = (...args: string[]) => spawnMeshsim(args);

  it("is accepted by run and compare and leaves stdout as it is", () => {
    const run = meshsim("run", "scenarios/mm1.yaml", "--json", "--no-progress");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(meshsim("run", "scenarios/mm1.yaml", "--json").stdout);
    const variant = "--variant=fast=services.server.operations.work.serviceTime=exp(0.5s)";
    const compare = meshsim("compare", "scenarios/mm1.yaml", variant, "--json", "--no-progress");
    expect(compare.status).toBe(0);
    expect(compare.stdout).toBe(meshsim("compare", "scenarios/mm1.yaml", variant, "--json").stdout);
  });
});
