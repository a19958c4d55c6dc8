import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { murmur3_32, murmur3_32_bytes, murmur3_32_int } from "../../src/kernel/murmur3.ts";

// Commonly published MurmurHash3 x86_32 vectors (the widely quoted Stack Overflow table of test
// vectors, and the values in the brief), each recomputed with an independent Python transcription of
// the reference before being written here. "ππππππππ" is 16 UTF-8 bytes of two-byte sequences.
const VECTORS: [text: string, seed: number, hash: number][] = [
  ["", 0, 0x00000000],
  ["", 1, 0x514e28b7],
  ["", 0xffffffff, 0x81f16f39],
  ["hello", 0, 0x248bfa47],
  ["The quick brown fox jumps over the lazy dog", 0, 0x2e4ff723],
  ["The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd],
  ["Hello, world!", 1234, 0xfaf6cdb3],
  ["Hello, world!", 0x9747b28c, 0x24884cba],
  ["aaaa", 0x9747b28c, 0x5a97808a],
  ["a", 0x9747b28c, 0x7fa09ea6],
  ["ab", 0x9747b28c, 0x74875592],
  ["abc", 0x9747b28c, 0xc84a62dd],
  ["ππππππππ", 0x9747b28c, 0xd58063c1],
];

const littleEndian = (v: number) =>
  Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);

describe("murmur3_32", () => {
  it.each(VECTORS)("hashes %j with seed %i to the published value", (text, seed, hash) => {
    expect(murmur3_32(text, seed)).toBe(hash);
    expect(murmur3_32_bytes(new TextEncoder().encode(text), seed)).toBe(hash);
  });

  it("hashes a string with three- and four-byte UTF-8 sequences as its UTF-8 bytes", () => {
    // 'é' and 'ö' take 2 bytes, '€' 3 and '🙂' (a surrogate pair in UTF-16) 4.
    expect(murmur3_32("héllo wörld 🙂")).toBe(0xa8c3b41a);
    expect(murmur3_32("€🙂")).toBe(
      murmur3_32_bytes(Uint8Array.of(0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x99, 0x82)),
    );
  });

  const anyText = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    // Arbitrary UTF-16 code units, lone surrogates included (they encode as U+FFFD).
    fc
      .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 })
      .map((units) => String.fromCharCode(...units)),
  );

  fcTest.prop([anyText, fc.integer({ min: 0, max: 0xffffffff })])(
    "hashes any string exactly as the reference does its TextEncoder UTF-8 bytes",
    (text, seed) => {
      expect(murmur3_32(text, seed)).toBe(murmur3_32_bytes(new TextEncoder().encode(text), seed));
    },
  );

  fcTest.prop([anyText, fc.integer()])(
    "returns an unsigned 32-bit integer and takes the seed modulo 2^32",
    (text, seed) => {
      const h = murmur3_32(text, seed);
      expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
      expect(murmur3_32(text, seed >>> 0)).toBe(h);
    },
  );
});

describe("murmur3_32_int", () => {
  fcTest.prop([
    fc.integer({ min: -0x80000000, max: 0xffffffff }),
    fc.integer({ min: 0, max: 0xffffffff }),
  ])(
    "hashes a 32-bit key as its 4 little-endian bytes, the same for int32 and uint32 with one bit pattern",
    (value, seed) => {
      expect(murmur3_32_int(value, seed)).toBe(murmur3_32_bytes(littleEndian(value), seed));
      expect(murmur3_32_int(value >>> 0, seed)).toBe(murmur3_32_int(value | 0, seed));
    },
  );

  it("matches the reference on fixed keys", () => {
    // Recomputed with the independent Python transcription.
    expect(murmur3_32_int(0)).toBe(0x2362f9de);
    expect(murmur3_32_int(0x12345678)).toBe(0xec3dcb62);
    expect(murmur3_32_int(0xffffffff, 7)).toBe(0x736263b2);
  });
});
