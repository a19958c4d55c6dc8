// How snapshots reach the proxies. Polling (Eureka's DiscoveryClient, Nacos' client poll): each
// proxy fetches the server's served snapshot every interval from its own phase and keeps it through
// a registry-outage (a failed fetch changes nothing); with Eureka a Spring Cloud LoadBalancer cache
// sits in between: the balancer's list is reloaded from the fetched one every clientCacheTtl (Caffeine
// expireAfterWrite, reloaded by the next request: under steady traffic, every TTL from its own phase).
// Pushing (Nacos push, Consul blocking queries, istiod EDS): each proxy gets a pushed snapshot after
// its own delay, uniform in [0, pushDelay) per proxy and push; nothing is sent during an outage.
import type { Rng } from "../../kernel/random.ts";
import type { Scheduler } from "../../kernel/scheduler.ts";
import type { ProxyDiscovery } from "./discovery.ts";
import { every, phaseOf } from "./server.ts";
import type { Snapshot } from "./snapshot.ts";

/** Starts one proxy's polling of `served()`; `cacheTtlMs` > 0 puts a client-side cache in front of the proxy. */
export function startPolling(
  proxy: ProxyDiscovery,
  served: () => Snapshot,
  up: () => boolean,
  scheduler: Scheduler,
  rng: Rng,
  fetchIntervalMs: number,
  cacheTtlMs: number,
): void {
  let fetched = served();
  every(scheduler, phaseOf(rng, fetchIntervalMs), fetchIntervalMs, () => {
    if (!up()) return;
    fetched = served();
    if (cacheTtlMs === 0) proxy.adopt(fetched);
  });
  if (cacheTtlMs > 0)
    every(scheduler, phaseOf(rng, cacheTtlMs), cacheTtlMs, () => proxy.adopt(fetched));
}

/** Delivers pushed snapshots to every proxy, each after its own delay. */
export class PushFanout {
  constructor(
    private readonly proxies: readonly ProxyDiscovery[],
    private readonly rngs: readonly Rng[],
    private readonly scheduler: Scheduler,
    private readonly pushDelayMs: number,
    private readonly up: () => boolean,
  ) {}

  push(snapshot: Snapshot): void {
    if (!this.up()) return;
    const now = this.scheduler.now;
    this.proxies.forEach((proxy, p) => {
      const delay = this.rngs[p].next() * this.pushDelayMs;
      this.scheduler.post(now + delay, () => proxy.adopt(snapshot));
    });
  }
}
