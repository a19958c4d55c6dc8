// The toolkit's arbitraries: every generated scenario validates and runs, and every generated fault
// timeline validates against its scenario and aims only at things the scenario has.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { faultTimeline, usableKinds } from "../../src/testing/arbitraries/faultTimeline.ts";
import { scenario } from "../../src/testing/arbitraries/scenario.ts";
import { trafficPolicy } from "../../src/testing/arbitraries/trafficPolicy.ts";
import { fromDocument, fromFile } from "../../src/testing/source.ts";

/** What a timeline may aim at in `doc`'s scenario: service names, edges `from->to`, zones. */
function targetsOf(source: ReturnType<typeof fromDocument>) {
  const s = source.scenario();
  const services = new Set(s.services.map((x) => x.name));
  const zones = new Set(s.services.flatMap((x) => x.zones));
  return { s, services, zones };
}

describe("the scenario() arbitrary", () => {
  it("generates documents that validate and run, with acyclic call graphs and the constraints held", () => {
    fc.assert(
      fc.property(scenario({ maxServices: 4, maxInstances: 3, maxDurationS: 4 }), (doc) => {
        const parsed = fromDocument(doc).scenario();
        expect(parsed.services.length).toBeLessThanOrEqual(4);
        for (const s of parsed.services) expect(s.instances).toBeLessThanOrEqual(3);
        const result = runScenario(parsed);
        const users = result.load.users;
        expect(users.completed + users.failed + users.inFlight).toBe(users.offered);
      }),
      { numRuns: 25, seed: 17 },
    );
  });

  it("refuses constraints it cannot meet, naming them", () => {
    expect(() => scenario({ maxServices: 0 })).toThrow(/maxServices/);
    expect(() => scenario({ zones: [] })).toThrow(/zones/);
  });
});

describe("the trafficPolicy() arbitrary", () => {
  it("generates policies that validate as mesh.defaults of a real scenario", () => {
    const base = fromFile("scenarios/tandem.yaml");
    fc.assert(
      fc.property(trafficPolicy(), (policy) => {
        expect(() => base.with("mesh.defaults", policy).scenario()).not.toThrow();
      }),
      { numRuns: 50, seed: 5 },
    );
  });
});

describe("the faultTimeline() arbitrary", () => {
  it("aims every fault at the scenario's own services, instances, zones and edges, and the file validates with them", () => {
    fc.assert(
      fc.property(
        scenario({ maxDurationS: 4 }).chain((doc) => {
          const source = fromDocument(doc);
          return faultTimeline(source.scenario(), { maxFaults: 4 }).map(
            (faults) => [source, faults] as const,
          );
        }),
        ([source, faults]) => {
          const { s, services, zones } = targetsOf(source);
          expect(faults.length).toBeLessThanOrEqual(4);
          for (const f of faults) {
            const at = Number.parseInt(String(f.at), 10);
            expect(at).toBeGreaterThanOrEqual(s.warmupMs);
            expect(at).toBeLessThan(s.durationMs);
            const target = (f.target ?? {}) as Record<string, unknown>;
            if (typeof target.service === "string") expect(services).toContain(target.service);
            if (Array.isArray(target.zones))
              for (const z of target.zones) expect(zones).toContain(z);
            const edge = target.edge as { from: string; to: string } | undefined;
            if (edge !== undefined) {
              expect(services).toContain(edge.to);
              if (!edge.from.startsWith("load:")) expect(services).toContain(edge.from);
            }
          }
          const withFaults = source.withFaults(faults).scenario();
          expect(withFaults.faults.length).toBe(faults.length);
          runScenario(withFaults);
        },
      ),
      { numRuns: 25, seed: 29 },
    );
  });

  it("uses only the kinds it is given and the window it is given", () => {
    const base = fromFile("scenarios/fragile-checkout.yaml").scenario();
    const timelines = fc.sample(
      faultTimeline(base, { kinds: ["pod-kill", "delay"], within: { from: "5s", to: "10s" } }),
      { numRuns: 100, seed: 3 },
    );
    const faults = timelines.flat();
    expect(faults.length).toBeGreaterThan(50);
    for (const f of faults) {
      expect(["pod-kill", "delay"]).toContain(f.kind);
      const at = Number.parseInt(String(f.at), 10);
      expect(at).toBeGreaterThanOrEqual(5000);
      expect(at).toBeLessThanOrEqual(10000);
    }
  });

  it("refuses an unknown fault kind by name, and drops kinds the scenario cannot take", () => {
    const base = fromFile("scenarios/fragile-checkout.yaml").scenario();
    expect(() => faultTimeline(base, { kinds: ["pod-kil"] })).toThrow(
      /unknown fault kind "pod-kil"/,
    );
    expect(usableKinds(base)).not.toContain("registry-outage");
    expect(() => faultTimeline(base, { kinds: ["registry-outage"] })).toThrow(
      /none of the fault kinds/,
    );
  });

  it("keeps within maxInstances: no zone-wide partition, no more instances than allowed", () => {
    const base = fromFile("scenarios/fragile-checkout.yaml").scenario();
    const faults = fc
      .sample(faultTimeline(base, { maxInstances: 1, maxFaults: 5 }), { numRuns: 100, seed: 8 })
      .flat();
    for (const f of faults) {
      const target = (f.target ?? {}) as Record<string, unknown>;
      expect(target.zones).toBeUndefined();
      expect(target.mode === "all").toBe(false);
      if (target.mode === "fixed") expect(target.value).toBe(1);
    }
  });
});
