// The mesh of a built world: each service's upstream policy (Envoy's cluster settings: balancer,
// hash key, routes, resilience), one sidecar proxy per instance with its local rate limiter
// (Envoy's per-instance token bucket), and a maker for the load clients' proxies.
import type { PolicyMaker } from "../control/config/center.ts";
import type { RandomStreams } from "../kernel/random.ts";
import { createBalancerFactory, hashKeyOf, slowStartOfPolicy } from "../mesh/balancers/index.ts";
import { TokenBucket } from "../mesh/resilience/tokenBucket.ts";
import { Router } from "../mesh/routing/router.ts";
import { Sidecar } from "../mesh/sidecar.ts";
import { type ProxyPlace, type UpstreamPolicy, upstreamPolicy } from "../mesh/upstream.ts";
import type { SimContext } from "../model/context.ts";
import type { EdgeSource } from "../model/edge.ts";
import type { Instance } from "../model/instance.ts";
import type { Service } from "../model/service.ts";
import type { Scenario } from "./types.ts";

export interface Mesh {
  /** Makes a service's upstream policy from a traffic policy (config pushes make new ones). */
  readonly policyOf: PolicyMaker;
  /** Each service's upstream policy as the scenario sets it, by service index. */
  readonly policies: UpstreamPolicy[];
  /** Every proxy made so far, in build order: the instances' first, then the load clients'. */
  readonly proxies: Sidecar[];
  /** Makes a proxy (with its balancer stream `proxy/NAME/balancer`) and adds it to `proxies`. */
  readonly proxyFor: (
    name: string,
    source: EdgeSource,
    place: ProxyPlace | null,
    owner: Instance | null,
  ) => Sidecar;
}

/** The policies, and every instance's outbound sidecar and per-instance rate limiter. */
export function buildProxies(
  scenario: Scenario,
  services: readonly Service[],
  attributeNames: readonly string[],
  ctx: SimContext,
  streams: RandomStreams,
  /** Whether the sidecars may recycle calls that are over (Sidecar.reusesCalls). */
  reusesCalls: boolean,
): Mesh {
  const policyOf: PolicyMaker = (trafficPolicy, i) =>
    upstreamPolicy(
      trafficPolicy.resilience,
      {
        service: services[i],
        balancer: createBalancerFactory(trafficPolicy.loadBalancer),
        hashKey: hashKeyOf(trafficPolicy.loadBalancer),
        router:
          trafficPolicy.routes.length === 0
            ? null
            : new Router(trafficPolicy.routes, trafficPolicy.subsets, attributeNames),
        subsets: trafficPolicy.subsets,
      },
      {
        slowStart: slowStartOfPolicy(trafficPolicy.loadBalancer),
        locality: trafficPolicy.locality,
      },
    );
  const policies: UpstreamPolicy[] = scenario.services.map(({ trafficPolicy }, i) =>
    policyOf(trafficPolicy, i),
  );
  const proxies: Sidecar[] = [];
  const proxyFor: Mesh["proxyFor"] = (name, source, place, owner) => {
    const proxy = new Sidecar(
      name,
      source,
      place,
      owner,
      ctx,
      streams.get(`proxy/${name}/balancer`),
      policies,
    );
    proxy.reusesCalls = reusesCalls;
    proxies.push(proxy);
    return proxy;
  };
  for (const service of services) {
    const source: EdgeSource = { name: service.name, index: service.index };
    const limit = scenario.services[service.index].trafficPolicy.resilience.rateLimit;
    for (const instance of service.instances) {
      const place = { locality: instance.locality, labels: instance.version.labels };
      instance.outbound = proxyFor(instance.id, source, place, instance);
      if (limit !== null && limit.per === "instance") {
        instance.limiter = new TokenBucket(
          {
            maxTokens: limit.maxTokens,
            tokensPerFill: limit.tokensPerFill,
            fillIntervalMs: limit.fillIntervalMs,
          },
          0,
        );
      }
    }
  }
  return { policyOf, policies, proxies, proxyFor };
}
