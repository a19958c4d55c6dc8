// The load-balancer contract, after Envoy's per-policy `chooseHost`: a policy sees the hosts of
// one upstream cluster as this proxy knows them (sorted by id) with this proxy's own count of
// active requests to each, and returns an index. The random stream is passed in, never global.
// Load-aware policies get feedback through onStart/onEnd; hashing policies read the request's
// hash (`hashWordsOf`), or, given its key (`KEYED`), may answer from a memo by key.
import type { Rng } from "../../kernel/random.ts";
import type { Endpoint } from "../../model/endpoint.ts";
import type { KeyHashes } from "../../model/request.ts";
import type { HashFunction } from "../hashing/hashFunction.ts";

/** What a policy may know of a host: its id (hashing policies place hosts by it). */
export type BalancedEndpoint = Pick<Endpoint, "id">;

export interface ClusterHosts {
  readonly endpoints: readonly BalancedEndpoint[];
  /** Requests this proxy has sent to each endpoint and not yet had answered. */
  readonly active: Int32Array;
  /** Envoy `load_balancing_weight` per endpoint (>= 1; all 1 unless the scenario sets weights). */
  readonly weights: Float64Array;
  /**
   * When each endpoint's slow-start clock started (simulated ms; NaN: it has none), or null/absent
   * when no endpoint had one within its window as the view was built (slowStart.ts).
   */
  readonly joinedAt?: Float64Array | null;
}

/** What a policy may know of the request being routed. */
export interface PickRequest {
  /** Simulated now, in ms (for time-decayed estimates such as peak-EWMA). */
  readonly now: number;
  /**
   * Low word of the 64-bit hash of the request's hash key (Envoy's hash policy: xxHash64 of the
   * key's text), -1 when the request has none (hashing policies then hash a random number, as
   * Envoy does with no hash key), or KEYED: the hash is that of key `keyIndex` of `keys`, read only
   * by a policy that needs the words (hashWordsOf), so a memoised table need not read them.
   */
  readonly hash: number;
  /** High word of that hash (0 for MURMUR3_32's 32-bit hashes); unused with KEYED. */
  readonly hashHigh: number;
  /** With `hash` KEYED: the key space of the request's load (its hashes by key index) and the key's index. */
  readonly keys?: KeyHashes | null;
  readonly keyIndex?: number;
}

/** `PickRequest.hash` of a request with no hash key. */
export const NO_HASH = -1;
/** `PickRequest.hash` of a request whose hash is its key's, in `keys` at `keyIndex`. */
export const KEYED = -2;

/**
 * Which request key a hashing policy hashes, and how: Envoy's hash policies always hash with
 * xxHash64 (`murmur3` false); meshsim's former MURMUR3_32 hashed keys with 32-bit murmur3.
 */
export interface KeyHashing {
  readonly key: string;
  readonly murmur3: boolean;
}

/** The key hashing of a table built with `fn`. */
export function keyHashing(key: string, fn: HashFunction): KeyHashing {
  return { key, murmur3: fn === "MURMUR3_32" };
}

/**
 * Fills `out` with the request's hash (out[0] high word, out[1] low word) and returns true, or
 * returns false when it has none. A KEYED hash is its key's xxHash64, or its 32-bit murmur3 (high
 * word 0) for a table that is not `wide` (MURMUR3_32).
 */
export function hashWordsOf(request: PickRequest, wide: boolean, out: Uint32Array): boolean {
  const hash = request.hash;
  if (hash === NO_HASH) return false;
  if (hash !== KEYED) {
    out[0] = request.hashHigh;
    out[1] = hash;
  } else if (wide) {
    out[0] = request.keys!.hashHigh(request.keyIndex!);
    out[1] = request.keys!.hashLow(request.keyIndex!);
  } else {
    out[0] = 0;
    out[1] = request.keys!.murmur3(request.keyIndex!);
  }
  return true;
}

/**
 * Fills `out` with the hash a hashing policy looks up for `request`: its key's hash, else a random
 * one (Envoy draws 64 bits; MURMUR3_32 drew 32, high word 0). out[0] high word, out[1] low word.
 */
export function lookupHash(request: PickRequest, rng: Rng, wide: boolean, out: Uint32Array): void {
  if (!hashWordsOf(request, wide, out)) {
    out[0] = wide ? rng.nextUint32() : 0;
    out[1] = rng.nextUint32();
  }
}

export interface Balancer {
  readonly policy: string;
  /** Index into `hosts.endpoints`; there is always at least one endpoint. */
  pick(hosts: ClusterHosts, rng: Rng, request: PickRequest): number;
  /** A request was sent to endpoint `index` (after `active` was incremented). */
  onStart?(index: number, now: number): void;
  /** The answer from endpoint `index` arrived after `latencyMs` (after `active` was decremented). */
  onEnd?(index: number, latencyMs: number, ok: boolean, now: number): void;
}

/** Builds a policy's per-proxy state for one cluster; called once per (proxy, upstream service). */
export type BalancerFactory = (hosts: ClusterHosts) => Balancer;
