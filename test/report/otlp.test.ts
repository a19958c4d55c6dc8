// traces.otlp.json: the OTLP/JSON shape (resourceSpans → scopeSpans → spans, hex ids, kinds as
// enum integers, times as strings of unix nanoseconds from the fixed epoch), one trace checked
// span by span against times known exactly, a request no route matched, and deterministic bytes.
import { describe, expect, it } from "vitest";
import { constant } from "../../src/kernel/distributions.ts";
import { renderOtlp, toOtlp } from "../../src/report/exports/otlp.ts";
import { runScenarioWithArtefacts } from "../../src/run/runScenario.ts";
import type { CallStep } from "../../src/scenario/types.ts";
import { poissonLoad, scenario, station } from "../helpers/scenarios.ts";
import { EPOCH_MS, flatSpans, otlpViolations, withTracing } from "../helpers/tracing.ts";

const call = (service: string): CallStep => ({
  kind: "call",
  target: { service, operation: "work" },
  probability: 1,
});

// front (10 ms) → parallel [fast (30 ms), slow (50 ms)]; every hop 1 ms each way: 1 + 10 + (1 + 50 + 1) + 1 = 64 ms.
const system = withTracing(
  scenario({
    services: [
      station({
        name: "front",
        serviceTime: constant(10),
        concurrency: 100,
        calls: [{ kind: "parallel", steps: [call("fast"), call("slow")], probability: 1 }],
      }),
      station({ name: "fast", serviceTime: constant(30), concurrency: 100, zones: ["z1"] }),
      station({ name: "slow", serviceTime: constant(50), concurrency: 100 }),
    ],
    load: [poissonLoad(5, "front")],
    durationMs: 10_000,
    latency: constant(1),
  }),
  { sampler: "always_on" },
);

const EPOCH_NS = BigInt(EPOCH_MS) * 1_000_000n;
const ms = (n: number) => BigInt(Math.round(n * 1e6));

describe("the OTLP export", () => {
  const run = runScenarioWithArtefacts(system);
  const otlp = toOtlp(run.traces!);
  const spans = flatSpans(otlp);

  it("is well formed: ids, times, parents, nesting", () => {
    expect(otlpViolations(otlp)).toEqual([]);
    expect(spans.length).toBe(run.result.tracing!.spans);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(run.result.tracing!.traces);
  });

  it("groups spans by resource: one per instance and load client, with service.name and the zone", () => {
    const resources = otlp.resourceSpans.map((rs) =>
      Object.fromEntries(rs.resource.attributes.map((a) => [a.key, Object.values(a.value)[0]])),
    );
    expect(resources).toEqual([
      { "service.name": "fast", "service.instance.id": "fast-0", "cloud.availability_zone": "z1" },
      {
        "service.name": "front",
        "service.instance.id": "front-0",
        "cloud.availability_zone": "default",
      },
      { "service.name": "load:customers", "service.instance.id": "load/customers/client-0" },
      {
        "service.name": "slow",
        "service.instance.id": "slow-0",
        "cloud.availability_zone": "default",
      },
    ]);
    for (const rs of otlp.resourceSpans)
      expect(rs.scopeSpans.map((ss) => ss.scope)).toEqual([{ name: "meshsim" }]);
  });

  it("gives one request the spans a sidecar mesh emits, at the exact simulated times", () => {
    const traceId = spans[0].traceId;
    const trace = spans
      .filter((s) => s.traceId === traceId)
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.kind - b.kind));
    const root = trace.find((s) => s.parentSpanId === undefined)!;
    const t0 = root.start;
    const rel = trace.map((s) => ({
      where: `${s.instance} ${s.kind === 2 ? "SERVER" : "CLIENT"} ${s.name}`,
      startMs: Number(s.start - t0) / 1e6,
      endMs: Number(s.end - t0) / 1e6,
      status: s.attributes["http.response.status_code"],
    }));
    expect(rel).toEqual([
      { where: "load/customers/client-0 CLIENT front.work", startMs: 0, endMs: 64, status: "200" },
      { where: "load/customers/client-0 CLIENT front.work", startMs: 0, endMs: 64, status: "200" },
      { where: "front-0 SERVER front.work", startMs: 1, endMs: 63, status: "200" },
      { where: "front-0 CLIENT fast.work", startMs: 11, endMs: 43, status: "200" },
      { where: "front-0 CLIENT slow.work", startMs: 11, endMs: 63, status: "200" },
      { where: "fast-0 SERVER fast.work", startMs: 12, endMs: 42, status: "200" },
      { where: "slow-0 SERVER slow.work", startMs: 12, endMs: 62, status: "200" },
    ]);
    // The first request is due at its Poisson arrival time; times count from the epoch.
    expect(t0).toBeGreaterThanOrEqual(EPOCH_NS);
    expect(t0 - EPOCH_NS).toBeLessThan(ms(10_000));
    const tryOfFast = trace.find((s) => s.name === "fast.work" && s.kind === 3)!;
    expect(tryOfFast.attributes).toEqual({
      "http.response.status_code": "200",
      "server.address": "fast-0",
    });
    expect(tryOfFast.status).toEqual({ code: 0 });
    expect(root.attributes["meshsim.request_id"]).toBe("0");
  });

  it("is one line of JSON, the same bytes on every run", () => {
    const text = renderOtlp(run.traces!);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.indexOf("\n")).toBe(text.length - 1);
    expect(JSON.parse(text)).toEqual(otlp);
    expect(renderOtlp(runScenarioWithArtefacts(system).traces!)).toBe(text);
  });

  it("counts times from the scenario's epoch", () => {
    const later = runScenarioWithArtefacts({
      ...system,
      tracing: { ...system.tracing!, epochMs: EPOCH_MS + 1000 },
    });
    const first = flatSpans(toOtlp(later.traces!))[0];
    expect(first.start - spans[0].start).toBe(1000n * 1_000_000n);
  });
});

describe("a request no route matches", () => {
  it("ends in a zero-length client span with 404 and outcome no-route, an error on it and on the root", () => {
    const base = system.services[0];
    const routed = {
      ...system,
      services: [
        {
          ...base,
          trafficPolicy: {
            ...base.trafficPolicy,
            routes: [{ match: [{ tier: "vip" }], destinations: [{ subset: null, weight: 100 }] }],
          },
        },
        ...system.services.slice(1),
      ],
      load: [
        {
          ...system.load[0],
          attributes: [{ name: "tier", values: [{ value: "regular", probability: 1 }] }],
        },
      ],
    };
    const run = runScenarioWithArtefacts(routed);
    const otlp = toOtlp(run.traces!);
    expect(otlpViolations(otlp)).toEqual([]);
    const spans = flatSpans(otlp);
    const refused = spans.filter((s) => s.attributes["meshsim.outcome"] === "no-route");
    expect(refused.length).toBe(run.result.load.customers.failed);
    expect(refused.length).toBeGreaterThan(0);
    for (const s of refused) {
      expect(s.end).toBe(s.start);
      expect(s.kind).toBe(3);
      expect(s.status).toEqual({ code: 2, message: "HTTP 404 (no-route)" });
      expect(s.attributes["error.type"]).toBe("no-route");
    }
    const roots = spans.filter((s) => s.parentSpanId === undefined);
    for (const r of roots) expect(r.status).toEqual({ code: 2, message: "HTTP 404" });
  });
});
