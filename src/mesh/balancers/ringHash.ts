// Envoy RING_HASH (ring_hash_lb.cc, thread_aware_lb_impl.cc) over the ring of hashing/ring.ts, built
// from the endpoints' ids and weights and shared by every proxy that sees the same hosts (immutable).
// A key hash goes to the first point at or after it; with no key Envoy hashes a random number, so such
// requests spread by ring share. hashBalanceFactor adds Envoy's bounded-load spill (hashing/boundedLoad.ts).
import type { Rng } from "../../kernel/random.ts";
import {
  checkBalanceFactor,
  LoadBound,
  RingWalkProbe,
  ShuffleProbe,
} from "../hashing/boundedLoad.ts";
import { sharedTables } from "../hashing/hosts.ts";
import { buildRing, checkRingSizes, ringPosition } from "../hashing/ring.ts";
import type { Balancer, BalancerFactory, ClusterHosts, PickRequest } from "./balancer.ts";

export interface RingHashConfig {
  readonly minimumRingSize: number;
  readonly maximumRingSize: number;
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
  };
  const ringFor = sharedTables((hosts) => buildRing(hosts, options));

  return (hosts: ClusterHosts): Balancer => {
    const { hosts: set, table } = ringFor(hosts.endpoints, hosts.weights);
    const factor = config.hashBalanceFactor;
    const bound = factor === null ? null : new LoadBound(hosts.weights, factor);
    const walk = config.spill === "ring-walk" ? new RingWalkProbe(table, set.length) : null;
    const shuffle = new ShuffleProbe(set.length);

    return {
      policy: "ring-hash",
      pick(current: ClusterHosts, rng: Rng, request: PickRequest): number {
        const hash = request.hash === -1 ? rng.nextUint32() : request.hash;
        const position = ringPosition(table, hash);
        const first = table.hosts[position];
        if (bound === null) return first;
        return bound.pick(
          first,
          walk === null ? shuffle.start(hash) : walk.startAt(position),
          current.active,
        );
      },
    };
  };
}
