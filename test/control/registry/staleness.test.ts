// The staleness bookkeeping of one proxy's view against a worked timeline, and the guarantees
// around it: no registry means no discovery in the result and nothing installed on the proxies;
// with one, a run is byte-for-byte repeatable and views adopted without change rebuild nothing.
import { describe, expect, test } from "vitest";
import { StalenessPair } from "../../../src/control/registry/staleness.ts";
import { resultJson } from "../../../src/run/files.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { buildWorld } from "../../../src/scenario/build.ts";
import { EUREKA_DEFAULTS, KUBERNETES_DEFAULTS } from "../../../src/scenario/defaults.ts";
import { discoveryScenario, killAt } from "./discoveryWorld.ts";

describe("one proxy's staleness", () => {
  test("counts stale and unknown endpoints over time, with their maxima, means and the longest stale stay", () => {
    const truth = Uint8Array.from([1, 1, 1]);
    const pair = new StalenessPair("a", "b", "a-0", truth, Uint8Array.from([1, 1, 0]), 0);
    // At 0: instance 2 is live but unknown.
    truth[0] = 0; // instance 0 dies at 10 s
    pair.truthChanged(0, 10_000);
    pair.setKnown(Uint8Array.from([1, 1, 1]), 20_000); // instance 2 becomes known at 20 s
    pair.setKnown(Uint8Array.from([0, 1, 1]), 40_000); // instance 0 leaves the view at 40 s
    const r = pair.result(100_000);
    expect(r.staleMax).toBe(1);
    expect(r.staleMean).toBeCloseTo(30_000 / 100_000, 12); // stale from 10 s to 40 s
    expect(r.unknownMax).toBe(1);
    expect(r.unknownMean).toBeCloseTo(20_000 / 100_000, 12); // unknown from 0 to 20 s
    expect(r.longestStaleMs).toBe(30_000);
  });

  test("an instance still stale at the end counts up to the end", () => {
    const truth = Uint8Array.from([1, 1]);
    const pair = new StalenessPair("a", "b", "a-0", truth, null, 5_000);
    truth[1] = 0;
    pair.truthChanged(1, 15_000);
    const r = pair.result(60_000);
    expect(r.longestStaleMs).toBe(45_000);
    expect(r.staleMean).toBeCloseTo(45_000 / 55_000, 12);
  });

  test("a dead instance that recovers while in the view ends its stale stay then", () => {
    const truth = Uint8Array.from([1]);
    const pair = new StalenessPair("a", "b", "a-0", truth, null, 0);
    truth[0] = 0;
    pair.truthChanged(0, 1_000);
    truth[0] = 1;
    pair.truthChanged(0, 4_000);
    expect(pair.result(10_000).longestStaleMs).toBe(3_000);
  });
});

describe("discovery in a run", () => {
  test("without a registry the result has no discovery and no proxy carries a registry client", () => {
    const s = discoveryScenario({ registry: null, seed: 1, durationMs: 5_000 });
    const world = buildWorld(s);
    expect(world.discovery).toBeNull();
    expect(world.proxies.every((p) => p.control === null)).toBe(true);
    expect(runScenario(s).discovery).toBeNull();
  });

  test("the same scenario and seed give the same bytes", () => {
    for (const registry of [EUREKA_DEFAULTS, KUBERNETES_DEFAULTS]) {
      const s = discoveryScenario({
        registry,
        seed: 11,
        durationMs: 400_000,
        faults: [killAt(30_000)],
      });
      expect(resultJson(runScenario(s))).toBe(resultJson(runScenario(s)));
    }
  });

  test("the load's requests are the same with and without a registry until the first view goes stale", () => {
    // Discovery draws only from registry/... streams, so it moves no other component's draws.
    const s = discoveryScenario({ registry: null, seed: 12, durationMs: 20_000 });
    const withRegistry = discoveryScenario({
      registry: EUREKA_DEFAULTS,
      seed: 12,
      durationMs: 20_000,
    });
    const a = runScenario(s);
    const b = runScenario(withRegistry);
    expect(b.load).toEqual(a.load);
    expect(b.edges).toEqual(a.edges);
    expect(b.services).toEqual(a.services);
  });
});
