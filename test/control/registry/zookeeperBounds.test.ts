// ZooKeeper's staleness bounds, derived from its parameters, checked over random settings and
// random fault timelines (kills with or without a restart, hangs of random length, on random
// instances): every proxy drops a dead or hung instance within
//   sessionTimeout + tickTime + D   (the last ping, the expiry tick after ping + timeout, the data watch)
// and lists an instance that came back (a restart, a hang outliving its session) within
//   3 × D + roundTrip               (the child watch's event, getChildren, getData)
// where D = max(pushDelay, roundTrip / 2) is the longest a message from the server takes to reach a
// client when none may overtake an earlier one. Fault times sit on a 2 s grid so that two comebacks
// never share one stretch of unknown endpoints unless they start together (3 × 300 + 100 ms < 2 s).
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import type { ZooKeeperSpec } from "../../../src/control/registry/presets.ts";
import type { FaultSpec } from "../../../src/faults/spec.ts";
import { hangAt, killAt, runDiscovery } from "./discoveryWorld.ts";

const specArb: fc.Arbitrary<ZooKeeperSpec> = fc
  .record({
    tickTimeMs: fc.integer({ min: 200, max: 2_000 }),
    ticks: fc.integer({ min: 2, max: 20 }),
    pushDelayMs: fc.integer({ min: 0, max: 300 }),
    roundTripMs: fc.integer({ min: 0, max: 100 }),
  })
  .map(({ tickTimeMs, ticks, pushDelayMs, roundTripMs }) => ({
    kind: "zookeeper" as const,
    tickTimeMs,
    sessionTimeoutMs: ticks * tickTimeMs,
    pushDelayMs,
    roundTripMs,
  }));

const faultArb: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc
    .record({
      at: fc.integer({ min: 5, max: 40 }),
      restart: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
    })
    .map(({ at, restart }) => killAt(at * 2_000, restart === null ? null : restart * 2_000)),
  fc
    .record({ at: fc.integer({ min: 5, max: 40 }), lasts: fc.integer({ min: 1, max: 30 }) })
    .map(({ at, lasts }) => hangAt(at * 2_000, lasts * 2_000)),
);

/** The longest stretch with some live endpoint missing from the view, from a proxy's timeline. */
function longestUnknownMs(timeline: [number, number, number][], endMs: number): number {
  let longest = 0;
  let since: number | null = null;
  for (const [at, , unknown] of timeline) {
    if (unknown > 0 && since === null) since = at;
    if (unknown === 0 && since !== null) {
      longest = Math.max(longest, at - since);
      since = null;
    }
  }
  return since === null ? longest : Math.max(longest, endMs - since);
}

describe("ZooKeeper staleness over fault timelines", () => {
  fcTest.prop([specArb, fc.array(faultArb, { minLength: 1, maxLength: 4 }), fc.nat(1_000)], {
    numRuns: 100,
  })(
    "every proxy drops the dead within the session bound and finds the returned within the re-read bound",
    (spec, faults, seed) => {
      const d = Math.max(spec.pushDelayMs, spec.roundTripMs / 2);
      const dropBound = spec.sessionTimeoutMs + spec.tickTimeMs + d;
      const findBound = 3 * d + spec.roundTripMs;
      const durationMs = 80_000 + 60_000 + dropBound + 5_000;
      const named = faults.map((f, i) => ({ ...f, name: `${f.name}-${i}` }));
      const result = runDiscovery({
        registry: spec,
        seed,
        durationMs,
        faults: named,
        instances: 6,
      });
      const edge = result.discovery!.edges["load:customers->server"];
      expect(edge.proxies).toBe(12);
      for (const [proxy, view] of Object.entries(edge.perProxy)) {
        expect(view.timelineTruncated).toBe(false);
        // 2 ms: the result keeps 6 significant digits of times up to ~200 000 ms.
        expect(view.longestStaleMs, `${proxy} kept a dead instance`).toBeLessThanOrEqual(
          dropBound + 2,
        );
        expect(
          longestUnknownMs(view.timeline, durationMs),
          `${proxy} missed a live instance`,
        ).toBeLessThanOrEqual(findBound + 2);
      }
    },
  );
});
