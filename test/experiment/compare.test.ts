import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compare } from "../../src/experiment/compare.ts";
import type { VariantOutcome } from "../../src/result/compare.ts";
import { meshsim, root } from "./helpers.ts";

/** The shipped comparison, shortened to 2 minutes and one seed so it runs in a few seconds. */
function smallCompareBalancers(): string {
  const text = readFileSync(join(root, "scenarios/compare-balancers.yaml"), "utf8");
  const small = text
    .replace(/^duration: 5m$/m, "duration: 2m")
    .replace(/^ {2}seeds: 5 .*$/m, "  seeds: 1");
  expect(small).not.toBe(text);
  const file = join(mkdtempSync(join(tmpdir(), "meshsim-compare-")), "small.yaml");
  writeFileSync(file, small);
  return file;
}

const balancers = await compare(smallCompareBalancers(), { workers: "inline" });

describe("compare-balancers", () => {
  const comparison = balancers;
  const byName = new Map<string, VariantOutcome>(comparison.variants.map((v) => [v.name, v]));
  const p99 = (name: string) => byName.get(name)!.loads[0].latencyMs.p99;
  const hits = (name: string) => byName.get(name)!.cacheHitRatio!;

  it("runs every variant on the same requests (common random numbers)", () => {
    const offered = comparison.variants.map((v) => v.loads[0].offered);
    expect(new Set(offered).size).toBe(1);
    expect(comparison.variants.map((v) => v.name)).toEqual([
      "random",
      "round-robin",
      "least-request",
      "peak-ewma",
      "ring-hash",
      "maglev",
      "ring-hash-bounded",
    ]);
  });

  it("shows least-request and peak-EWMA beating round-robin and random on p99 with one slow instance", () => {
    for (const aware of ["least-request", "peak-ewma"]) {
      for (const blind of ["round-robin", "random"])
        expect(p99(aware), `${aware} vs ${blind}`).toBeLessThan(p99(blind));
    }
  });

  it("shows ring hash beating round-robin on the cache hit ratio", () => {
    expect(hits("ring-hash")).toBeGreaterThan(hits("round-robin") + 0.03);
    expect(hits("maglev")).toBeGreaterThan(hits("round-robin") + 0.03);
  });

  it("shows bounded load keeping ring hash's affinity without its hot-key overload", () => {
    expect(hits("ring-hash-bounded")).toBeGreaterThan(hits("round-robin") + 0.03);
    expect(p99("ring-hash-bounded")).toBeLessThan(p99("ring-hash") / 3);
  });
});

describe("meshsim compare", () => {
  it("takes variants from --variant, prints a table, and gives byte-identical JSON on every run", () => {
    const args = [
      "compare",
      "scenarios/mm1.yaml",
      "--variant",
      "two=services.server.concurrency=2",
      "--variant",
      "one=seed=7",
    ];
    const table = meshsim(...args);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/two\s+│ customers/);
    const a = meshsim(...args, "--json").stdout;
    expect(meshsim(...args, "--json").stdout).toBe(a);
    const comparison = JSON.parse(a);
    const [two, one] = comparison.variants;
    expect(two.set).toEqual({ "services.server.concurrency": 2 });
    expect(two.loads[0].latencyMs.mean).toBeLessThan(one.loads[0].latencyMs.mean);
    expect(two.diff).toBeNull();
    expect(one.diff.baseline).toBe("two");
    expect(one.results[0]).not.toHaveProperty("histograms");
  });

  it("rejects a variant whose value is invalid, naming the variant, with exit 2", () => {
    const r = meshsim(
      "compare",
      "scenarios/mm1.yaml",
      "--variant",
      "bad=services.server.concurrency=-1",
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /services\.server\.concurrency: in variant bad: expected an integer ≥ 1/,
    );
  });

  it("rejects a variant path that names nothing of the file and an unknown baseline", () => {
    const typo = meshsim(
      "compare",
      "scenarios/mm1.yaml",
      "--variant",
      "x=services.srv.concurrency=2",
    );
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(
      /services\.srv\.concurrency: in variant x: unknown path: services has no entry "srv" in the file \(it has: server\)/,
    );
    const baseline = meshsim(
      "compare",
      "scenarios/mm1.yaml",
      "--variant",
      "two=services.server.concurrency=2",
      "--baseline",
      "three",
    );
    expect(baseline.status).toBe(2);
    expect(baseline.stderr).toMatch(/--baseline three is not a variant \(the variants are: two\)/);
  });

  it("rejects a malformed --variant and a file with nothing to compare", () => {
    expect(meshsim("compare", "scenarios/mm1.yaml", "--variant", "nameonly").status).toBe(2);
    const none = meshsim("compare", "scenarios/mm1.yaml");
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no variants to compare/);
  });
});
