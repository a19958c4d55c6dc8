// Jump consistent hash (Lamping & Veach 2014, arXiv:1406.2294): key → bucket in [0, n) such that going
// from n to n + 1 buckets moves only keys into the new bucket, about 1/(n + 1) of them. The 64-bit LCG
// key·2862933555777941757 + 1 runs on two uint32 halves (16-bit partial products, no BigInt); the jump
// uses doubles as the paper's C++ does. Buckets change only at the end, so it shards; it is no balancer.

const MUL_HI = 0x27bb2ee6; // 2862933555777941757 = 0x27BB2EE6_87B0B0FD
const MUL_LO = 0x87b0b0fd;
const TWO_32 = 4294967296;
const TWO_31 = 2147483648;

/** High 32 bits of the 64-bit product of two uint32 values. */
function mulHigh32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const cross1 = a1 * b0;
  const cross2 = a0 * b1;
  // Every term stays below 2^34, so the double sums are exact.
  const low = a0 * b0 + (cross1 % 65536) * 65536 + (cross2 % 65536) * 65536;
  return (
    (a1 * b1 +
      Math.floor(cross1 / 65536) +
      Math.floor(cross2 / 65536) +
      Math.floor(low / TWO_32)) >>>
    0
  );
}

/**
 * The bucket of `key` among `buckets`. `key` is a non-negative safe integer (e.g. a uint32 hash) or
 * a bigint in [0, 2^64); `buckets` an integer in [1, 2^31].
 */
export function jumpHash(key: number | bigint, buckets: number): number {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > TWO_31) {
    throw badBuckets(buckets);
  }
  let hi: number;
  let lo: number;
  if (typeof key === "bigint") {
    if (key < 0n || key >= 1n << 64n) throw badKey("in [0, 2^64)", key);
    hi = Number(key >> 32n);
    lo = Number(key & 0xffffffffn);
  } else {
    if (!Number.isSafeInteger(key) || key < 0) throw badKey("a non-negative safe integer", key);
    hi = Math.floor(key / TWO_32);
    lo = key >>> 0;
  }
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    // key = key · MUL + 1 (mod 2^64)
    const nextHi = (mulHigh32(lo, MUL_LO) + Math.imul(lo, MUL_HI) + Math.imul(hi, MUL_LO)) >>> 0;
    const nextLo = Math.imul(lo, MUL_LO) >>> 0;
    lo = (nextLo + 1) >>> 0;
    hi = lo === 0 ? (nextHi + 1) >>> 0 : nextHi;
    // j = (b + 1) · 2^31 / ((key >> 33) + 1), and key >> 33 is the top 31 bits of the high word.
    j = Math.floor((b + 1) * (TWO_31 / ((hi >>> 1) + 1)));
  }
  return b;
}

// Built out of line, as lint/no-inline-error-text.grit asks of hot paths: jumpHash runs per pick.
function badKey(rule: string, key: number | bigint): Error {
  return new Error(`jumpHash key must be ${rule}, got ${key}`);
}

function badBuckets(buckets: number): Error {
  return new Error(`jumpHash buckets must be an integer in [1, 2^31], got ${buckets}`);
}
