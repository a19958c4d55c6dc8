// Envoy MAGLEV (maglev_lb.cc, thread_aware_lb_impl.cc) over the table of hashing/maglev.ts, built from
// the endpoints' ids (the host keys) and weights and shared by every proxy that sees the same hosts
// (immutable). A 64-bit key hash h goes to table[h mod M]; with no key Envoy hashes a random number,
// so such requests spread by table share. hashBalanceFactor adds Envoy's bounded-load spill in a
// hash-seeded shuffle of the hosts.
import type { Rng } from "../../kernel/random.ts";
import { checkBalanceFactor, LoadBound, ShuffleProbe } from "../hashing/boundedLoad.ts";
import type { MaglevHashFunction } from "../hashing/hashFunction.ts";
import { sharedTables } from "../hashing/hosts.ts";
import { KeyMemo } from "../hashing/keyMemo.ts";
import { buildMaglev, checkTableSize, maglevLookup } from "../hashing/maglev.ts";
import {
  type Balancer,
  type BalancerFactory,
  type ClusterHosts,
  KEYED,
  lookupHash,
  type PickRequest,
} from "./balancer.ts";

export interface MaglevConfig {
  /** M, a prime (Envoy `table_size`, default 65537). */
  readonly tableSize: number;
  /** XX_HASH (Envoy's only one) or meshsim's former MURMUR3_32. */
  readonly hashFunction: MaglevHashFunction;
  /** Envoy `hash_balance_factor` (integer percent >= 100), or null for unbounded. */
  readonly hashBalanceFactor: number | null;
}

export function createMaglev(config: MaglevConfig): BalancerFactory {
  checkTableSize(config.tableSize);
  if (config.hashBalanceFactor !== null) checkBalanceFactor(config.hashBalanceFactor);
  const wide = config.hashFunction !== "MURMUR3_32";
  // Each table with its memo of keys' hosts (hashing/keyMemo.ts), shared as the table is.
  const tableFor = sharedTables((hosts) => {
    const built = buildMaglev(hosts, config.tableSize, config.hashFunction);
    const lookup = (high: number, low: number) => maglevLookup(built, high, low);
    return { built, memo: new KeyMemo(lookup, hosts.length, !wide) };
  });

  return (hosts: ClusterHosts): Balancer => {
    const { hosts: set, table: shared } = tableFor(hosts.endpoints, hosts.weights);
    const { built, memo } = shared;
    const factor = config.hashBalanceFactor;
    const bound = factor === null ? null : new LoadBound(hosts.weights, factor);
    const shuffle = new ShuffleProbe(set.length, !wide);
    const hash = new Uint32Array(2);

    return {
      policy: "maglev",
      pick(current: ClusterHosts, rng: Rng, request: PickRequest): number {
        // Unbounded, a key's host depends on the key alone: the memo answers.
        if (bound === null && request.hash === KEYED)
          return memo.host(request.keys!, request.keyIndex!);
        lookupHash(request, rng, wide, hash);
        const first = maglevLookup(built, hash[0], hash[1]);
        if (bound === null) return first;
        return bound.pick(first, shuffle.start(hash[1]), current.active);
      },
    };
  };
}
