// The CLI's cost budget: a scenario estimated above --max-events or --max-memory is refused
// (exit 2) before anything is built, with the estimate in the message; --force lets it through.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { meshsim } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "meshsim-budget-"));

const huge = join(dir, "huge.yaml");
writeFileSync(
  huge,
  `version: 1
name: huge
duration: 1000s
services:
  a: { instances: 10000, operations: { w: { serviceTime: exp(5ms) } } }
load:
  - { name: l, executor: constant-arrival-rate, target: a.w, rate: 1000000000 }
`,
);

describe("the cost budget", () => {
  test("a scenario estimated past both budgets is refused with the estimate, by run and validate", () => {
    for (const command of ["run", "validate"]) {
      const r = meshsim(command, huge);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^.*huge\.yaml: the run is estimated at about 3500000000000 events for 1000000000000 requests \(maxEvents caps it at 2000000000\), above the --max-events budget of 1000000000; raise the budget, lower maxEvents, or pass --force to run it anyway\n$/,
      );
    }
  });

  test("--force lets validate accept it; a budget above the estimate does too", () => {
    expect(meshsim("validate", huge, "--force").code).toBe(0);
    const r = meshsim("validate", huge, "--max-events", "3e9");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^meshsim: estimated 1000000000000 requests, 2000000000 events, \d+ MiB\n$/,
    );
  });

  test("a memory budget below the estimate refuses", () => {
    const r = meshsim("validate", huge, "--max-events", "3e9", "--max-memory", "100");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /the run is estimated at about \d+ MiB, above the --max-memory budget of 100 MiB/,
    );
  });

  test("sweep and compare hold each point to the budget before any run, naming the point", () => {
    // The file itself is small (mm1); one point raises the rate a million-fold.
    const sweep = meshsim(
      "sweep",
      "scenarios/mm1.yaml",
      "--vary",
      "load[0].rate=0.5,900000",
      "--max-events",
      "1e8",
    );
    expect(sweep.code).toBe(2);
    expect(sweep.stderr).toMatch(
      /mm1\.yaml: in point load\[0\]\.rate=900000: the run is estimated at about \d+ events for \d+ requests \(maxEvents caps it at 2000000000\), above the --max-events budget of 100000000; raise the budget, lower maxEvents, or pass --force to run it anyway\n$/,
    );
    expect(sweep.stderr).not.toMatch(/runs in/);
    const compare = meshsim(
      "compare",
      "scenarios/mm1.yaml",
      "--variant",
      "few=load[0].rate=0.5",
      "--variant",
      "many=services.server.instances=10000",
      "--max-memory",
      "200",
    );
    expect(compare.code).toBe(2);
    expect(compare.stderr).toMatch(
      /in variant many: the run is estimated at about \d+ MiB, above the --max-memory budget of 200 MiB/,
    );
    expect(compare.stderr).not.toMatch(/variant few/);
  });

  test("--force lets an experiment's point past the budget run", () => {
    const r = meshsim(
      "sweep",
      "scenarios/mm1.yaml",
      "--vary",
      "duration=1100s,1200s",
      "--seeds",
      "1",
      "--max-events",
      "1",
      "--force",
      "--json",
      "--no-progress",
    );
    expect(r.stderr).not.toMatch(/estimated/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).points).toHaveLength(2);
  });
});

describe("capacity's cost budget", () => {
  // One station of 10 instances at 50 calls/s for 10 s: every rate up to a few hundred passes.
  const station = join(dir, "station.yaml");
  writeFileSync(
    station,
    `version: 1
name: station
seed: 1
duration: 10s
services:
  server: { instances: 10, concurrency: 1, operations: { work: { serviceTime: exp(10ms) } } }
load:
  - { name: customers, executor: constant-arrival-rate, rate: 50, target: server.work }
thresholds:
  latency: ['avg<50ms']
`,
  );

  test("the dearest corner of --vary is refused before any run, naming the point", () => {
    // About 129 MiB with 1 instance and 171 MiB with 9000 (the calibrated estimate, cost.ts).
    const r = meshsim(
      "capacity",
      station,
      "--vary",
      "services.server.instances=1,2,9000",
      "--max-memory",
      "150",
      "--no-progress",
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /station\.yaml: capacity: in point services\.server\.instances=9000: the run is estimated at about \d+ MiB, above the --max-memory budget of 150 MiB; raise the budget, lower maxEvents, or pass --force to run it anyway\n$/,
    );
    expect(r.stderr).not.toMatch(/runs in/);
  });

  test("--max-rate stops with exit 2 before the first rate over the budget, and --force goes on", () => {
    // 50/s for 10 s is about 500 calls; the budget admits the file's rate, not its double.
    const estimate = meshsim("validate", station).stderr.match(/(\d+) events/);
    expect(estimate).not.toBeNull();
    const budget = String(Math.ceil(Number(estimate![1]) * 1.5));
    const r = meshsim(
      "capacity",
      station,
      "--max-rate",
      "customers",
      "--max-events",
      budget,
      "--seeds",
      "2",
      "--no-progress",
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `capacity: in customers at 100/1s: the run is estimated at about \\d+ events for \\d+ requests, above the --max-events budget of ${budget}; raise the budget`,
      ),
    );
    const forced = meshsim(
      "capacity",
      station,
      "--max-rate",
      "customers",
      "--max-events",
      budget,
      "--force",
      "--seeds",
      "2",
      "--max-seeds",
      "2",
      "--precision",
      "0.5",
      "--json",
      "--no-progress",
    );
    expect(forced.stderr).not.toMatch(/estimated/);
    expect(JSON.parse(forced.stdout).points.length).toBeGreaterThan(1);
  });
});
