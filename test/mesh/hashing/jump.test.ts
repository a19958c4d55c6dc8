import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { murmur3_32_int } from "../../../src/kernel/murmur3.ts";
import { jumpHash } from "../../../src/mesh/hashing/jump.ts";

/** The paper's C++ function, transcribed with BigInt for the 64-bit arithmetic. */
function paperJump(key: bigint, buckets: number): number {
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    key = (key * 2862933555777941757n + 1n) & 0xffffffffffffffffn;
    j = Math.floor((b + 1) * (2 ** 31 / (Number(key >> 33n) + 1)));
  }
  return b;
}

describe("jump consistent hash", () => {
  // From dgryski/go-jump's jump_test.go, "generated from the reference C++ code": buckets 1, 2, …
  const VECTORS: [bigint, number[]][] = [
    [0n, Array(20).fill(0)],
    [1n, [0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 17, 17]],
    [0xdeadbeefn, [0, 1, 2, 3, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 16, 16, 16]],
    [0x0ddc0ffeebadf00dn, [0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 15, 15, 15, 15]],
  ];

  it.each(VECTORS)(
    "maps key %s to the reference implementation's buckets for n = 1, 2, …",
    (key, buckets) => {
      expect(buckets.map((_, i) => jumpHash(key, i + 1))).toEqual(buckets);
      if (key <= BigInt(Number.MAX_SAFE_INTEGER))
        expect(buckets.map((_, i) => jumpHash(Number(key), i + 1))).toEqual(buckets);
    },
  );

  fcTest.prop([
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    fc.integer({ min: 1, max: 2 ** 31 }),
  ])(
    "agrees with a BigInt transcription of the paper for any 64-bit key and bucket count",
    (key, buckets) => {
      const b = jumpHash(key, buckets);
      expect(b).toBe(paperJump(key, buckets));
      expect(b >= 0 && b < buckets).toBe(true);
    },
  );

  fcTest.prop([fc.maxSafeNat(), fc.integer({ min: 1, max: 1000 })])(
    "takes a safe-integer key as the same 64-bit value",
    (key, buckets) => {
      expect(jumpHash(key, buckets)).toBe(jumpHash(BigInt(key), buckets));
    },
  );

  // A key moves from n to n + 1 buckets only into bucket n, and does so with probability 1/(n+1)
  // (the paper's claim for uniformly random 64-bit keys). Over K keys the count moved is
  // Binomial(K, 1/(n+1)); the tolerance is 5 standard errors, sqrt(K·p(1−p)).
  const KEYS = 20_000;
  fcTest.prop([fc.integer({ min: 2, max: 50 }), fc.integer({ min: 0, max: 0xffffffff })], {
    numRuns: 40,
  })(
    "moves about 1/(n+1) of keys when a bucket is added to n, all into the new bucket",
    (n, seed) => {
      let moved = 0;
      let betweenOld = 0;
      for (let k = 0; k < KEYS; k++) {
        const key = murmur3_32_int(k, seed) * 2 ** 21 + (murmur3_32_int(k, ~seed) >>> 11);
        const after = jumpHash(key, n + 1);
        if (after !== jumpHash(key, n)) {
          moved++;
          if (after !== n) betweenOld++;
        }
      }
      expect(betweenOld).toBe(0);
      const p = 1 / (n + 1);
      expect(Math.abs(moved - KEYS * p)).toBeLessThanOrEqual(5 * Math.sqrt(KEYS * p * (1 - p)));
    },
  );

  it("rejects keys and bucket counts outside its domain", () => {
    expect(() => jumpHash(1, 0)).toThrow(/buckets must be an integer in \[1, 2\^31\]/);
    expect(() => jumpHash(1, 2 ** 31 + 1)).toThrow(/buckets/);
    expect(() => jumpHash(-1, 3)).toThrow(/non-negative safe integer/);
    expect(() => jumpHash(2 ** 53, 3)).toThrow(/non-negative safe integer/);
    expect(() => jumpHash(1n << 64n, 3)).toThrow(/\[0, 2\^64\)/);
  });
});
