import { describe, expect, it } from "vitest";
import { toBigInt } from "../../src/kernel/uint64.ts";
import { xxHash64, xxHash64Bytes, xxHash64Words } from "../../src/kernel/xxhash64.ts";

const PRIME32 = 2654435761n;
const PRIME64 = 11400714785074694797n;

/** xxHash's sanity buffer (cli/xsum_sanity_check.c, XSUM_fillTestBuffer): byte i is the top byte of PRIME32·PRIME64^i. */
function sanityBuffer(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let gen = PRIME32;
  for (let i = 0; i < length; i++) {
    bytes[i] = Number(gen >> 56n);
    gen = (gen * PRIME64) & 0xffffffffffffffffn;
  }
  return bytes;
}

// XSUM_XXH64_testdata of xxHash's cli/xsum_sanity_check.c: (length, seed, XXH64).
const SANITY: [length: number, seed: bigint, hash: bigint][] = [
  [0, 0n, 0xef46db3751d8e999n],
  [0, PRIME32, 0xac75fda2929b17efn],
  [1, 0n, 0xe934a84adb052768n],
  [1, PRIME32, 0x5014607643a9b4c3n],
  [4, 0n, 0x9136a0dca57457een],
  [14, 0n, 0x8282dcc4994e35c8n],
  [14, PRIME32, 0xc3bd6bf63deb6df0n],
  [222, 0n, 0xb641ae8cb691c174n],
  [222, PRIME32, 0x20cb8ab7ae10c14an],
];

// Strings as Envoy hashes them (ring points "<host>_<i>", header values), hashed by the C library
// (libxxhash 0.8.1's XXH64, seeds 0 and 1; Maglev's skip uses seed 1). "héllo wörld €" checks UTF-8.
const STRINGS: [text: string, seed0: bigint, seed1: bigint][] = [
  ["", 0xef46db3751d8e999n, 0xd5afba1336a3be4bn],
  ["abc", 0x44bc2cf5ad770999n, 0xbea9ca8199328908n],
  ["payment-0_0", 0x3b287d5b70644ff1n, 0x12ec464cb5dea543n],
  ["10.0.0.1:8080_1023", 0xa4a23899abf02925n, 0xed3cd02bf8af7733n],
  ["héllo wörld €", 0x196b12c530801127n, 0x3accae94056f1390n],
  ["0123456789abcdefg", 0x8036ee70cd0a1505n, 0x0e436275682c7662n],
  ["userId-42", 0xc07a945e16b745adn, 0xffe57375e0aad439n],
];

describe("xxHash64", () => {
  it.each(SANITY)(
    "hashes %i bytes of xxHash's sanity buffer with seed %s to its vector",
    (length, seed, hash) => {
      expect(xxHash64Bytes(sanityBuffer(length), seed)).toBe(hash);
    },
  );

  it.each(STRINGS)(
    "hashes %j as the C library does, with seed 0 and seed 1",
    (text, seed0, seed1) => {
      expect(xxHash64(text)).toBe(seed0);
      expect(xxHash64(text, 1n)).toBe(seed1);
    },
  );

  it("gives the same value as words (high, low) as as a bigint", () => {
    const out = new Uint32Array(2);
    for (const [text, seed0] of STRINGS) {
      xxHash64Words(text, out);
      expect(toBigInt(out[0], out[1])).toBe(seed0);
    }
  });
});
