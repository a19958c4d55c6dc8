import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { LruCache } from "../../src/model/lruCache.ts";

describe("the LRU key cache", () => {
  it("evicts the least recently used key", () => {
    const cache = new LruCache(2);
    expect(cache.touch(1)).toBe(false);
    expect(cache.touch(2)).toBe(false);
    expect(cache.touch(1)).toBe(true); // 2 is now the least recent
    expect(cache.touch(3)).toBe(false); // evicts 2
    expect(cache.touch(1)).toBe(true);
    expect(cache.touch(2)).toBe(false);
    expect(cache.size).toBe(2);
  });

  // Keys around the dense-index limit (2^20) and beyond 2^32 (a second key name) take the Map path.
  const key = fc
    .integer({ min: 0, max: 17 })
    .map((k) => (k % 3 === 0 ? k : k % 3 === 1 ? k + 2 ** 20 - 9 : k + 2 ** 32));
  fcTest.prop([fc.integer({ min: 1, max: 8 }), fc.array(key, { maxLength: 200 })])(
    "agrees with a reference list-based LRU on any sequence of keys, small or large",
    (capacity, keys) => {
      const cache = new LruCache(capacity);
      let reference: number[] = [];
      for (const key of keys) {
        const hit = reference.includes(key);
        reference = [...reference.filter((k) => k !== key), key].slice(-capacity);
        expect(cache.touch(key)).toBe(hit);
      }
      expect(cache.size).toBe(reference.length);
    },
  );
});
