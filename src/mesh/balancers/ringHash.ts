// Envoy RING_HASH (ring_hash_lb.cc, thread_aware_lb_impl.cc) over the ring of hashing/ring.ts, built
// from the endpoints' ids (the host keys) and weights and shared by every proxy that sees the same
// hosts (immutable). A key hash goes to the first point at or after it; with no key Envoy hashes a
// random number, so such requests spread by ring share. hashBalanceFactor adds Envoy's bounded-load
// spill (hashing/boundedLoad.ts).
import type { Rng } from "../../kernel/random.ts";
import {
  checkBalanceFactor,
  LoadBound,
  RingWalkProbe,
  ShuffleProbe,
} from "../hashing/boundedLoad.ts";
import type { HashFunction } from "../hashing/hashFunction.ts";
import { sharedTables } from "../hashing/hosts.ts";
import { KeyMemo } from "../hashing/keyMemo.ts";
import { buildRing, checkRingSizes, ringLookup, ringPosition } from "../hashing/ring.ts";
import {
  type Balancer,
  type BalancerFactory,
  type ClusterHosts,
  KEYED,
  lookupHash,
  type PickRequest,
} from "./balancer.ts";

export interface RingHashConfig {
  readonly minimumRingSize: number;
  readonly maximumRingSize: number;
  /** Envoy `hash_function` of the ring points: XX_HASH, MURMUR_HASH_2, or meshsim's MURMUR3_32. */
  readonly hashFunction: HashFunction;
  /** Envoy `hash_balance_factor` (integer percent >= 100), or null for unbounded. */
  readonly hashBalanceFactor: number | null;
  /**
   * Where an overloaded host's request goes next: "shuffle" (Envoy: the other hosts in an order
   * seeded by the key's hash) or "ring-walk" (the paper: the next hosts clockwise). Default shuffle.
   */
  readonly spill?: "shuffle" | "ring-walk";
}

export function createRingHash(config: RingHashConfig): BalancerFactory {
  checkRingSizes(config.minimumRingSize, config.maximumRingSize);
  if (config.hashBalanceFactor !== null) checkBalanceFactor(config.hashBalanceFactor);
  const options = {
    minimumRingSize: config.minimumRingSize,
    maximumRingSize: config.maximumRingSize,
    hashFunction: config.hashFunction,
  };
  const wide = config.hashFunction !== "MURMUR3_32";
  // Each ring with its memo of keys' hosts (hashing/keyMemo.ts), shared as the ring is.
  const ringFor = sharedTables((hosts) => {
    const ring = buildRing(hosts, options);
    const lookup = (high: number, low: number) => ringLookup(ring, high, low);
    return { ring, memo: new KeyMemo(lookup, hosts.length, !wide) };
  });

  return (hosts: ClusterHosts): Balancer => {
    const { hosts: set, table: shared } = ringFor(hosts.endpoints, hosts.weights);
    const { ring: table, memo } = shared;
    const factor = config.hashBalanceFactor;
    const bound = factor === null ? null : new LoadBound(hosts.weights, factor);
    const walk = config.spill === "ring-walk" ? new RingWalkProbe(table, set.length) : null;
    const shuffle = new ShuffleProbe(set.length, !wide);
    const hash = new Uint32Array(2);

    return {
      policy: "ring-hash",
      pick(current: ClusterHosts, rng: Rng, request: PickRequest): number {
        // Unbounded, a key's host depends on the key alone: the memo answers.
        if (bound === null && request.hash === KEYED)
          return memo.host(request.keys!, request.keyIndex!);
        lookupHash(request, rng, wide, hash);
        const position = ringPosition(table, hash[0], hash[1]);
        const first = table.hosts[position];
        if (bound === null) return first;
        return bound.pick(
          first,
          walk === null ? shuffle.start(hash[1]) : walk.startAt(position),
          current.active,
        );
      },
    };
  };
}
