// xxHash64 of short keys (the sizes Envoy's ring and hash policies hash: ring-point keys such as
// "payment-3_517" or "10.0.12.34:8080_1023", request keys such as "userId-4242", and a 37-byte key
// for the 32-byte stripe path): xxhash-wasm (what src/kernel/xxhash64.ts uses), a BigInt-free
// TypeScript XXH64 (bench/xxhash64Words.ts), @node-rs/xxhash when installed
// (`npm i --no-save @node-rs/xxhash@1.7.8`), MurmurHash2-64 and the 32-bit murmur3 of the old
// default. Every XXH64 candidate is first checked equal to the others. Run: npx tsx bench/xxhash64.ts
import { Bench } from "tinybench";
import { murmur2_64Words } from "../src/kernel/murmur2_64.ts";
import { murmur3_32 } from "../src/kernel/murmur3.ts";
import { xxHash64, xxHash64Words } from "../src/kernel/xxhash64.ts";
import { xxHash64Words as ownXxHash64, xxHash64WordsText } from "./xxhash64Words.ts";

const KEYS = [
  "payment-3_517",
  "10.0.12.34:8080_1023",
  "userId-4242",
  "tenant-7/session-0123456789abcdef-xyz",
];
/** Hashes per task iteration, so tinybench's per-iteration overhead is amortised. */
const OPS = 1000;
const words = new Uint32Array(2);
let sink = 0;

type Hash64 = (key: string) => bigint;
const candidates: { name: string; hash: Hash64 }[] = [];

async function optional(name: string): Promise<Record<string, unknown> | null> {
  try {
    return (await import(name)) as Record<string, unknown>;
  } catch {
    console.log(`(${name} not installed: skipped)`);
    return null;
  }
}

candidates.push({ name: "TypeScript XXH64 (bigint)", hash: (k) => ownXxHash64(k) });
const napi = await optional("@node-rs/xxhash");
if (napi !== null) {
  const xxh64 = napi.xxh64 as (s: string) => bigint;
  candidates.push({ name: "@node-rs/xxhash 1.7.8 xxh64 (bigint)", hash: (k) => xxh64(k) });
}

for (const { name, hash } of candidates) {
  for (const key of KEYS) {
    if (hash(key) !== xxHash64(key)) throw new Error(`${name} disagrees on ${JSON.stringify(key)}`);
  }
}

for (const key of KEYS) {
  const bench = new Bench({ time: 400, warmupTime: 100 });
  bench.add("xxhash-wasm 1.1.0 (kernel xxHash64Words)", () => {
    for (let i = 0; i < OPS; i++) {
      xxHash64Words(key, words);
      sink ^= words[1];
    }
  });
  bench.add("TypeScript XXH64 (words)", () => {
    for (let i = 0; i < OPS; i++) {
      xxHash64WordsText(key, words);
      sink ^= words[1];
    }
  });
  bench.add("MurmurHash2-64 (kernel murmur2_64Words)", () => {
    for (let i = 0; i < OPS; i++) {
      murmur2_64Words(key, words);
      sink ^= words[1];
    }
  });
  bench.add("meshsim murmur3_32 (old default)", () => {
    for (let i = 0; i < OPS; i++) sink ^= murmur3_32(key);
  });
  for (const { name, hash } of candidates) {
    bench.add(name, () => {
      for (let i = 0; i < OPS; i++) sink ^= Number(hash(key) & 1n);
    });
  }
  await bench.run();
  console.log(`\n${JSON.stringify(key)} (${Buffer.byteLength(key)} bytes): ns per hash`);
  console.table(
    bench.tasks.map((t) => {
      const r = t.result as { latency?: { p50?: number } } | undefined;
      const p50 = r?.latency?.p50;
      return {
        task: t.name,
        "ns/hash (median)": p50 === undefined ? "?" : ((p50 * 1e6) / OPS).toFixed(1),
      };
    }),
  );
}
if (sink === 0.5) console.log(sink);
