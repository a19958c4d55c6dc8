// `meshsim run --out DIR` writes traces.otlp.json beside result.json when the scenario turns
// tracing on, and not otherwise; the file is the same bytes on every run.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { meshsim } from "../helpers/cli.ts";
import { otlpViolations } from "../helpers/tracing.ts";

const TANDEM = `version: 1
name: traced
seed: 3
duration: 30s
network: { latency: 1ms }
services:
  front:
    concurrency: 4
    operations:
      work:
        serviceTime: exp(5ms)
        errorRate: 0.01
        calls: [{ call: back.work }]
  back:
    concurrency: 4
    operations:
      work: { serviceTime: exp(10ms) }
load:
  - { name: customers, executor: constant-arrival-rate, rate: 50, target: front.work }
`;

describe("meshsim run --out with tracing", () => {
  const dir = mkdtempSync(join(tmpdir(), "meshsim-traces-"));
  const traced = join(dir, "traced.yaml");
  const plain = join(dir, "plain.yaml");
  writeFileSync(traced, `${TANDEM}tracing: { ratio: 0.1, keepSlowerThan: 60ms }\n`);
  writeFileSync(plain, TANDEM);

  it("writes traces.otlp.json with the kept traces, the same bytes every time", () => {
    const first = meshsim("run", traced, "--out", join(dir, "a"), "--json", "--no-progress");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/wrote result.json, report.md.*traces.otlp.json/);
    const text = readFileSync(join(dir, "a", "traces.otlp.json"), "utf8");
    const otlp = JSON.parse(text);
    expect(otlpViolations(otlp)).toEqual([]);
    const result = JSON.parse(first.stdout);
    const spans = otlp.resourceSpans.flatMap((rs: { scopeSpans: { spans: unknown[] }[] }) =>
      rs.scopeSpans.flatMap((ss) => ss.spans),
    );
    expect(spans.length).toBe(result.tracing.spans);
    expect(result.tracing.traces).toBeGreaterThan(0);
    meshsim("run", traced, "--out", join(dir, "b"), "--no-progress");
    expect(readFileSync(join(dir, "b", "traces.otlp.json"), "utf8")).toBe(text);
  });

  it("writes no trace file without a tracing section, and the result has tracing: null", () => {
    const r = meshsim("run", plain, "--out", join(dir, "c"), "--json", "--no-progress");
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, "c", "traces.otlp.json"))).toBe(false);
    expect(JSON.parse(r.stdout).tracing).toBeNull();
  });
});
