// MurmurHash3 x86_32 (Appleby's public-domain SMHasher reference) over the UTF-8 bytes of a string,
// over raw bytes, and over one 32-bit integer taken as 4 little-endian bytes; results are unsigned.
// It is meshsim's one fixed hash (ring points, Maglev permutations, request keys), never an engine's
// string hash. Leaves out the 128-bit variants. Lone surrogates encode as U+FFFD, as TextEncoder does.
import { fmix32 } from "./keyedDraws.ts";

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function scramble(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixBlock(h: number, k: number): number {
  h ^= scramble(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's 32-bit finaliser (shared with the kernel's keyed draws). */
export { fmix32 };

/** MurmurHash3 x86_32 of `bytes`; `seed` is taken modulo 2^32. */
export function murmur3_32_bytes(bytes: Uint8Array, seed = 0): number {
  let h = seed | 0;
  const blocks = bytes.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    h = mixBlock(h, bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  }
  let tail = 0;
  for (let i = bytes.length - 1; i >= blocks; i--) tail = (tail << 8) | bytes[i];
  if (bytes.length > blocks) h ^= scramble(tail);
  return fmix32(h ^ bytes.length);
}

/**
 * MurmurHash3 x86_32 of the UTF-8 encoding of `text`, streamed code point by code point so that
 * nothing is allocated.
 */
export function murmur3_32(text: string, seed = 0): number {
  let h = seed | 0;
  let word = 0; // bytes gathered for the next block, first byte lowest
  let shift = 0; // bits of `word` filled
  let length = 0; // UTF-8 bytes seen
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const low = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (cp <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      } else {
        cp = 0xfffd;
      }
    }
    // The code point's UTF-8 bytes, first byte lowest, and how many there are.
    let utf8: number;
    let count: number;
    if (cp < 0x80) {
      utf8 = cp;
      count = 1;
    } else if (cp < 0x800) {
      utf8 = 0xc0 | (cp >>> 6) | ((0x80 | (cp & 0x3f)) << 8);
      count = 2;
    } else if (cp < 0x10000) {
      utf8 =
        0xe0 | (cp >>> 12) | ((0x80 | ((cp >>> 6) & 0x3f)) << 8) | ((0x80 | (cp & 0x3f)) << 16);
      count = 3;
    } else {
      utf8 =
        0xf0 |
        (cp >>> 18) |
        ((0x80 | ((cp >>> 12) & 0x3f)) << 8) |
        ((0x80 | ((cp >>> 6) & 0x3f)) << 16) |
        ((0x80 | (cp & 0x3f)) << 24);
      count = 4;
    }
    length += count;
    for (let b = 0; b < count; b++) {
      word |= ((utf8 >>> (8 * b)) & 0xff) << shift;
      shift += 8;
      if (shift === 32) {
        h = mixBlock(h, word);
        word = 0;
        shift = 0;
      }
    }
  }
  if (shift > 0) h ^= scramble(word);
  return fmix32(h ^ length);
}

/**
 * MurmurHash3 x86_32 of one 32-bit integer key as 4 little-endian bytes (its low 32 bits, so a
 * uint32 and the int32 with the same bits hash alike).
 */
export function murmur3_32_int(value: number, seed = 0): number {
  return fmix32(mixBlock(seed | 0, value | 0) ^ 4);
}
