import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { murmur3_32 } from "../../src/kernel/murmur3.ts";
import { xxHash64 } from "../../src/kernel/xxhash64.ts";
import { DENSE_KEYS, KeySpace } from "../../src/load/keys.ts";
import type { KeySpec } from "../../src/scenario/types.ts";

function zipfSpace(count: number, exponent: number): KeySpace {
  return new KeySpace({
    name: "userId",
    count,
    distribution: { kind: "zipf", exponent },
  } as KeySpec);
}

/** The first k with cdf[k] > u, by a plain scan of the cumulative law (computed as the source does). */
function scanIndex(count: number, exponent: number, u: number): number {
  const cdf = new Float64Array(count);
  let total = 0;
  for (let k = 0; k < count; k++) cdf[k] = total += 1 / (k + 1) ** exponent;
  for (let k = 0; k < count; k++) cdf[k] /= total;
  cdf[count - 1] = 1;
  for (let k = 0; k < count; k++) if (cdf[k] > u) return k;
  return count - 1;
}

describe("request key spaces", () => {
  fcTest.prop([
    fc.integer({ min: 1, max: 3000 }),
    fc.double({ min: 0.5, max: 2, noNaN: true }),
    fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
      minLength: 1,
      maxLength: 20,
    }),
  ])(
    "find the same Zipf key through the guide table as a plain scan of the distribution",
    (count, exponent, draws) => {
      const space = zipfSpace(count, exponent);
      for (const u of draws) {
        const k = space.index(u);
        expect(k).toBe(scanIndex(count, exponent, u));
      }
    },
  );

  it("hashes the keys of a space past DENSE_KEYS as a small one does, with nothing allocated per key up front", () => {
    const huge = new KeySpace({
      name: "userId",
      count: 2 ** 31 - 1,
      distribution: { kind: "uniform" },
    });
    const small = new KeySpace({ name: "userId", count: 10, distribution: { kind: "uniform" } });
    expect(2 ** 31 - 1).toBeGreaterThan(DENSE_KEYS);
    expect(huge.index(0.999999999)).toBe(2147483644);
    for (const index of [0, 7, 2147483646]) {
      const xx = xxHash64(`userId-${index}`);
      expect(huge.murmur3(index)).toBe(murmur3_32(`userId-${index}`));
      expect(huge.hashHigh(index)).toBe(Number(xx >> 32n));
      expect(huge.hashLow(index)).toBe(Number(xx & 0xffffffffn));
      expect(huge.murmur3(index)).toBe(huge.murmur3(index));
    }
    expect(small.murmur3(7)).toBe(huge.murmur3(7));
    expect(small.hashHigh(7)).toBe(huge.hashHigh(7));
    expect(small.hashLow(7)).toBe(huge.hashLow(7));
  });

  fcTest.prop([
    fc.array(
      fc.record({
        index: fc.integer({ min: 0, max: 49 }),
        which: fc.constantFrom("high", "low", "murmur3"),
      }),
      { minLength: 1, maxLength: 60 },
    ),
  ])("gives each key's hashes whichever is asked for first, and in any order", (asks) => {
    const space = new KeySpace({ name: "userId", count: 50, distribution: { kind: "uniform" } });
    for (const { index, which } of asks) {
      const text = `userId-${index}`;
      const xx = xxHash64(text);
      if (which === "high") expect(space.hashHigh(index)).toBe(Number(xx >> 32n));
      else if (which === "low") expect(space.hashLow(index)).toBe(Number(xx & 0xffffffffn));
      else expect(space.murmur3(index)).toBe(murmur3_32(text));
    }
  });

  it("draws Zipf(1.1) keys with the law's frequencies", () => {
    const count = 100_000;
    const space = zipfSpace(count, 1.1);
    let total = 0;
    for (let k = 0; k < count; k++) total += 1 / (k + 1) ** 1.1;
    const draws = 200_000;
    const hits = new Float64Array(3);
    for (let i = 0; i < draws; i++) {
      const k = space.index((i + 0.5) / draws); // a stratified sweep of [0, 1)
      if (k < 3) hits[k]++;
    }
    for (let k = 0; k < 3; k++) {
      const expected = 1 / (k + 1) ** 1.1 / total;
      expect(Math.abs(hits[k] / draws - expected)).toBeLessThan(1e-4);
    }
  });
});
