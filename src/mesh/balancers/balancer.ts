// The load-balancer contract, after Envoy's per-policy `chooseHost`: a policy sees the hosts of
// one upstream cluster as this proxy knows them (sorted by id) with this proxy's own count of
// active requests to each, and returns an index. The random stream is passed in, never global.
// Load-aware policies get feedback through onStart/onEnd; hashing policies read `hash`.
import type { Rng } from "../../kernel/random.ts";
import type { Endpoint } from "../../model/endpoint.ts";

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
   * 32-bit hash of the request's hash key (murmur3 of its text form), or -1 when the request has
   * none; hashing policies then fall back to a random pick, as Envoy does with no hash key.
   */
  readonly hash: number;
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
