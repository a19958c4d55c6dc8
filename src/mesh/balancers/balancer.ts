// The load-balancer contract, after Envoy's per-policy `chooseHost`: a policy sees the hosts of
// one upstream cluster as this proxy knows them (sorted by id) with this proxy's own count of
// active requests to each, and returns an index. The random stream is passed in, never global.
import type { Rng } from "../../kernel/random.ts";
import type { Instance } from "../../model/instance.ts";

export interface ClusterHosts {
  readonly endpoints: readonly Instance[];
  /** Requests this proxy has sent to each endpoint and not yet had answered. */
  readonly active: Int32Array;
}

export interface Balancer {
  readonly policy: string;
  /** Index into `hosts.endpoints`; there is always at least one endpoint. */
  pick(hosts: ClusterHosts, rng: Rng): number;
}

export type BalancerFactory = () => Balancer;
