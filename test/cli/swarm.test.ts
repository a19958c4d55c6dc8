// `meshsim swarm` through the real command (shared/SCENARIO.md's contract): exit 3 when a seed breaks
// an invariant, each minimal case written as a scenario file that `meshsim run` replays byte for
// byte with exit 3; exit 0 and the coverage when none does; exit 2 on bad input, naming it.
// Short: a few seeds of the fragile checkout (`npm run swarm` runs the long campaign).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INVARIANT_EXIT_CODE } from "../../src/testing/index.ts";
import { meshsim, root } from "../helpers/cli.ts";

const SINGLE_POD_KILLS = ["--faults", "pod-kill", "--max-faults", "2", "--max-instances", "1"];

describe("meshsim swarm", () => {
  it("finds a single pod kill that breaks the fragile checkout's error threshold, shrinks it and writes a case that replays", () => {
    const out = mkdtempSync(join(tmpdir(), "meshsim-swarm-"));
    const r = meshsim(
      "swarm",
      "scenarios/fragile-checkout.yaml",
      "--seeds",
      "2",
      ...SINGLE_POD_KILLS,
      "--out",
      out,
      "--json",
    );
    expect(r.code, r.stderr).toBe(3);
    expect(INVARIANT_EXIT_CODE).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.seeds).toBe(2);
    expect(report.violations.length).toBeGreaterThan(0);
    const [v] = report.violations;
    expect(v.invariant).toBe("thresholds");
    expect(v.faults).toBeLessThanOrEqual(2);
    expect(report.coverage["instance-dead"]).toBeGreaterThan(0);
    expect(report.determinism).toEqual({ checked: 1, mismatches: [] });
    const text = readFileSync(v.file, "utf8");
    expect(text).toMatch(/kind: pod-kill/);
    expect(text).toMatch(/invariants:\n {2}- thresholds/);
    const first = meshsim("run", v.file, "--json", "--no-progress");
    const second = meshsim("run", v.file, "--json", "--no-progress");
    expect(first.code, first.stderr).toBe(3);
    expect(second.code).toBe(3);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stderr).toMatch(
      /invariant thresholds broken at 30000\.000 ms: threshold errors: rate<0\.01 failed/,
    );
  });

  it("reports no violation on the fixed variant, with the states its seeds reached", () => {
    const r = meshsim(
      "swarm",
      "scenarios/fragile-checkout-fixed.yaml",
      "--seeds",
      "3",
      ...SINGLE_POD_KILLS,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^swarm fragile-checkout-fixed: 3 seeds\n/);
    expect(r.stdout).toMatch(/violations: 0\n/);
    expect(r.stdout).toMatch(/instance-dead +[1-3]\n/);
  });

  it("prints the same report with seeds spread over worker threads", () => {
    const args = [
      "swarm",
      "scenarios/fragile-checkout-fixed.yaml",
      "--seeds",
      "4",
      ...SINGLE_POD_KILLS,
    ];
    const one = meshsim(...args, "--json", "--determinism-every", "2");
    const two = meshsim(...args, "--json", "--determinism-every", "2", "--workers", "3");
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const report = JSON.parse(one.stdout);
    expect(report.seeds).toBe(4);
    expect(report.determinism.checked).toBe(2);
  });

  it("prints the same report from shards (seeds on worker threads) joined by meshsim merge; --time-budget cannot be sharded", () => {
    const args = [
      "swarm",
      "scenarios/fragile-checkout-fixed.yaml",
      "--seeds",
      "5",
      ...SINGLE_POD_KILLS,
    ];
    const one = meshsim(...args, "--json");
    expect(one.code, one.stderr).toBe(0);
    const parts = [1, 2].map((i) => {
      const out = mkdtempSync(join(tmpdir(), "meshsim-swarm-shard-"));
      const part = meshsim(...args, "--workers", "2", "--shard", `${i}/2`, "--out", out, "--json");
      expect(part.code, part.stderr).toBe(0);
      expect(part.stdout).toBe("");
      expect(part.stderr).toMatch(
        new RegExp(`shard ${i}/2: ${i === 1 ? 3 : 2} seed\\(s\\) run here`),
      );
      return out;
    });
    const merged = meshsim(
      "merge",
      ...parts,
      "--out",
      mkdtempSync(join(tmpdir(), "meshsim-swarm-merged-")),
      "--json",
    );
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(one.stdout);
    const budget = meshsim(...args, "--shard", "1/2", "--out", parts[0], "--time-budget", "1m");
    expect(budget.code).toBe(2);
    expect(budget.stderr).toMatch(
      /--time-budget <d>' argument '1m' is invalid\. a wall-clock budget decides which seeds run/,
    );
  });

  it("exits 2 on an unknown fault kind, --seeds 0, and a scenario with nothing to check, naming each", () => {
    const kind = meshsim(
      "swarm",
      "scenarios/fragile-checkout.yaml",
      "--seeds",
      "1",
      "--faults",
      "pod-kill,pod-kil",
    );
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(
      /unknown fault kind "pod-kil"; expected a comma-separated list of pod-kill, /,
    );
    const zero = meshsim("swarm", "scenarios/fragile-checkout.yaml", "--seeds", "0");
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--seeds <n>.*expected a whole number >= 1, got "0"/);
    const dir = mkdtempSync(join(tmpdir(), "meshsim-swarm-"));
    const noLoads = join(dir, "idle.yaml");
    const text = readFileSync(join(root, "scenarios/fragile-checkout.yaml"), "utf8");
    writeFileSync(noLoads, text.replace(/^load:\n(?: {2}.*\n|\s{4}.*\n)+/m, "load: []\n"));
    const idle = meshsim("swarm", noLoads, "--seeds", "1");
    expect(idle.code).toBe(2);
    expect(idle.stderr).toMatch(/idle\.yaml:\d+:\d+: load: /);
    const budget = meshsim(
      "swarm",
      "scenarios/fragile-checkout.yaml",
      "--seeds",
      "1",
      "--time-budget",
      "soon",
    );
    expect(budget.code).toBe(2);
    expect(budget.stderr).toMatch(/--time-budget <d>.*expected a positive duration/);
  });
});

describe("meshsim run on a file with invariants", () => {
  it("exits 0 when they hold and refuses an unknown invariant name with its place", () => {
    const dir = mkdtempSync(join(tmpdir(), "meshsim-inv-"));
    const text = readFileSync(join(root, "scenarios/fragile-checkout.yaml"), "utf8");
    writeFileSync(join(dir, "ok.yaml"), `${text}invariants: [conservation, breaker-legality]\n`);
    const ok = meshsim("run", join(dir, "ok.yaml"), "--json", "--no-progress");
    expect(ok.code, ok.stderr).toBe(0);
    writeFileSync(join(dir, "bad.yaml"), `${text}invariants: [conservaton]\n`);
    const bad = meshsim("run", join(dir, "bad.yaml"), "--json", "--no-progress");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /bad\.yaml:\d+:\d+: invariants\[0\]: expected an invariant, one of conservation, /,
    );
  });
});
