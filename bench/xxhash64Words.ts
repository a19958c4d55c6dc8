// The candidate meshsim did not take: XXH64 written in TypeScript on uint32 word pairs (no BigInt,
// nothing allocated per hash). Exact (it passes xxHash's sanity vectors, see
// test/kernel/xxhash64.test.ts), but measured about 2x slower than xxhash-wasm on short keys
// (bench/xxhash64.ts), so src/kernel/xxhash64.ts wraps xxhash-wasm. Kept to rerun that comparison.
import { fromBigInt, mulHigh32, toBigInt } from "../src/kernel/uint64.ts";

function addHigh64(ah: number, al: number, bh: number, bl: number): number {
  return (ah + bh + (al + bl > 0xffffffff ? 1 : 0)) >>> 0;
}

// The five 64-bit primes, as (high, low) words.
const P1H = 0x9e3779b1;
const P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d;
const P2L = 0x27d4eb4f;
const P3H = 0x165667b1;
const P3L = 0x9e3779f9;
const P4H = 0x85ebca77;
const P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f;
const P5L = 0x165667c5;

/** The high word of the last result (functions below return the low word and set this). */
let H = 0;

/** (ah, al) · (bh, bl) mod 2^64. */
function mul(ah: number, al: number, bh: number, bl: number): number {
  H = (mulHigh32(al, bl) + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
  return Math.imul(al, bl) >>> 0;
}

/** (ah, al) + (bh, bl) mod 2^64. */
function add(ah: number, al: number, bh: number, bl: number): number {
  H = addHigh64(ah, al, bh, bl);
  return (al + bl) >>> 0;
}

/** Rotates (h, l) left by r in [1, 31]. */
function rotl(h: number, l: number, r: number): number {
  H = ((h << r) | (l >>> (32 - r))) >>> 0;
  return ((l << r) | (h >>> (32 - r))) >>> 0;
}

/** XXH64's round: acc = rotl(acc + input · P2, 31) · P1. */
function round(ah: number, al: number, ih: number, il: number): number {
  let l = mul(ih, il, P2H, P2L);
  l = add(ah, al, H, l);
  l = rotl(H, l, 31);
  return mul(H, l, P1H, P1L);
}

/** XXH64's merge of one accumulator into the hash: h = (h ^ round(0, v)) · P1 + P4. */
function merge(hh: number, hl: number, vh: number, vl: number): number {
  const l = round(0, 0, vh, vl);
  const x = mul((hh ^ H) >>> 0, (hl ^ l) >>> 0, P1H, P1L);
  return add(H, x, P4H, P4L);
}

function word(bytes: Uint8Array, p: number): number {
  return (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
}

/**
 * XXH64 of `bytes[0, length)` with seed (seedHigh, seedLow); writes out[0] = high word and
 * out[1] = low word of the hash.
 */
export function xxHash64WordsInto(
  bytes: Uint8Array,
  length: number,
  out: Uint32Array,
  seedHigh = 0,
  seedLow = 0,
): void {
  let p = 0;
  let hh: number;
  let hl: number;
  if (length >= 32) {
    // Four accumulators over 32-byte stripes.
    let v1l = add(seedHigh, seedLow, P1H, P1L);
    v1l = add(H, v1l, P2H, P2L);
    let v1h = H;
    let v2l = add(seedHigh, seedLow, P2H, P2L);
    let v2h = H;
    let v3h = seedHigh >>> 0;
    let v3l = seedLow >>> 0;
    // seed − P1 = seed + (2^64 − P1).
    let v4l = add(seedHigh, seedLow, 0x61c8864e, 0x7a143579);
    let v4h = H;
    const limit = length - 32;
    do {
      v1l = round(v1h, v1l, word(bytes, p + 4), word(bytes, p));
      v1h = H;
      v2l = round(v2h, v2l, word(bytes, p + 12), word(bytes, p + 8));
      v2h = H;
      v3l = round(v3h, v3l, word(bytes, p + 20), word(bytes, p + 16));
      v3h = H;
      v4l = round(v4h, v4l, word(bytes, p + 28), word(bytes, p + 24));
      v4h = H;
      p += 32;
    } while (p <= limit);
    hl = rotl(v1h, v1l, 1);
    hh = H;
    let tl = rotl(v2h, v2l, 7);
    hl = add(hh, hl, H, tl);
    hh = H;
    tl = rotl(v3h, v3l, 12);
    hl = add(hh, hl, H, tl);
    hh = H;
    tl = rotl(v4h, v4l, 18);
    hl = add(hh, hl, H, tl);
    hh = H;
    hl = merge(hh, hl, v1h, v1l);
    hl = merge(H, hl, v2h, v2l);
    hl = merge(H, hl, v3h, v3l);
    hl = merge(H, hl, v4h, v4l);
    hh = H;
  } else {
    hl = add(seedHigh, seedLow, P5H, P5L);
    hh = H;
  }
  // Lengths fit in 53 bits; the high word of a length below 2^32 is 0.
  hl = add(hh, hl, Math.floor(length / 4294967296), length >>> 0);
  hh = H;

  for (; p + 8 <= length; p += 8) {
    const kl = round(0, 0, word(bytes, p + 4), word(bytes, p));
    hl = rotl((hh ^ H) >>> 0, (hl ^ kl) >>> 0, 27);
    hl = mul(H, hl, P1H, P1L);
    hl = add(H, hl, P4H, P4L);
    hh = H;
  }
  if (p + 4 <= length) {
    const kl = mul(0, word(bytes, p), P1H, P1L);
    hl = rotl((hh ^ H) >>> 0, (hl ^ kl) >>> 0, 23);
    hl = mul(H, hl, P2H, P2L);
    hl = add(H, hl, P3H, P3L);
    hh = H;
    p += 4;
  }
  for (; p < length; p++) {
    const kl = mul(0, bytes[p], P5H, P5L);
    hl = rotl((hh ^ H) >>> 0, (hl ^ kl) >>> 0, 11);
    hl = mul(H, hl, P1H, P1L);
    hh = H;
  }

  // Avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32.
  hl = (hl ^ (hh >>> 1)) >>> 0;
  hl = mul(hh, hl, P2H, P2L);
  hh = H;
  hl = (hl ^ ((hh << 3) | (hl >>> 29))) >>> 0;
  hh = (hh ^ (hh >>> 29)) >>> 0;
  hl = mul(hh, hl, P3H, P3L);
  hh = H;
  hl = (hl ^ hh) >>> 0;
  out[0] = hh;
  out[1] = hl;
}

let buffer = new Uint8Array(256);
const encoder = new TextEncoder();

/** Writes the UTF-8 encoding of `text` into the shared buffer and returns its length. */
export function utf8Bytes(text: string): number {
  const n = text.length;
  if (n * 3 > buffer.length) buffer = new Uint8Array(Math.max(n * 3, buffer.length * 2));
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return encoder.encodeInto(text, buffer).written;
    buffer[i] = c;
  }
  return n;
}

/** The buffer `utf8Bytes` last filled (valid until the next call). */
export function utf8Buffer(): Uint8Array {
  return buffer;
}

/** XXH64 of the UTF-8 bytes of `text`, into out[0] (high word) and out[1] (low word). */
export function xxHash64WordsText(text: string, out: Uint32Array, seedHigh = 0, seedLow = 0): void {
  const length = utf8Bytes(text);
  xxHash64WordsInto(buffer, length, out, seedHigh, seedLow);
}

const scratch = new Uint32Array(2);

/** XXH64 of a string (its UTF-8 bytes) or of bytes, as a bigint; for tests and tools. */
export function xxHash64Words(input: string | Uint8Array, seed: bigint = 0n): bigint {
  const [sh, sl] = fromBigInt(seed);
  if (typeof input === "string") xxHash64WordsText(input, scratch, sh, sl);
  else xxHash64WordsInto(input, input.length, scratch, sh, sl);
  return toBigInt(scratch[0], scratch[1]);
}
