// Locality failover and slow start in whole runs: which instance each try went to, as the sending
// proxy decided it, counted through the model observer's callSent hook.
import { describe, expect, it } from "vitest";
import type { Call } from "../../src/model/call.ts";
import type { Instance } from "../../src/model/instance.ts";
import { summarise } from "../../src/run/result.ts";
import { buildWorld } from "../../src/scenario/build.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

interface Sent {
  atMs: number;
  fromZone: string | null;
  proxy: string;
  instance: Instance;
}

/** Runs the scenario and returns every try the front's sidecars (or any proxy) sent, in order. */
function runRecording(yaml: string) {
  const scenario = parseScenario(yaml, "t.yaml");
  const world = buildWorld(scenario);
  const sent: Sent[] = [];
  const original = world.stats.callSent.bind(world.stats);
  world.stats.callSent = (source, attempt: Call, instance: Instance) => {
    const proxy = attempt.sender;
    sent.push({ atMs: world.scheduler.now, fromZone: proxy.zone, proxy: proxy.name, instance });
    original(source, attempt, instance);
  };
  world.scheduler.run(scenario.durationMs, scenario.maxEvents);
  return { sent, result: summarise(world, "duration") };
}

const twoZones = (locality: string) => `version: 1
name: locality
seed: 7
duration: 40s
services:
  front:
    instances: 2
    zones: [a, b]
    threading: async
    concurrency: 64
    operations:
      work:
        serviceTime: exp(1ms)
        calls: [ { call: back.read } ]
  back:
    instances: 4
    zones: [a, b]
    concurrency: 8
    operations:
      read: { serviceTime: exp(2ms) }
mesh:
  defaults:
    retries: { attempts: 0 }
    connectTimeout: 100ms
    outlierDetection: { consecutive5xxErrors: 3, interval: 1s, baseEjectionTime: 60s, maxEjectionPercent: 100 }
${locality}
load:
  - name: shoppers
    executor: constant-arrival-rate
    rate: 200
    target: front.work
    clients: 2
`;

describe("Istio locality failover in the loop", () => {
  it("keeps every try in the caller's zone while it is healthy (Istio's default with outlier detection)", () => {
    const { sent } = runRecording(twoZones(""));
    const fromFront = sent.filter((s) => s.fromZone !== null);
    expect(fromFront.length).toBeGreaterThan(5_000);
    expect(fromFront.every((s) => s.fromZone === s.instance.zone)).toBe(true);
    // Clients outside every zone balance over both zones' fronts.
    const fromClients = sent.filter((s) => s.fromZone === null);
    expect(new Set(fromClients.map((s) => s.instance.zone))).toEqual(new Set(["a", "b"]));
  });

  it("spreads over both zones with locality off, or without outlier detection (as Istio does)", () => {
    const off = runRecording(
      twoZones("  services:\n    back: { localityLbSetting: { enabled: false } }"),
    );
    const noOutlier = runRecording(twoZones("").replace(/ {4}outlierDetection:.*\n/, ""));
    for (const { sent } of [off, noOutlier]) {
      const fromFront = sent.filter((s) => s.fromZone !== null);
      const cross =
        fromFront.filter((s) => s.fromZone !== s.instance.zone).length / fromFront.length;
      expect(cross).toBeGreaterThan(0.45);
      expect(cross).toBeLessThan(0.55);
    }
  });

  it("fails over to the other zone once outlier detection ejects the local hosts, and comes back after", () => {
    // The fronts all run in zone a; a partition cuts them from zone a's backs (not from zone b's).
    const yaml = twoZones("")
      .replace("    zones: [a, b]\n    threading", "    zones: [a]\n    threading")
      .replace("baseEjectionTime: 60s", "baseEjectionTime: 2s")
      .concat(
        `faults:
  - name: fronts-lose-zone-a
    kind: partition
    at: 10s
    duration: 20s
    target: { between: [{ service: front }, { zones: [a] }] }
`,
      );
    const { sent } = runRecording(yaml);
    const fromFront = sent.filter((s) => s.fromZone !== null);
    const localShare = (from: number, to: number) => {
      const window = fromFront.filter((s) => s.atMs >= from && s.atMs < to);
      expect(window.length).toBeGreaterThan(500);
      return window.filter((s) => s.instance.zone === "a").length / window.length;
    };
    expect(localShare(0, 10_000)).toBe(1);
    // Ejected hosts come back after 2, 4, 6 s (Envoy: base × times ejected) and fail again. Each
    // return sends every try to zone a again until three connect failures, 100 ms (the connect
    // timeout) later: ~20 tries per front per return, 3-4 returns each, of ~3,200 tries: about 5%.
    expect(localShare(13_000, 29_000)).toBeLessThan(0.06);
    expect(localShare(35_000, 40_000)).toBe(1);
  });
});

