// Which traces a run keeps: the head sampler's, plus (tail sampling) every trace with an error
// span and every request slower than keepSlowerThan, decided when the request ends; at most
// maxTraces of them, chosen by a fixed rule (tail-kept first, then the trace id's random bits).
import { describe, expect, it } from "vitest";
import { exponential } from "../../../src/kernel/distributions.ts";
import { toOtlp } from "../../../src/report/exports/otlp.ts";
import { runScenarioWithArtefacts } from "../../../src/run/runScenario.ts";
import type { TracingSpec } from "../../../src/scenario/types.ts";
import { poissonLoad, scenario, station } from "../../helpers/scenarios.ts";
import { flatSpans, otlpViolations, withTracing } from "../../helpers/tracing.ts";

// One M/M/1-ish server (ρ = 0.5) whose calls fail 5% of the time: errors and a long latency tail.
const system = scenario({
  services: [station({ serviceTime: exponential(10), errorRate: 0.05 })],
  load: [poissonLoad(50)],
  durationMs: 60_000,
});

interface KeptRoot {
  traceId: string;
  durationNs: bigint;
  failed: boolean;
  errored: boolean;
}

/** The kept traces of a run: their roots' duration and status, and whether any span errored. */
function keptTraces(tracing: Partial<TracingSpec>) {
  const run = runScenarioWithArtefacts(withTracing(system, tracing));
  const otlp = toOtlp(run.traces!);
  expect(otlpViolations(otlp)).toEqual([]);
  const spans = flatSpans(otlp);
  const roots = new Map<string, KeptRoot>();
  for (const s of spans) {
    if (s.parentSpanId !== undefined) continue;
    roots.set(s.traceId, {
      traceId: s.traceId,
      durationNs: s.end - s.start,
      failed: s.status.code === 2,
      errored: false,
    });
  }
  for (const s of spans) if (s.status.code === 2) roots.get(s.traceId)!.errored = true;
  return { result: run.result, roots };
}

const all = keptTraces({ sampler: "always_on" });

describe("tail sampling", () => {
  it("keeps every request's trace with always_on and room enough", () => {
    const load = all.result.load.customers;
    expect(all.roots.size).toBe(load.completed + load.failed);
    expect([...all.roots.values()].filter((r) => r.failed).length).toBe(load.failed);
    expect(load.failed).toBeGreaterThan(50);
  });

  it("with always_off keeps exactly the traces that errored", () => {
    const { roots, result } = keptTraces({ sampler: "always_off", keepErrors: true });
    const expected = [...all.roots.values()].filter((r) => r.errored).map((r) => r.traceId);
    expect([...roots.keys()].sort()).toEqual(expected.sort());
    expect(result.tracing!.tailSampled).toBe(expected.length);
    expect(result.tracing!.headSampled).toBe(0);
  });

  it("keeps exactly the requests slower than keepSlowerThan", () => {
    const { roots } = keptTraces({
      sampler: "always_off",
      keepErrors: false,
      keepSlowerThanMs: 60,
    });
    const expected = [...all.roots.values()]
      .filter((r) => r.durationNs > 60_000_000n)
      .map((r) => r.traceId);
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.length).toBeLessThan(all.roots.size / 5);
    expect([...roots.keys()].sort()).toEqual(expected.sort());
  });

  it("keeps nothing with always_off and no tail rule, and the head sample alone without tail rules", () => {
    expect(keptTraces({ sampler: "always_off", keepErrors: false }).roots.size).toBe(0);
    const { roots } = keptTraces({
      sampler: "parentbased_traceidratio",
      ratio: 0.1,
      keepErrors: false,
    });
    expect([...roots.values()].some((r) => r.errored)).toBe(true); // errors the head sampler happened to choose
    expect(roots.size).toBeGreaterThan(0.07 * all.roots.size);
    expect(roots.size).toBeLessThan(0.13 * all.roots.size);
  });

  it("keeps a superset of a lower ratio's traces at a higher ratio", () => {
    const low = keptTraces({
      sampler: "parentbased_traceidratio",
      ratio: 0.05,
      keepErrors: false,
    }).roots;
    const high = keptTraces({
      sampler: "parentbased_traceidratio",
      ratio: 0.2,
      keepErrors: false,
    }).roots;
    expect(low.size).toBeGreaterThan(0);
    expect(high.size).toBeGreaterThan(2 * low.size);
    for (const id of low.keys()) expect(high.has(id)).toBe(true);
  });
});

describe("the maxTraces cap", () => {
  /** The 56 random bits OTel samples on: the trace id's last 14 hex digits. */
  const randomness = (traceId: string) => BigInt(`0x${traceId.slice(18)}`);

  it("keeps errored traces first, then those with the highest random bits", () => {
    const cap = 200;
    const { roots, result } = keptTraces({
      sampler: "always_on",
      keepErrors: true,
      maxTraces: cap,
    });
    const ranked = [...all.roots.values()].sort((a, b) => {
      if (a.errored !== b.errored) return a.errored ? -1 : 1;
      const ra = randomness(a.traceId);
      const rb = randomness(b.traceId);
      return ra > rb ? -1 : ra < rb ? 1 : 0;
    });
    expect(roots.size).toBe(cap);
    expect([...roots.keys()].sort()).toEqual(
      ranked
        .slice(0, cap)
        .map((r) => r.traceId)
        .sort(),
    );
    expect(result.tracing!.overCap).toBe(all.roots.size - cap);
  });

  it("acts like a lower ratio when only the head sampler chose: the kept set is a ratio's sample", () => {
    const { roots } = keptTraces({ sampler: "always_on", keepErrors: false, maxTraces: 100 });
    const lowest = [...roots.keys()].map(randomness).reduce((a, b) => (a < b ? a : b));
    const above = [...all.roots.keys()].filter((id) => randomness(id) >= lowest);
    expect(above.sort()).toEqual([...roots.keys()].sort());
  });
});
