// `meshsim sweep` from the command line: bad input exits 2 naming what is wrong, a point that does
// not reach --precision exits 4, and the table, JSON and thresholds say what the docs say.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { bin, root } from "../helpers/cli.ts";
import { meshsim, mm1File, scenarioFile } from "./helpers.ts";

const file = mm1File(0.5, 1100, 100);

describe("meshsim sweep rejects bad input with exit 2", () => {
  const cases: [string, string[], RegExp][] = [
    [
      "an unknown --vary path",
      ["--vary", "services.srvr.instances=1,2"],
      /services\.srvr\.instances: in point services\.srvr\.instances=1: unknown path: services has no entry "srvr" in the file \(it has: server\)/,
    ],
    [
      "a range with no values",
      ["--vary", "load[0].rate=0.8..0.5"],
      /option '--vary <path=values>' argument 'load\[0\]\.rate=0\.8\.\.0\.5' is invalid\. load\[0\]\.rate: the range 0\.8\.\.0\.5 has no values/,
    ],
    [
      "a value that makes the scenario invalid, naming the point and the field",
      ["--vary", "services.server.concurrency=1,0"],
      /services\.server\.concurrency: in point services\.server\.concurrency=0: expected an integer ≥ 1, found number 0/,
    ],
    [
      "--workers 0",
      ["--vary", "load[0].rate=0.5", "--workers", "0"],
      /--workers <n>.*expected a whole number >= 1, got "0"/,
    ],
    [
      "--precision 2",
      ["--vary", "load[0].rate=0.5", "--precision", "2"],
      /--precision <r>.*expected a relative half-width between 0 and 1 \(0\.05 is 5%\), got "2"/,
    ],
    ["nothing to vary", [], /nothing to vary: add --vary PATH=VALUES or a sweep: section/],
    [
      "--zip over paths of different lengths",
      ["--vary", "load[0].rate=0.3,0.5", "--vary", "services.server.concurrency=1,2,3", "--zip"],
      /--zip pairs values one to one, so every path needs as many: load\[0\]\.rate has 2, services\.server\.concurrency has 3/,
    ],
  ];
  it.each(cases)("%s", (_, args, message) => {
    const r = meshsim("sweep", file, ...args, "--seeds", "2", "--no-progress");
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });
});

describe("meshsim sweep", () => {
  it("prints a row per point with ± intervals, and JSON with the contract's fields", () => {
    const args = [
      "sweep",
      file,
      "--vary",
      "load[0].rate=0.3..0.5:0.2",
      "--seeds",
      "3",
      "--workers",
      "2",
    ];
    const table = meshsim(...args, "--no-progress");
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/│ load\[0\]\.rate │ load\s+│ seeds │/);
    expect(table.stdout).toMatch(/│ 0\.3\s+│ customers │ 3\s+│ 0\.00% ±0\.00% │ \d+ ±\d/);
    const json = JSON.parse(meshsim(...args, "--json").stdout);
    const [point] = json.points;
    expect(Object.keys(point)).toEqual([
      "set",
      "seeds",
      "precision",
      "loads",
      "services",
      "thresholds",
    ]);
    expect(Object.keys(point.loads.customers)).toEqual([
      "offered",
      "errorRate",
      "errorRateCi95",
      "latencyMs",
      "pooledLatencyMs",
      "throughputPerS",
      "throughputPerSCi95",
    ]);
    expect(Object.keys(point.loads.customers.latencyMs)).toEqual([
      "mean",
      "meanCi95",
      "p50",
      "p50Ci95",
      "p90",
      "p90Ci95",
      "p99",
      "p99Ci95",
      "p999",
      "p999Ci95",
      "max",
    ]);
    expect(Object.keys(point.services.server).slice(0, 2)).toEqual([
      "utilization",
      "utilizationCi95",
    ]);
  });

  it("exits 4 when a point does not reach --precision within --max-seeds, saying so per point", () => {
    const r = meshsim(
      "sweep",
      file,
      "--vary",
      "load[0].rate=0.5",
      "--precision",
      "0.001",
      "--max-seeds",
      "3",
      "--min-seeds",
      "2",
      "--json",
    );
    expect(r.status, r.stderr).toBe(4);
    const [point] = JSON.parse(r.stdout).points;
    expect(point.seeds).toBe(3);
    expect(point.precision.reached).toBe(false);
    expect(point.precision.target).toBe(0.001);
    expect(point.precision.worst).toBeGreaterThan(0.001);
  });

  it("judges thresholds on the interval: pass, fail, or undecided at the limit", () => {
    // Mean sojourn 1/(1 − λ) s: 1.43 s at λ 0.3, 2 s at 0.5, 10 s at 0.9, against avg<2000ms.
    const limited = scenarioFile(
      "mm1.yaml",
      [
        [/^duration: .*$/m, "duration: 2100s"],
        [/^warmup: .*$/m, "warmup: 100s"],
      ],
      "thresholds:\n  latency: ['avg<2000ms']\n",
    );
    const r = meshsim(
      "sweep",
      limited,
      "--vary",
      "load[0].rate=0.3,0.5,0.9",
      "--seeds",
      "4",
      "--json",
    );
    expect(r.status, r.stderr).toBe(0);
    const verdicts = JSON.parse(r.stdout).points.map(
      (p: { thresholds: { verdict: string }[] }) => p.thresholds[0].verdict,
    );
    expect(verdicts).toEqual(["pass", "undecided", "fail"]);
  });
});

describe("meshsim sweep under node with V8 flags", () => {
  it("starts its pool workers with the process's flags, giving the same bytes as without them", () => {
    // Passed explicitly to a worker, a V8 flag is refused (ERR_WORKER_INVALID_EXEC_ARGV): the pool
    // must let its workers inherit them, or `node --max-old-space-size=... meshsim` crashes.
    const args = [
      file,
      "--vary",
      "load[0].rate=0.4,0.5",
      "--seeds",
      "2",
      "--workers",
      "2",
      "--json",
    ];
    const flagged = spawnSync(
      process.execPath,
      ["--max-old-space-size=1024", bin, "sweep", ...args],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    expect(flagged.stderr).not.toMatch(/internal error/);
    expect(flagged.status).toBe(0);
    expect(flagged.stdout).toBe(meshsim("sweep", ...args).stdout);
  });
});
