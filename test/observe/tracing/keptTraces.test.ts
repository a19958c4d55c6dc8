// The kept set's heap ranks traces by keys in a typed array: the keys order traces exactly as
// ranksBelow does, and the set kept after any sequence of offers is the `max` best by that order,
// the others let go (their request's slot cleared, their records handed back).
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { EndUserRequest } from "../../../src/model/request.ts";
import {
  KeptTraces,
  rankKey1,
  rankKey2,
  rankKey3,
  ranksBelow,
} from "../../../src/observe/tracing/keptTraces.ts";
import { Resource, Trace, TraceState } from "../../../src/observe/tracing/span.ts";
import { SpanStore } from "../../../src/observe/tracing/spanStore.ts";
import { TraceIdSource } from "../../../src/observe/tracing/traceIds.ts";

const ids = new TraceIdSource(1);
const LOAD = new Resource("load", "load/users/client-0", null);

interface Rank {
  tier: number;
  high: number;
  low: number;
}

// Small domains as well as full ones, so ties on the tier and on each part of the bits come up.
const rankArb: fc.Arbitrary<Rank> = fc.record({
  tier: fc.integer({ min: 0, max: 1 }),
  high: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 ** 24 - 1 })),
  low: fc.oneof(
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    fc.integer({ min: 2 ** 32 - 20, max: 2 ** 32 - 1 }),
  ),
});

function traceOf(rank: Rank, requestId: number, root = 0, request: EndUserRequest | null = null) {
  const trace = new Trace(requestId, rank.high, rank.low, rank.tier === 1, ids, root, request);
  trace.tier = rank.tier;
  return trace;
}

function keysBelow(a: Trace, b: Trace): boolean {
  const [a1, a2, a3] = [rankKey1(a), rankKey2(a), rankKey3(a)];
  const [b1, b2, b3] = [rankKey1(b), rankKey2(b), rankKey3(b)];
  return a1 < b1 || (a1 === b1 && (a2 < b2 || (a2 === b2 && a3 < b3)));
}

describe("the kept traces", () => {
  it("take room for what they keep, not for a cap far above it", () => {
    const store = new SpanStore();
    const kept = new KeptTraces(1e12, store);
    for (let i = 0; i < 100; i++) {
      const root = store.openRoot(i + 1, LOAD, "user.get", 0, 0, false);
      kept.offer(traceOf({ tier: i % 2, high: i, low: 0 }, i, root));
    }
    expect(kept.size).toBe(100);
    expect(kept.overCap).toBe(0);
  });

  fcTest.prop([rankArb, rankArb, fc.nat(), fc.nat()])(
    "rank keys order two traces as ranksBelow does",
    (a, b, idA, idB) => {
      const x = traceOf(a, idA);
      const y = traceOf(b, idB);
      expect(keysBelow(x, y)).toBe(ranksBelow(x, y));
      expect(keysBelow(y, x)).toBe(ranksBelow(y, x));
    },
  );

  fcTest.prop([rankArb, fc.integer({ min: 0, max: 56 }), fc.nat(), fc.nat()])(
    "rank keys tell apart two traces that differ in any one bit of their rank",
    (a, bit, idA, idB) => {
      const b =
        bit < 32
          ? { ...a, low: (a.low ^ (1 << bit)) >>> 0 }
          : bit < 56
            ? { ...a, high: a.high ^ (1 << (bit - 32)) }
            : { ...a, tier: 1 - a.tier };
      const x = traceOf(a, idA);
      const y = traceOf(b, idB);
      expect(keysBelow(x, y)).toBe(ranksBelow(x, y));
      expect(keysBelow(y, x)).toBe(ranksBelow(y, x));
    },
  );

  fcTest.prop([fc.array(rankArb, { maxLength: 60 }), fc.integer({ min: 0, max: 40 })])(
    "keep the `max` best by ranksBelow and let the others go",
    (ranks, max) => {
      const store = new SpanStore(4);
      const kept = new KeptTraces(max, store);
      const offered = ranks.map((rank, i) => {
        const request = new EndUserRequest(i, 0, 0, true, 1, 2);
        const root = store.openRoot(i + 1, LOAD, "user.get", 0, 0, false);
        request.trace = root;
        const trace = traceOf(rank, i, root, request);
        kept.offer(trace);
        return { trace, request };
      });
      const best = offered
        .map((o) => o.trace)
        .sort((a, b) => (ranksBelow(a, b) ? 1 : ranksBelow(b, a) ? -1 : 0))
        .slice(0, max);
      expect(kept.traces().map((t) => t.requestId)).toEqual(
        best.map((t) => t.requestId).sort((a, b) => a - b),
      );
      expect(kept.overCap).toBe(Math.max(0, ranks.length - max));
      for (const { trace, request } of offered) {
        const isKept = best.includes(trace);
        expect(trace.state).toBe(isKept ? TraceState.kept : TraceState.dropped);
        expect(request.trace).toBe(isKept ? trace.root : null);
      }
    },
  );
});
