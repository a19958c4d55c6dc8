// The host set a hashing table is built from: a stable key (meshsim uses the instance id, where
// Envoy uses the address or `envoy.lb` hash_key metadata) and a weight (Envoy load_balancing_weight).
// Builders walk hosts in id order so that a table depends on the set, not on how it was listed.

/** A host as the hashing tables see it: a stable key and a weight > 0. */
export interface HashHost {
  readonly id: string;
  readonly weight: number;
}

/**
 * Host indices sorted by id, after checking that there is at least one host, that ids are unique
 * and that every weight is finite and > 0. Shared by the ring and Maglev builders.
 */
export function idOrder(hosts: readonly HashHost[], what: string): number[] {
  if (hosts.length === 0) throw new Error(`${what} needs at least one host`);
  for (const h of hosts) {
    if (!(Number.isFinite(h.weight) && h.weight > 0)) {
      throw new Error(
        `${what}: host "${h.id}" has weight ${h.weight}; weights must be finite and > 0`,
      );
    }
  }
  const order = hosts
    .map((_, i) => i)
    .sort((a, b) => (hosts[a].id < hosts[b].id ? -1 : hosts[a].id > hosts[b].id ? 1 : 0));
  for (let r = 1; r < order.length; r++) {
    if (hosts[order[r]].id === hosts[order[r - 1]].id)
      throw new Error(`${what}: host id "${hosts[order[r]].id}" appears twice`);
  }
  return order;
}

/** Pairs ids with weights (e.g. a cluster's endpoints, sorted by id, and its weights). */
export function hashHosts(
  endpoints: readonly { readonly id: string }[],
  weights: ArrayLike<number>,
): HashHost[] {
  return endpoints.map((e, i) => ({ id: e.id, weight: weights[i] }));
}

/** A text key naming a host set and its weights, in the order given, for caching built tables. */
export function hostSetKey(hosts: readonly HashHost[]): string {
  return hosts.map((h) => `${h.id}\u0000${h.weight}`).join("\u0001");
}

/**
 * Builds a hashing table once per distinct host set and shares it: every proxy that sees the same
 * hosts and weights gets the same immutable table.
 */
export function sharedTables<T>(
  build: (hosts: readonly HashHost[]) => T,
): (
  endpoints: readonly { readonly id: string }[],
  weights: ArrayLike<number>,
) => { hosts: HashHost[]; table: T } {
  const tables = new Map<string, T>();
  return (endpoints, weights) => {
    const hosts = hashHosts(endpoints, weights);
    const key = hostSetKey(hosts);
    let table = tables.get(key);
    if (table === undefined) {
      table = build(hosts);
      tables.set(key, table);
    }
    return { hosts, table };
  };
}
