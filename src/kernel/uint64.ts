// Unsigned 64-bit values as pairs of uint32 words (high, low), for the 64-bit hashes Envoy uses
// (xxHash64, MurmurHash2-64): products and remainders without BigInt, so a lookup allocates nothing,
// and conversions to and from bigint for tests and messages.

const TWO_32 = 4294967296;

/**
 * The high word of the 64-bit product of two uint32 values. The double product is within 2^11 of
 * the true one and the subtraction adds at most 2^10 more, so rounding the quotient is exact.
 */
export function mulHigh32(a: number, b: number): number {
  return Math.round((a * b - (Math.imul(a, b) >>> 0)) / TWO_32);
}

/** (high · 2^32 + low) mod m, for an integer m in [1, 2^32]; every step stays below 2^53. */
export function mod64(high: number, low: number, m: number): number {
  const h = ((((high >>> 0) % m) * 65536) % m) * 65536;
  return (h + (low >>> 0)) % m;
}

/** A 64-bit value as a bigint. */
export function toBigInt(high: number, low: number): bigint {
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

/** A bigint in [0, 2^64) as [high, low] words. */
export function fromBigInt(value: bigint): [number, number] {
  if (value < 0n || value >= 1n << 64n) throw new RangeError(`not a uint64: ${value}`);
  return [Number(value >> 32n), Number(value & 0xffffffffn)];
}
