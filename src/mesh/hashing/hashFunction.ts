// The hash functions a consistent-hashing table can place its hosts with, by Envoy's names:
// XX_HASH (xxHash64, Envoy's default for ring points and Maglev permutations, and what every Envoy
// hash policy hashes a request key with), MURMUR_HASH_2 (ring hash only: libstdc++'s 64-bit
// std::hash), and MURMUR3_32, meshsim's former hashing (not an Envoy option), kept so a scenario
// can reproduce results from before Envoy's hashes. Every hash is a 64-bit value as (high, low).
import { murmur2_64Words } from "../../kernel/murmur2_64.ts";
import { murmur3_32 } from "../../kernel/murmur3.ts";
import { xxHash64Words } from "../../kernel/xxhash64.ts";

export const HASH_FUNCTIONS = ["XX_HASH", "MURMUR_HASH_2", "MURMUR3_32"] as const;
export type HashFunction = (typeof HASH_FUNCTIONS)[number];
/** Envoy's Maglev has no hash_function setting: XX_HASH, or meshsim's former MURMUR3_32. */
export type MaglevHashFunction = Exclude<HashFunction, "MURMUR_HASH_2">;

/**
 * The hash of `text` (a host key or ring point key) with `seed` (0 or 1: Maglev hashes each host
 * with both), into out[0] (high word) and out[1] (low word). MURMUR3_32 gives 32 bits (high 0);
 * MURMUR_HASH_2 always uses std::hash's seed, as Envoy's ring does.
 */
export function hashWords(fn: HashFunction, text: string, out: Uint32Array, seed = 0): void {
  switch (fn) {
    case "XX_HASH":
      xxHash64Words(text, out, seed === 0 ? 0n : BigInt(seed));
      return;
    case "MURMUR_HASH_2":
      murmur2_64Words(text, out);
      return;
    case "MURMUR3_32":
      out[0] = 0;
      out[1] = murmur3_32(text, seed);
      return;
  }
}
