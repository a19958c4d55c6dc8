// `meshsim capacity` from the command line: bad input exits 2 naming what is wrong (with the file's
// line and column where there is one), the exit code says found (0), none meets (99) or undecided
// (3), --json keeps the contract's fields, and the output is the same bytes for any --workers.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { meshsim } from "../helpers.ts";
import { file, station } from "./scenarios.ts";

// λ = 450/s on exp(10 ms) slots: 7 slots keep the mean sojourn under 11.8 ms (theory.test.ts).
const mmc = file("mmc", station({ rate: 450, duration: "20s", threshold: "avg<11.8ms" }));
const vus = file(
  "vus",
  station({ rate: 1, duration: "10s", threshold: "p(99)<230ms" }).replace(
    /executor: constant-arrival-rate\n {4}rate: 1\n {4}timeUnit: 1s\n {4}arrival: poisson/,
    "executor: constant-vus\n    vus: 4\n    thinkTime: exp(100ms)",
  ),
);
const noThresholds = file(
  "plain",
  station({ rate: 50, duration: "10s", threshold: "x" }).replace(/thresholds:[\s\S]*$/, ""),
);

describe("meshsim capacity rejects bad input with exit 2", () => {
  const cases: [string, string[], RegExp][] = [
    [
      "a --vary range with LO > HI",
      [mmc, "--vary", "services.server.concurrency=8..2"],
      /services\.server\.concurrency=8\.\.2' is invalid\. services\.server\.concurrency: the range 8\.\.2 has no values: its end is below its start/,
    ],
    [
      "a path that is not numeric, with the line and column of its value",
      [mmc, "--vary", "services.server.operations.work.serviceTime=1..3"],
      /mmc\.yaml:14:22: services\.server\.operations\.work\.serviceTime: .*is not a numeric field \(it takes text or only 0\)/,
    ],
    [
      "a path the file does not have",
      [mmc, "--vary", "services.srvr.instances=1..3"],
      /mmc\.yaml:9:3: services\.srvr\.instances: .*services has no entry "srvr" in the file \(it has: server\)/,
    ],
    [
      "a scenario with no thresholds",
      [noThresholds, "--vary", "services.server.instances=1..3"],
      /thresholds: scenario station has no thresholds, so there is nothing to plan for/,
    ],
    [
      "--max-rate naming a load that does not exist",
      [mmc, "--max-rate", "shoppers"],
      /mmc\.yaml:\d+:3: load: --max-rate shoppers: no load of that name \(the loads are: customers\)/,
    ],
    [
      "--max-rate naming a load whose executor has no rate",
      [vus, "--max-rate", "customers"],
      /vus\.yaml:\d+:15: load\[0\]\.executor: --max-rate customers: load customers uses the constant-vus executor, which has no arrival rate to raise/,
    ],
    [
      "a --cost on a path that is not varied",
      [mmc, "--vary", "services.server.concurrency=1..3", "--cost", "services.server.instances=2"],
      /--cost services\.server\.instances: not a varied path \(the varied paths are: services\.server\.concurrency\)/,
    ],
    [
      "a --cost weight that is not positive",
      [
        mmc,
        "--vary",
        "services.server.concurrency=1..3",
        "--cost",
        "services.server.concurrency=0",
      ],
      /expected PATH=WEIGHT with a weight > 0/,
    ],
    [
      "a value that makes the scenario invalid",
      [mmc, "--vary", "services.server.concurrency=0..3"],
      /mmc\.yaml:11:5: services\.server\.concurrency: in point services\.server\.concurrency=0: expected an integer ≥ 1, found number 0/,
    ],
    ["nothing to plan", [mmc], /nothing to plan: give --vary PATH=LO\.\.HI .* or --max-rate LOAD/],
  ];
  for (const [what, args, message] of cases)
    it(`for ${what}`, () => {
      const run = meshsim("capacity", ...args, "--no-progress");
      expect(run.stderr).toMatch(message);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe("");
    });
});

describe("meshsim capacity's exit code and --json", () => {
  it("exits 0 with the recommendation, and --json carries the contract's fields", () => {
    const run = meshsim(
      "capacity",
      mmc,
      "--vary",
      "services.server.concurrency=1..12",
      "--json",
      "--no-progress",
    );
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.recommended).toEqual({ "services.server.concurrency": 7 });
    expect(json.met).toBe(true);
    expect(json.gridSize).toBe(12 * 5);
    expect(json.runs).toBeLessThan(json.gridSize);
  });

  it("exits 99 with recommended null when no point meets the thresholds", () => {
    const run = meshsim(
      "capacity",
      mmc,
      "--vary",
      "services.server.concurrency=1..4",
      "--seeds",
      "2",
      "--json",
      "--no-progress",
    );
    expect(run.status).toBe(99);
    expect(JSON.parse(run.stdout)).toMatchObject({ recommended: null, met: false, status: "none" });
  });

  it("exits 4 when a point stays undecided at the seed cap", () => {
    // c = 7 has a mean sojourn of 10.87 ms: a limit of 10.9 ms is inside its interval.
    const edge = file("edge", station({ rate: 450, duration: "20s", threshold: "avg<10.9ms" }));
    const args = ["--vary", "services.server.concurrency=7", "--seeds", "2", "--max-seeds", "3"];
    const run = meshsim("capacity", edge, ...args, "--json", "--no-progress");
    expect(run.status).toBe(4);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "undecided", runs: 3 });
  });

  it("prints maxRate and bracket with --max-rate", () => {
    const run = meshsim("capacity", mmc, "--max-rate", "customers", "--json", "--no-progress");
    const json = JSON.parse(run.stdout);
    expect(json.bracket).toHaveLength(2);
    expect(json.maxRate).toBe(json.bracket[0]);
    expect([0, 4]).toContain(run.status);
    // One slot: a mean sojourn 1/(μ − λ) under 11.8 ms allows λ < 100 − 1000/11.8 = 15.3/s. The
    // curve is shallow there against the spread of 20 s runs, so rates from about 12.5 to 17.5
    // stay undecided at 20 seeds (exit 4) and the highest passing rate sits below λ*. Rates far
    // above it (28 800/s) finish no measured request: they fail as overloaded, not pass.
    expect(json.maxRate).toBeLessThan(16);
    expect(json.maxRate).toBeGreaterThan(10);
    expect(json.points.find((p: { rate: number }) => p.rate === 450).verdict).toBe("fail");
  });
});

describe("meshsim capacity on the pool", () => {
  it("writes the same bytes (--json and every --out file) for --workers 1 and 2", () => {
    const outputs = (workers: string) => {
      const out = mkdtempSync(join(tmpdir(), "meshsim-capacity-out-"));
      const args = ["--vary", "services.server.concurrency=1..12", "--headroom", "--out", out];
      const run = meshsim(
        "capacity",
        mmc,
        ...args,
        "--workers",
        workers,
        "--json",
        "--no-progress",
      );
      expect(run.status).toBe(0);
      const files = ["capacity.json", "capacity.md", "report.html"].map((f) =>
        readFileSync(join(out, f), "utf8"),
      );
      return { stdout: run.stdout, files, runs: readdirSync(join(out, "runs")).sort() };
    };
    const one = outputs("1");
    const two = outputs("2");
    expect(two.stdout).toBe(one.stdout);
    expect(two.files).toEqual(one.files);
    expect(two.runs).toEqual(one.runs);
    expect(JSON.parse(one.stdout).headroom.maxRate).toBeGreaterThan(450);
  });
});
