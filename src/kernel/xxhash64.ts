// XXH64 (Yann Collet's xxHash64) of a string's UTF-8 bytes: Envoy's HashUtil::xxHash64, the default
// hash of its RING_HASH ring points and MAGLEV permutations and of every route hash policy. Computed
// by xxhash-wasm (exact: test/kernel/xxhash64.test.ts checks xxHash's sanity vectors; about 2x
// faster on short keys than a TypeScript version, bench/xxhash64.ts). Leaves out XXH32 and XXH3.
import xxhash from "xxhash-wasm";

// Instantiating the WebAssembly module is asynchronous, once per process (or worker thread).
const { h64, h64Raw } = await xxhash();

/** XXH64 of the UTF-8 bytes of `text` with a 64-bit seed (Envoy's default seed is 0). */
export function xxHash64(text: string, seed = 0n): bigint {
  return h64(text, seed);
}

/** XXH64 of `text` into out[0] (high word) and out[1] (low word). */
export function xxHash64Words(text: string, out: Uint32Array, seed = 0n): void {
  const hash = h64(text, seed);
  out[0] = Number(hash >> 32n);
  out[1] = Number(hash & 0xffffffffn);
}

/** XXH64 of raw bytes (which need not be UTF-8), for tests and tools. */
export function xxHash64Bytes(bytes: Uint8Array, seed = 0n): bigint {
  return h64Raw(bytes, seed);
}
