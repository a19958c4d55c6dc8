// MurmurHash2, 64-bit (Appleby's MurmurHash64A as libstdc++'s std::hash<std::string> runs it on
// 64-bit Linux, seed 0xc70f6907): Envoy's MurmurHash::murmurHash2, the ring-hash alternative
// `hash_function: MURMUR_HASH_2` (for rings that must match an older std::hash-based ketama ring).
// Over the UTF-8 bytes of a string, on uint32 word pairs; little-endian loads as on x86-64.
import { mulHigh32, toBigInt } from "./uint64.ts";

/** libstdc++'s seed for std::hash, and Envoy's STD_HASH_SEED. */
export const STD_HASH_SEED = 0xc70f6907;
const MH = 0xc6a4a793;
const ML = 0x5bd1e995;

let H = 0;

/** (ah, al) · m mod 2^64, m = 0xc6a4a7935bd1e995. */
function mulM(ah: number, al: number): number {
  H = (mulHigh32(al, ML) + Math.imul(ah, ML) + Math.imul(al, MH)) >>> 0;
  return Math.imul(al, ML) >>> 0;
}

/** v ^ (v >> 47), for v = (h, l). */
function shiftMix(h: number, l: number): number {
  H = h;
  return (l ^ (h >>> 15)) >>> 0;
}

function word(bytes: Uint8Array, p: number): number {
  return (bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24)) >>> 0;
}

/** MurmurHash2-64 of `bytes[0, length)` with a 32-bit seed, into out[0] (high) and out[1] (low). */
export function murmur2_64Into(
  bytes: Uint8Array,
  length: number,
  out: Uint32Array,
  seed = STD_HASH_SEED,
): void {
  // hash = seed ^ (len · m)
  let hl = mulM(Math.floor(length / 4294967296), length >>> 0);
  let hh = H;
  hl = (hl ^ seed) >>> 0;
  const aligned = length - (length & 7);
  for (let p = 0; p < aligned; p += 8) {
    let dl = mulM(word(bytes, p + 4), word(bytes, p));
    dl = shiftMix(H, dl);
    dl = mulM(H, dl);
    hl = mulM((hh ^ H) >>> 0, (hl ^ dl) >>> 0);
    hh = H;
  }
  const rest = length & 7;
  if (rest !== 0) {
    // The last 1–7 bytes as a little-endian integer.
    let dh = 0;
    let dl = 0;
    for (let i = rest - 1; i >= 0; i--) {
      dh = ((dh << 8) | (dl >>> 24)) >>> 0;
      dl = ((dl << 8) | bytes[aligned + i]) >>> 0;
    }
    hl = mulM((hh ^ dh) >>> 0, (hl ^ dl) >>> 0);
    hh = H;
  }
  hl = shiftMix(hh, hl);
  hl = mulM(H, hl);
  hl = shiftMix(H, hl);
  out[0] = H;
  out[1] = hl;
}

let buffer = new Uint8Array(256);
const encoder = new TextEncoder();

/** MurmurHash2-64 of the UTF-8 bytes of `text`, into out[0] (high) and out[1] (low). */
export function murmur2_64Words(text: string, out: Uint32Array, seed = STD_HASH_SEED): void {
  if (text.length * 3 > buffer.length) buffer = new Uint8Array(text.length * 3);
  const length = encoder.encodeInto(text, buffer).written;
  murmur2_64Into(buffer, length, out, seed);
}

const scratch = new Uint32Array(2);

/** MurmurHash2-64 of a string's UTF-8 bytes, as a bigint; for tests and tools. */
export function murmur2_64(text: string, seed = STD_HASH_SEED): bigint {
  murmur2_64Words(text, scratch, seed);
  return toBigInt(scratch[0], scratch[1]);
}
