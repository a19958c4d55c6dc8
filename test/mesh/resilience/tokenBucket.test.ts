// Envoy's local rate limit token bucket, under both refill laws. Mirrors
// src/mesh/resilience/tokenBucket.ts. fast-check prints its seed on failure; pass { seed } to
// test.prop to replay one.
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { TokenBucket, type TokenRefill } from "../../../src/mesh/resilience/tokenBucket.ts";

const T0 = 1_000;

function consumeMany(bucket: TokenBucket, nowMs: number, count: number): boolean[] {
  return Array.from({ length: count }, () => bucket.tryConsume(nowMs));
}

describe.each<TokenRefill>(["continuous", "interval"])("a %s token bucket", (refill) => {
  it("starts full: admits a burst of maxTokens at once, then refuses", () => {
    const bucket = new TokenBucket(
      { maxTokens: 5, tokensPerFill: 1, fillIntervalMs: 1000, refill },
      T0,
    );
    expect(consumeMany(bucket, T0, 6)).toEqual([true, true, true, true, true, false]);
    expect([bucket.admitted, bucket.rejected]).toEqual([5, 1]);
  });

  it("gets its next token exactly one fill interval after being drained at creation", () => {
    const bucket = new TokenBucket(
      { maxTokens: 2, tokensPerFill: 1, fillIntervalMs: 100, refill },
      T0,
    );
    consumeMany(bucket, T0, 2);
    expect(bucket.tryConsume(T0 + 99)).toBe(false);
    expect(bucket.tryConsume(T0 + 100)).toBe(true);
    expect(bucket.tryConsume(T0 + 100)).toBe(false);
  });

  it("never holds more than maxTokens, however long it idles", () => {
    const bucket = new TokenBucket(
      { maxTokens: 3, tokensPerFill: 2, fillIntervalMs: 10, refill },
      T0,
    );
    expect(bucket.available(T0 + 1e9)).toBe(3);
    expect(consumeMany(bucket, T0 + 1e9, 4)).toEqual([true, true, true, false]);
  });

  it("under saturating demand admits exactly maxTokens plus tokensPerFill per interval", () => {
    // Ten calls per ms for 10 s at 5 tokens / 100 ms: 10 burst tokens + 100 fills of 5.
    const bucket = new TokenBucket(
      { maxTokens: 10, tokensPerFill: 5, fillIntervalMs: 100, refill },
      0,
    );
    let admitted = 0;
    for (let t = 0; t <= 10_000; t++)
      for (let i = 0; i < 10; i++) if (bucket.tryConsume(t)) admitted++;
    expect(admitted).toBe(10 + 5 * 100);
  });

  it("refuses time that goes backwards, a sign of a scheduling bug", () => {
    const bucket = new TokenBucket(
      { maxTokens: 1, tokensPerFill: 1, fillIntervalMs: 100, refill },
      T0,
    );
    bucket.tryConsume(T0 + 50);
    expect(() => bucket.tryConsume(T0 + 49)).toThrow(/time went backwards: 1049 ms after 1050 ms/);
  });

  const run = fc.record({
    maxTokens: fc.integer({ min: 1, max: 20 }),
    tokensPerFill: fc.integer({ min: 1, max: 10 }),
    fillIntervalMs: fc.integer({ min: 1, max: 500 }),
    gapsMs: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 200 }),
  });
  propTest.prop([run])("admits at most maxTokens plus the fills due by each call", (c) => {
    const bucket = new TokenBucket({ ...c, refill }, T0);
    let t = T0;
    let admitted = 0;
    for (const gap of c.gapsMs) {
      t += gap;
      if (bucket.tryConsume(t)) admitted++;
      const elapsed = t - T0;
      const fills =
        refill === "interval"
          ? c.tokensPerFill * Math.floor(elapsed / c.fillIntervalMs)
          : Math.floor((elapsed * c.tokensPerFill) / c.fillIntervalMs);
      expect(admitted).toBeLessThanOrEqual(c.maxTokens + fills);
    }
  });
});

describe("the two refill laws", () => {
  it("interval adds tokensPerFill at once at ticks counted from creation, not from the last call", () => {
    const bucket = new TokenBucket(
      { maxTokens: 5, tokensPerFill: 3, fillIntervalMs: 100, refill: "interval" },
      0,
    );
    consumeMany(bucket, 50, 5);
    expect(bucket.available(99)).toBe(0);
    expect(bucket.available(100)).toBe(3);
    expect(bucket.available(250)).toBe(5);
  });

  it("continuous accrues between ticks: a tenth of an interval gives a tenth of tokensPerFill, in whole tokens", () => {
    const bucket = new TokenBucket(
      { maxTokens: 10, tokensPerFill: 10, fillIntervalMs: 1000, refill: "continuous" },
      0,
    );
    consumeMany(bucket, 0, 10);
    expect(bucket.available(99)).toBe(0);
    expect(bucket.available(100)).toBe(1);
    expect(bucket.available(550)).toBe(5);
  });

  it("continuous is Envoy's current law and the default", () => {
    const bucket = new TokenBucket({ maxTokens: 1, tokensPerFill: 2, fillIntervalMs: 100 }, 0);
    bucket.tryConsume(0);
    expect(bucket.available(50)).toBe(1);
  });
});

describe("token bucket configs", () => {
  it("are rejected with the field named when Envoy would reject them", () => {
    const make =
      (config: object, at = 0) =>
      () =>
        new TokenBucket({ maxTokens: 1, tokensPerFill: 1, fillIntervalMs: 100, ...config }, at);
    expect(make({ maxTokens: 0 })).toThrow(/maxTokens must be an integer >= 1, got 0/);
    expect(make({ maxTokens: 1.5 })).toThrow(RangeError);
    expect(make({ tokensPerFill: 0 })).toThrow(/tokensPerFill must be an integer >= 1/);
    expect(make({ fillIntervalMs: 0 })).toThrow(/fillIntervalMs must be a finite number > 0/);
    expect(make({ fillIntervalMs: Infinity })).toThrow(RangeError);
    expect(make({ refill: "leaky" })).toThrow(/refill must be "continuous" or "interval"/);
    expect(make({}, Number.NaN)).toThrow(/creation time must be finite/);
  });
});
