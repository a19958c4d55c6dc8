// Trace ids and head sampling: W3C-sized ids from counters, and OTel's TraceIdRatioBased decided
// on the trace id's low 56 bits, so a higher ratio samples a superset of a lower one.

import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { createHeadSampler, TraceIdRatio } from "../../../src/observe/tracing/sampler.ts";
import { TraceId, TraceIdSource, traceIdOf } from "../../../src/observe/tracing/traceIds.ts";
import { spanIdHex } from "../../../src/result/tracing.ts";

describe("trace and span ids", () => {
  it("are 32 and 16 lowercase hex digits, never all zero", () => {
    const ids = new TraceIdSource(2024);
    for (let i = 0; i < 1000; i++) {
      expect(ids.idOf(i).hex).toMatch(/^[0-9a-f]{32}$/);
      expect(ids.idOf(i).hex).not.toMatch(/^0+$/);
    }
    expect(spanIdHex(1)).toBe("0000000000000001");
    expect(spanIdHex(2 ** 40 + 255)).toBe("00000100000000ff");
  });

  it("give every request of a run its own trace id, and another seed other ids", () => {
    const ids = new TraceIdSource(7);
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(ids.idOf(i).hex);
    expect(seen.size).toBe(200_000);
    expect(traceIdOf(8, 0).hex).not.toBe(traceIdOf(7, 0).hex);
    expect(traceIdOf(7, 12345).hex).toBe(ids.idOf(12345).hex);
  });

  fcTest.prop([
    fc.nat(),
    fc.integer({ min: 0, max: 2 ** 32 - 2 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ])(
    "give the random bits and the sampling decision of the whole id without making it",
    (seed, requestId, ratio) => {
      const ids = new TraceIdSource(seed);
      const id = ids.idOf(requestId);
      const high = ids.randomHighOf(requestId);
      const low = ids.randomLowOf(requestId);
      expect([high, low]).toEqual([id.randomHigh, id.randomLow]);
      expect(ids.randomLowBitsOf(requestId)).toBe(id.randomLow | 0);
      const sampler = new TraceIdRatio(ratio);
      expect(sampler.sampledRandom(high, low)).toBe(sampler.sampled(id));
      expect(sampler.sampledRequest(ids, requestId)).toBe(sampler.sampled(id));
      // At the threshold's own top 24 bits the low 32 decide.
      const tie = new TraceIdRatio(1 - (high * 2 ** 32 + (low ^ 1)) / 2 ** 56);
      expect(tie.sampledRequest(ids, requestId)).toBe(tie.sampled(id));
    },
  );
});

describe("TraceIdRatioBased", () => {
  it("samples when the low 56 bits reach 2^56 - ratio·2^56, exactly at the boundary", () => {
    const half = new TraceIdRatio(0.5);
    // Threshold 2^55: high 24 bits 0x800000, low 32 bits 0.
    expect(half.sampled(new TraceId(0, 0, 0xff800000, 0))).toBe(true);
    expect(half.sampled(new TraceId(0xffffffff, 0xffffffff, 0xff7fffff, 0xffffffff))).toBe(false);
    const tiny = new TraceIdRatio(2 ** -56);
    expect(tiny.sampled(new TraceId(0, 0, 0x00ffffff, 0xffffffff))).toBe(true);
    expect(tiny.sampled(new TraceId(0, 0, 0x00ffffff, 0xfffffffe))).toBe(false);
  });

  it("samples none at 0 and all at 1; always_on and always_off ignore the ratio", () => {
    const ids = new TraceIdSource(1);
    const count = (sampler: { sampled(id: TraceId): boolean }) => {
      let n = 0;
      for (let i = 0; i < 5000; i++) if (sampler.sampled(ids.idOf(i))) n++;
      return n;
    };
    expect(count(new TraceIdRatio(0))).toBe(0);
    expect(count(new TraceIdRatio(1))).toBe(5000);
    expect(count(createHeadSampler("always_on", 0))).toBe(5000);
    expect(count(createHeadSampler("always_off", 1))).toBe(0);
    expect(count(createHeadSampler("parentbased_traceidratio", 0.3))).toBe(
      count(new TraceIdRatio(0.3)),
    );
  });

  it("samples about `ratio` of the requests (within 4 standard errors)", () => {
    const ids = new TraceIdSource(99);
    const n = 200_000;
    for (const ratio of [0.001, 0.01, 0.1, 0.5]) {
      const sampler = new TraceIdRatio(ratio);
      let kept = 0;
      for (let i = 0; i < n; i++) if (sampler.sampled(ids.idOf(i))) kept++;
      const sd = Math.sqrt(n * ratio * (1 - ratio));
      expect(Math.abs(kept - n * ratio), `ratio ${ratio}: kept ${kept}`).toBeLessThan(4 * sd);
    }
  });

  fcTest.prop([
    fc.nat(),
    fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  ])("a higher ratio samples a superset of a lower one", (seed, requestId, a, b) => {
    const [low, high] = a <= b ? [a, b] : [b, a];
    const id = traceIdOf(seed, requestId);
    if (new TraceIdRatio(low).sampled(id)) expect(new TraceIdRatio(high).sampled(id)).toBe(true);
  });
});
