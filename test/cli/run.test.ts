// The CLI contract of shared/SCENARIO.md, exercised through the real `meshsim` entry point.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, meshsim, root } from "../helpers/cli.ts";

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "meshsim-cli-"));
}

const mm1 = readFileSync(join(root, "scenarios/mm1.yaml"), "utf8");

describe("meshsim run", () => {
  it("prints the run result JSON on stdout with --json, with the contract's fields in order", () => {
    const r = meshsim("run", "scenarios/mm1.yaml", "--json");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(Object.keys(result).slice(0, 6)).toEqual([
      "scenario",
      "seed",
      "simulatedMs",
      "events",
      "load",
      "services",
    ]);
    expect(result.scenario).toBe("mm1");
    expect(result.seed).toBe(7);
    expect(result.simulatedMs).toBe(20_000_000);
    expect(Object.keys(result.load.customers).slice(0, 4)).toEqual([
      "offered",
      "completed",
      "failed",
      "latencyMs",
    ]);
    expect(Object.keys(result.load.customers.latencyMs)).toEqual([
      "mean",
      "p50",
      "p90",
      "p99",
      "p999",
      "max",
    ]);
    const server = result.services.server;
    expect(Object.keys(server).slice(0, 6)).toEqual([
      "requests",
      "errors",
      "utilization",
      "latencyMs",
      "queueWaitMs",
      "instances",
    ]);
    expect(server.instances[0]).toMatchObject({ id: "server-0" });
    expect(result.stateChanges).toEqual([]);
    // Wall-clock figures go to stderr only.
    expect(r.stderr).toMatch(/events\/s/);
  });

  it("gives the same bytes on every run, and --seed changes them", () => {
    const a = meshsim("run", "scenarios/mm1.yaml", "--json").stdout;
    expect(meshsim("run", "scenarios/mm1.yaml", "--json").stdout).toBe(a);
    const other = JSON.parse(meshsim("run", "scenarios/mm1.yaml", "--json", "--seed", "8").stdout);
    expect(other.seed).toBe(8);
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(JSON.parse(a)));
  });

  it("prints a readable table without --json", () => {
    const r = meshsim("run", "scenarios/mm1.yaml");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/customers/);
    expect(r.stdout).toMatch(/p99 ms/);
  });

  it("writes result.json and report.md with --out, and result.json equals the --json output", () => {
    const dir = join(scratch(), "out");
    const r = meshsim("run", "scenarios/mm1.yaml", "--out", dir, "--json");
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "result.json"), "utf8")).toBe(r.stdout);
    expect(readFileSync(join(dir, "report.md"), "utf8")).toMatch(/# meshsim run: mm1/);
  });

  it("exits 2 naming the file, line:column and field path for an unknown key, and writes nothing", () => {
    const dir = scratch();
    const file = join(dir, "typo.yaml");
    writeFileSync(file, mm1.replace("    concurrency: 1 ", "    concurency: 1 "));
    const out = join(dir, "out");
    const r = meshsim("run", file, "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/:\d+:\d+: services\.server\.concurency/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  });

  it("exits 2 for a rule file using a PromQL function the evaluator does not support, naming it with the rule file's line:column and the field path", () => {
    const dir = scratch();
    writeFileSync(
      join(dir, "rules.yaml"),
      "groups:\n  - name: g\n    rules:\n      - alert: Slow\n        expr: double_exponential_smoothing(meshsim_instance_queue_length[10m], 0.3, 0.3) > 5\n",
    );
    const file = join(dir, "s.yaml");
    writeFileSync(file, `${mm1.trimEnd()}\nalerts: { file: rules.yaml }\n`);
    const r = meshsim("run", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${join(dir, "rules.yaml")}:5:15: groups[0].rules[0].expr: function double_exponential_smoothing() is not supported by meshsim's PromQL evaluator`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 for a rule whose subquery asks for 2.6 billion points per evaluation, naming the rule and the limit, before running", () => {
    const dir = scratch();
    writeFileSync(
      join(dir, "rules.yaml"),
      "groups:\n  - name: g\n    rules:\n      - alert: MonthlyPeak\n        expr: max_over_time(meshsim_instance_queue_length[30d:1ms]) > 5\n",
    );
    const file = join(dir, "s.yaml");
    writeFileSync(file, `${mm1.trimEnd()}\nalerts: { file: rules.yaml }\n`);
    const r = meshsim("run", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${join(dir, "rules.yaml")}:5:15: groups[0].rules[0].expr: rule "MonthlyPeak" evaluates 2,592,000,000 subquery points at every evaluation; meshsim's limit is 11,000 per rule evaluation`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  });

  it("exits 2 for a missing file and for a bad --seed", () => {
    expect(meshsim("run", "scenarios/nope.yaml").code).toBe(2);
    const bad = meshsim("run", "scenarios/mm1.yaml", "--seed", "-3");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/seed/);
    expect(meshsim("run", "scenarios/mm1.yaml", "--no-such-flag").code).toBe(2);
  });

  it("exits 99 when a threshold fails, after printing the result", () => {
    const dir = scratch();
    const file = join(dir, "strict.yaml");
    writeFileSync(file, `${mm1}thresholds:\n  latency: ['p(99)<1s']\n  errors: ['rate<0.01']\n`);
    const r = meshsim("run", file, "--json");
    expect(r.code).toBe(99);
    const result = JSON.parse(r.stdout);
    expect(result.thresholds.map((t: { ok: boolean }) => t.ok)).toEqual([false, true]);
  });
});

describe("meshsim validate", () => {
  it("accepts every shipped scenario", () => {
    for (const file of readdirSync(join(root, "scenarios")).filter((f) => f.endsWith(".yaml"))) {
      const r = meshsim("validate", join("scenarios", file));
      expect(r.code, `${file}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/ok/);
    }
  });

  it("reports every problem in a bad file and exits 2", () => {
    const dir = scratch();
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      mm1
        .replace("rate: 0.9", "rate: -1")
        .replace("exp(1s)", "exp(1 s)")
        .replace("target: server.work", "target: server.nope"),
    );
    const r = meshsim("validate", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/load\[0\]\.rate/);
    expect(r.stderr).toMatch(/serviceTime/);
    expect(r.stderr).toMatch(/load\[0\]\.target/);
  });
});

describe("meshsim schema", () => {
  it("prints a JSON Schema that names the scenario's top-level keys", () => {
    const schema = JSON.parse(
      execFileSync(process.execPath, [bin, "schema"], { cwd: root, encoding: "utf8" }),
    );
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["version", "name", "duration", "services", "load"]),
    );
  });
});
