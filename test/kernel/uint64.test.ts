import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { fromBigInt, mod64, mulHigh32, toBigInt } from "../../src/kernel/uint64.ts";

const uint32 = fc.nat({ max: 0xffffffff });

describe("uint64 words", () => {
  fcTest.prop([uint32, uint32])("mulHigh32 is the high word of the exact product", (a, b) => {
    expect(mulHigh32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
  });

  it("mulHigh32 is exact at the extremes", () => {
    expect(mulHigh32(0xffffffff, 0xffffffff)).toBe(0xfffffffe);
    expect(mulHigh32(0x80000000, 2)).toBe(1);
    expect(mulHigh32(0, 0xffffffff)).toBe(0);
  });

  fcTest.prop([uint32, uint32, fc.integer({ min: 1, max: 2 ** 32 })])(
    "mod64 is the exact remainder",
    (high, low, m) => {
      expect(mod64(high, low, m)).toBe(Number(toBigInt(high, low) % BigInt(m)));
    },
  );

  fcTest.prop([fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })])(
    "bigint round-trips through words",
    (v) => {
      const [high, low] = fromBigInt(v);
      expect(toBigInt(high, low)).toBe(v);
    },
  );

  it("rejects a bigint outside [0, 2^64)", () => {
    expect(() => fromBigInt(-1n)).toThrow(/not a uint64/);
    expect(() => fromBigInt(1n << 64n)).toThrow(/not a uint64/);
  });
});
