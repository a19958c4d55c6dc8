import { describe, expect, it } from "vitest";
import { murmur2_64, murmur2_64Words, STD_HASH_SEED } from "../../src/kernel/murmur2_64.ts";
import { toBigInt } from "../../src/kernel/uint64.ts";

// std::hash<std::string> of g++ on x86-64 Linux (libstdc++'s _Hash_bytes, seed 0xc70f6907), which is
// what Envoy's MurmurHash::murmurHash2 reproduces for `hash_function: MURMUR_HASH_2`. The strings
// cover each tail length 0-7, a whole 8-byte block plus a tail, and multi-byte UTF-8.
const STD_HASH: [text: string, hash: bigint][] = [
  ["", 0x553e93901e462a6en],
  ["a", 0x454ddee488c1ed6bn],
  ["abc", 0x32d82bf8ed3dba39n],
  ["payment-0_0", 0x48243a58bd6f092fn],
  ["10.0.0.1:8080_1023", 0x1d1755169540982fn],
  ["héllo wörld €", 0x7f7d00e997e81a15n],
  ["0123456789abcdefg", 0x1e959b991607e7f0n],
  ["userId-42", 0xe38a7c3f84129102n],
  ["host-a_0", 0xe4c22ca06751b992n],
];

describe("murmur2_64", () => {
  it("uses libstdc++'s std::hash seed", () => {
    expect(STD_HASH_SEED).toBe(0xc70f6907);
  });

  it.each(STD_HASH)("hashes %j as g++'s std::hash<std::string> does", (text, hash) => {
    expect(murmur2_64(text)).toBe(hash);
    const out = new Uint32Array(2);
    murmur2_64Words(text, out);
    expect(toBigInt(out[0], out[1])).toBe(hash);
  });
});
