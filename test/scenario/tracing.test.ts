// The `tracing:` section: absent means off, defaults follow OpenTelemetry's sampler names, and
// mistakes are reported with their path and position like every other part of the file.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/loader.ts";
import { scenarioJsonSchema } from "../../src/scenario/schema/jsonSchema.ts";
import { problemsOf } from "../helpers/problems.ts";

function fileWith(tracing: string): string {
  return `version: 1
name: t
duration: 20s
services:
  server:
    operations:
      work: { serviceTime: exp(1s) }
load:
  - { name: customers, executor: constant-arrival-rate, rate: 1, target: server.work }
${tracing}`;
}

describe("the tracing section", () => {
  it("is off (null) when absent", () => {
    expect(parseScenario(fileWith(""), "s.yaml").tracing).toBeNull();
  });

  it("fills in the defaults: parent-based 1% ratio sampling, errors kept, a fixed epoch, 10000 traces", () => {
    expect(parseScenario(fileWith("tracing: {}"), "s.yaml").tracing).toEqual({
      sampler: "parentbased_traceidratio",
      ratio: 0.01,
      keepErrors: true,
      keepSlowerThanMs: null,
      epochMs: Date.UTC(2026, 0, 1),
      maxTraces: 10_000,
    });
  });

  it("reads every field", () => {
    const text = fileWith(`tracing:
  sampler: always_on
  ratio: 0.5
  keepErrors: false
  keepSlowerThan: 250ms
  epoch: 2025-06-30T12:00:00.5+02:00
  maxTraces: 0`);
    expect(parseScenario(text, "s.yaml").tracing).toEqual({
      sampler: "always_on",
      ratio: 0.5,
      keepErrors: false,
      keepSlowerThanMs: 250,
      epochMs: Date.UTC(2025, 5, 30, 10, 0, 0, 500),
      maxTraces: 0,
    });
  });

  it("reports unknown keys, a bad sampler, ratio, epoch and cap with their paths and lines", () => {
    const problems = problemsOf(
      fileWith(`tracing:
  sampler: probabilistic
  ratio: 1.5
  epoch: yesterday
  maxTraces: -1
  keepSlowerThan: 5
  sampleRate: 3`),
    );
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(Object.keys(byPath).sort()).toEqual([
      "tracing.epoch",
      "tracing.keepSlowerThan",
      "tracing.maxTraces",
      "tracing.ratio",
      "tracing.sampleRate",
      "tracing.sampler",
    ]);
    expect(byPath["tracing.sampler"].message).toMatch(
      /expected a sampler, one of always_on, always_off, .*parentbased_traceidratio, found string "probabilistic"/,
    );
    expect(byPath["tracing.sampler"].line).toBe(11);
    expect(byPath["tracing.ratio"].message).toMatch(/probability from 0 to 1/);
    expect(byPath["tracing.epoch"].message).toMatch(
      /RFC 3339 instant such as 2026-01-01T00:00:00Z, found "yesterday"/,
    );
    expect(byPath["tracing.maxTraces"].message).toMatch(/integer ≥ 0/);
    expect(byPath["tracing.keepSlowerThan"].message).toMatch(/unit/);
    expect(byPath["tracing.sampleRate"].message).toMatch(
      /is not a field of tracing; expected one of: sampler, ratio, keepErrors, keepSlowerThan, epoch, maxTraces/,
    );
  });

  it("rejects an epoch before 1970 and a date that does not exist", () => {
    expect(problemsOf(fileWith("tracing: { epoch: '1969-12-31T23:59:59Z' }"))[0].message).toMatch(
      /before 1970/,
    );
    expect(problemsOf(fileWith("tracing: { epoch: '2026-02-30T00:00:00Z' }"))[0].message).toMatch(
      /not a real date/,
    );
  });

  it("is in the JSON Schema, with its samplers", () => {
    const schema = scenarioJsonSchema() as {
      properties: Record<string, { properties?: Record<string, { enum?: string[] }> }>;
    };
    expect(schema.properties.tracing.properties!.sampler.enum).toContain(
      "parentbased_traceidratio",
    );
  });
});
