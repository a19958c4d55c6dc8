// A memo of one hashing table's answers by request key (not Envoy's, which hashes every request's
// header: the same answers, fewer cache misses): for an immutable table (a ring or a Maglev table,
// shared by every proxy that sees the same hosts) and a load's key space, the host each key index
// maps to, so a key seen before costs one byte read instead of its hash words' lookup (a cache miss
// in a table of 10^5 keys and more) and the table's search. A change of membership, weights or
// health gives another host set, hence another table and its own memo: nothing is ever stale.
import type { KeyHashes } from "../../model/request.ts";

/** Key spaces up to this size are memoised (a byte per key, per table and key space). */
export const MEMO_KEYS = 1 << 20;

/** Hosts are kept as index + 1 in a byte (0: not looked up yet), so tables of up to 255 hosts. */
export const MEMO_HOSTS = 255;

/** The host of a 64-bit hash (high, low), as an index into the table's hosts. */
export type TableLookup = (high: number, low: number) => number;

export class KeyMemo {
  /** The key space looked up last, and its memo (null: that space is not memoised). */
  private keys: KeyHashes | null = null;
  private hosts: Uint8Array | null = null;
  /** Every key space's memo so far, by identity (a table can serve several loads' keys). */
  private readonly memos = new Map<KeyHashes, Uint8Array | null>();

  constructor(
    private readonly lookup: TableLookup,
    /** How many hosts the table has: past MEMO_HOSTS nothing is memoised. */
    private readonly hostCount: number,
    /** Whether the table hashes keys with meshsim's former 32-bit murmur3 (high word 0). */
    private readonly murmur3: boolean,
  ) {}

  /** The host the table gives key `index` of `keys`: the table's lookup of the key's hash. */
  host(keys: KeyHashes, index: number): number {
    const memo = keys === this.keys ? this.hosts : this.memoFor(keys);
    if (memo === null) return this.compute(keys, index);
    const known = memo[index];
    if (known !== 0) return known - 1;
    const host = this.compute(keys, index);
    memo[index] = host + 1;
    return host;
  }

  private compute(keys: KeyHashes, index: number): number {
    return this.murmur3
      ? this.lookup(0, keys.murmur3(index))
      : this.lookup(keys.hashHigh(index), keys.hashLow(index));
  }

  private memoFor(keys: KeyHashes): Uint8Array | null {
    let memo = this.memos.get(keys);
    if (memo === undefined) {
      memo =
        keys.count <= MEMO_KEYS && this.hostCount <= MEMO_HOSTS ? new Uint8Array(keys.count) : null;
      this.memos.set(keys, memo);
    }
    this.keys = keys;
    this.hosts = memo;
    return memo;
  }
}
