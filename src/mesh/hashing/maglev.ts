// Maglev lookup table (Eisenbud et al., NSDI 2016, §3.4) with Envoy's weighted fill (maglev_lb.cc):
// host k (in key order) has offset = xxHash64(k) mod M and skip = xxHash64(k, seed 1) mod (M − 1) + 1;
// in rounds r = 1, 2, … a host whose r · weight >= its target claims its next free permutation slot
// and adds the largest weight to its target. Lookup is table[hash mod M] over the 64-bit hash.
// Leaves out the retry-attempt rehash.
import { mod64 } from "../../kernel/uint64.ts";
import { hashWords, type MaglevHashFunction } from "./hashFunction.ts";
import { type HashHost, idOrder } from "./hosts.ts";

/** An immutable Maglev table (by contract: typed arrays cannot be frozen). */
export interface MaglevTable {
  /** M, a prime. */
  readonly size: number;
  /** Owner of each slot: an index into the `hosts` given to `buildMaglev`. */
  readonly entries: Int32Array;
  /** Slots per host, by host index (Envoy's min/max_entries_per_host gauges come from these). */
  readonly entriesPerHost: Int32Array;
}

/** Envoy's limit on `table_size`. */
export const MAXIMUM_MAGLEV_TABLE_SIZE = 5_000_011;

/**
 * The table for `hosts` (by key, i.e. id). `tableSize` M: a prime (Envoy `table_size`; its default
 * is in scenario/defaults.ts). `hashFunction` is XX_HASH, as in Envoy (which has no other), or
 * MURMUR3_32, meshsim's former hashing, which also fills with raw weights.
 */
export function buildMaglev(
  hosts: readonly HashHost[],
  tableSize: number,
  hashFunction: MaglevHashFunction,
): MaglevTable {
  checkTableSize(tableSize);
  const order = idOrder(hosts, "maglev");
  const n = order.length;
  const m = tableSize;
  // Per host, in key order (Envoy sorts by key): its next permutation slot, skip, weight and target.
  const slot = new Float64Array(n);
  const skip = new Float64Array(n);
  const weight = new Float64Array(n);
  const target = new Float64Array(n);
  const words = new Uint32Array(2);
  // Envoy fills with normalised weights, weight / sum, with its float rounding; meshsim's former
  // fill used raw weights (the same decisions whenever the float sums are exact).
  const sum = hashFunction === "XX_HASH" ? hosts.reduce((s, h) => s + h.weight, 0) : 1;
  let maxWeight = 0;
  for (let k = 0; k < n; k++) {
    const host = hosts[order[k]];
    hashWords(hashFunction, host.id, words, 0);
    slot[k] = mod64(words[0], words[1], m);
    hashWords(hashFunction, host.id, words, 1);
    skip[k] = mod64(words[0], words[1], m - 1) + 1;
    weight[k] = host.weight / sum;
    maxWeight = Math.max(maxWeight, weight[k]);
  }

  // A host of the largest weight takes a slot every round; one of a third of it every third
  // round. Round 1 seats every host once, whatever its weight.
  const entries = new Int32Array(m).fill(-1);
  const entriesPerHost = new Int32Array(hosts.length);
  let filled = 0;
  for (let round = 1; filled < m; round++) {
    for (let k = 0; k < n && filled < m; k++) {
      if (round * weight[k] < target[k]) continue;
      target[k] += maxWeight;
      // Walk this host's permutation (offset + skip · j) mod M to its next free slot; M prime
      // makes the walk visit every slot, so it ends while the table has room.
      let c = slot[k];
      while (entries[c] !== -1) c = c + skip[k] >= m ? c + skip[k] - m : c + skip[k];
      entries[c] = order[k];
      entriesPerHost[order[k]]++;
      slot[k] = c + skip[k] >= m ? c + skip[k] - m : c + skip[k];
      filled++;
    }
  }
  return { size: m, entries, entriesPerHost };
}

/** The host (index into the hosts given to `buildMaglev`) that serves the 64-bit hash (high, low). */
export function maglevLookup(table: MaglevTable, high: number, low: number): number {
  return table.entries[mod64(high, low, table.size)];
}

/** Checks that `size` is a prime within Envoy's limit. */
export function checkTableSize(size: number): void {
  if (!Number.isInteger(size) || size < 2 || size > MAXIMUM_MAGLEV_TABLE_SIZE || !isPrime(size)) {
    throw new Error(
      `maglev tableSize must be a prime in [2, ${MAXIMUM_MAGLEV_TABLE_SIZE}] (e.g. 65537), got ${size}`,
    );
  }
}

/** Trial division; table sizes are at most about 5·10^6, so at most ~1,100 odd divisors. */
export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}