describe("Envoy slow start in the loop", () => {
  const restarted = (slowStart: string) => `version: 1
name: slow-start
seed: 11
duration: 60s
services:
  back:
    instances: 4
    concurrency: 16
    lifecycle: { startupTime: 1s }
    operations:
      read: { serviceTime: exp(2ms) }
mesh:
  defaults:
    loadBalancer: { policy: round-robin${slowStart} }
load:
  - name: shoppers
    executor: constant-arrival-rate
    rate: 400
    target: back.read
    clients: 4
faults:
  - name: kill-one
    kind: pod-kill
    at: 10s
    target: { service: back, mode: one }
`;

  /** The restarted pod's share of the tries in [from, to) ms after it became ready. */
  function shareAfterReady(yaml: string, windows: [number, number][]): number[] {
    const { sent, result } = runRecording(yaml);
    const ready = result.stateChanges.find(
      (c) => c.component.startsWith("pod ") && c.to === "ready" && c.atMs > 10_000,
    )!;
    expect(ready).toBeDefined();
    const pod = ready.component.slice("pod ".length);
    return windows.map(([from, to]) => {
      const window = sent.filter((s) => s.atMs >= ready.atMs + from && s.atMs < ready.atMs + to);
      return window.filter((s) => s.instance.id === pod).length / window.length;
    });
  }

  it("ramps the restarted pod's share as weight × age / window (round robin, 20 s window)", () => {
    // Age 1-3 s: factor 0.1 (the floor) -> share 0.1 / 3.1 = 3.2%; age 9-11 s: ~0.5 -> 14%; after 20 s: 25%.
    const [early, middle, late] = shareAfterReady(
      restarted(", slowStartConfig: { slowStartWindow: 20s }"),
      [
        [1_000, 3_000],
        [9_000, 11_000],
        [22_000, 30_000],
      ],
    );
    expect(early).toBeGreaterThan(0.02);
    expect(early).toBeLessThan(0.045);
    expect(middle).toBeGreaterThan(0.12);
    expect(middle).toBeLessThan(0.16);
    expect(Math.abs(late - 0.25)).toBeLessThan(0.01);
  });

  it("gives the restarted pod its full share at once without slow start", () => {
    const [early] = shareAfterReady(restarted(""), [[1_000, 3_000]]);
    expect(Math.abs(early - 0.25)).toBeLessThan(0.01);
  });
});

/** Fronts in us-east's zone e1; backs in e2 (us-east), w1 (eu-west) and p1 (ap-south). */
const threeRegions = (setting: string, outlier = true) => `version: 1
name: regions
seed: 7
duration: 30s
regions: { us-east: [e1, e2], eu-west: [w1], ap-south: [p1] }
services:
  front:
    instances: 2
    zones: [e1]
    threading: async
    concurrency: 64
    operations:
      work:
        serviceTime: exp(1ms)
        calls: [ { call: back.read } ]
  back:
    instances: 6
    zones: [e2, w1, p1]
    concurrency: 8
    operations:
      read: { serviceTime: exp(2ms) }
mesh:
  defaults:
    retries: { attempts: 0 }
    connectTimeout: 100ms
${outlier ? "    outlierDetection: { consecutive5xxErrors: 3, interval: 1s, baseEjectionTime: 60s, maxEjectionPercent: 100 }" : ""}
    localityLbSetting: ${setting}
load:
  - name: shoppers
    executor: constant-arrival-rate
    rate: 200
    target: front.work
    clients: 2
faults:
  - name: us-east-backs-lost
    kind: partition
    at: 10s
    duration: 20s
    target: { between: [{ service: front }, { zones: [e2] }] }
`;

describe("Istio locality across regions in the loop", () => {
  /** Share of the fronts' tries in [from, to) ms that went to each region's zone. */
  function zoneShares(yaml: string, from: number, to: number): Record<string, number> {
    const { sent } = runRecording(yaml);
    const window = sent.filter((s) => s.fromZone !== null && s.atMs >= from && s.atMs < to);
    const out: Record<string, number> = {};
    for (const s of window) out[s.instance.zone] = (out[s.instance.zone] ?? 0) + 1 / window.length;
    return out;
  }

  it("stays in its own region, then fails over only to the region `failover` names", () => {
    const yaml = threeRegions("{ failover: [{ from: us-east, to: eu-west }] }");
    const before = zoneShares(yaml, 0, 10_000);
    expect(Object.keys(before)).toEqual(["e2"]);
    const after = zoneShares(yaml, 12_000, 30_000);
    expect(after.w1).toBeGreaterThan(0.99); // a few tries to e2 before three connect failures eject it
    expect(after.p1).toBeUndefined();
  });

  it("without a failover rule spreads the failed-over traffic over both other regions", () => {
    const after = zoneShares(threeRegions("{}"), 12_000, 30_000);
    expect(after.w1).toBeGreaterThan(0.4);
    expect(after.p1).toBeGreaterThan(0.4);
  });

  it("applies distribute without outlier detection (Istio), priorities only with it", () => {
    // 50/50 between eu-west and ap-south from us-east: a binomial share over ~2,000 tries in the
    // first 10 s, sd = sqrt(0.25 / 2000) = 0.011; 4 sd = 0.045.
    const distribute = threeRegions(
      "{ distribute: [{ from: us-east/*, to: { eu-west: 50, ap-south: 50 } }] }",
      false,
    );
    const shares = zoneShares(distribute, 0, 10_000);
    expect(shares.e2).toBeUndefined();
    expect(Math.abs(shares.w1 - 0.5)).toBeLessThan(0.045);
    // The same failover rule without outlier detection programs no priorities: all three regions.
    const noOutlier = zoneShares(
      threeRegions("{ failover: [{ from: us-east, to: eu-west }] }", false),
      0,
      10_000,
    );
    expect(Object.keys(noOutlier).sort()).toEqual(["e2", "p1", "w1"]);
  });
});
