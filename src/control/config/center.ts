// The configuration center: every mesh setting is part of a numbered, cumulative version (1 is
// the file, then one per config push in time order), and each proxy runs the newest version that
// has reached it. Delivery follows Istio's xDS push (debounce, then a per-proxy delay; see
// propagation.ts). A proxy that takes a version replaces its Upstream for each service whose
// policy changed, as Envoy replaces a cluster on a CDS update: fresh balancer, breaker, outlier
// detector, pool and budgets, while calls in flight finish on the old one. A sidecar also swaps its
// inbound rate limit when that changed (Envoy's local_ratelimit filter, a new full bucket). An
// older version arriving after a newer one is ignored: versions are whole, so nothing is missed.
import type { RandomStreams, Rng } from "../../kernel/random.ts";
import type { Scheduler } from "../../kernel/scheduler.ts";
import { TokenBucket } from "../../mesh/resilience/tokenBucket.ts";
import type { Sidecar } from "../../mesh/sidecar.ts";
import type { RateLimitSpec, TrafficPolicy } from "../../mesh/spec.ts";
import type { UpstreamPolicy } from "../../mesh/upstream.ts";
import type { Instance } from "../../model/instance.ts";
import type { ModelObserver } from "../../model/observer.ts";
import type { ConfigResult, ConfigVersionResult } from "../../result/config.ts";
import type { ConfigPushSpec } from "../spec.ts";
import { deliveryTimes } from "./propagation.ts";

/** Builds the UpstreamPolicy of service `index` from a traffic policy (the builder's own recipe). */
export type PolicyMaker = (trafficPolicy: TrafficPolicy, serviceIndex: number) => UpstreamPolicy;

export interface ConfigWorld {
  scheduler: Scheduler;
  streams: RandomStreams;
  observer: ModelObserver;
  /** Every proxy in build order. */
  proxies: readonly Sidecar[];
  /** Each service's instances, by service index: a sidecar's owner is the instance whose `outbound` it is. */
  services: readonly { instances: readonly Instance[] }[];
}

interface Version {
  number: number;
  push: ConfigPushSpec | null;
  trafficPolicies: readonly TrafficPolicy[];
  /** Shared with the version before for every service whose traffic policy did not change. */
  policies: readonly UpstreamPolicy[];
  /** Delivery times, in the order deliveries happened. */
  deliveries: number[];
}

export class ConfigCenter {
  private readonly versions: Version[];
  /** The version each proxy runs, by build index. */
  private readonly running: Int32Array;
  private readonly history: { version: number; fromMs: number }[][];
  /** The instance each proxy is the sidecar of, or null for a load client. */
  private readonly owners: (Instance | null)[];

  constructor(
    pushes: readonly ConfigPushSpec[],
    file: { trafficPolicies: readonly TrafficPolicy[]; policies: readonly UpstreamPolicy[] },
    makePolicy: PolicyMaker,
    private readonly world: ConfigWorld,
  ) {
    this.versions = [
      {
        number: 1,
        push: null,
        trafficPolicies: file.trafficPolicies,
        policies: file.policies,
        deliveries: world.proxies.map(() => 0),
      },
    ];
    for (const push of pushes) {
      const before = this.versions[this.versions.length - 1];
      const policies = push.trafficPolicies.map((tp, s) =>
        sameValue(tp, before.trafficPolicies[s]) ? before.policies[s] : makePolicy(tp, s),
      );
      this.versions.push({
        number: push.version,
        push,
        trafficPolicies: push.trafficPolicies,
        policies,
        deliveries: [],
      });
    }
    const proxies = world.proxies;
    this.running = new Int32Array(proxies.length).fill(1);
    this.history = proxies.map(() => [{ version: 1, fromMs: 0 }]);
    const ownerOf = new Map<unknown, Instance>();
    for (const service of world.services)
      for (const instance of service.instances) ownerOf.set(instance.outbound, instance);
    this.owners = proxies.map((proxy) => ownerOf.get(proxy) ?? null);
    this.schedule();
  }

  /** Puts every delivery on the clock; draws come from `config/<proxy>/propagation` in version order. */
  private schedule(): void {
    const { proxies, streams, scheduler } = this.world;
    const delayRngs: Rng[] = proxies.map((proxy) =>
      streams.get(`config/${proxy.name}/propagation`),
    );
    for (const version of this.versions.slice(1)) {
      const push = version.push!;
      const rolloutRng =
        push.rollout.length > 1 ? streams.get(`config/${push.name}/rollout`) : null;
      const times = deliveryTimes(push, delayRngs, rolloutRng);
      times.forEach((atMs, p) => {
        scheduler.post(atMs, () => this.deliver(p, version));
      });
    }
  }

  private deliver(p: number, version: Version): void {
    const now = this.world.scheduler.now;
    version.deliveries.push(now);
    const from = this.versions[this.running[p] - 1];
    if (version.number <= from.number) return;
    const proxy = this.world.proxies[p];
    proxy.applyPolicies(version.policies);
    const owner = this.owners[p];
    if (owner !== null) {
      const service = owner.service.index;
      const limit = version.policies[service].resilience.rateLimit;
      if (
        version.policies[service] !== from.policies[service] &&
        !sameValue(limit, from.policies[service].resilience.rateLimit)
      ) {
        owner.limiter = inboundLimiter(limit, now);
      }
    }
    this.running[p] = version.number;
    this.history[p].push({ version: version.number, fromMs: now });
    this.world.observer.stateChanged(
      now,
      `config ${proxy.name}`,
      `v${from.number}`,
      `v${version.number}`,
    );
  }

  /** The versions with their delivery times, and each proxy's versions; `round` rounds times. */
  result(round: (ms: number) => number): ConfigResult {
    const versions = this.versions.map((v): ConfigVersionResult => {
      const times = v.deliveries;
      const n = times.length;
      return {
        version: v.number,
        name: v.push === null ? "file" : v.push.name,
        atMs: v.push === null ? 0 : v.push.atMs,
        set: v.push === null ? {} : Object.fromEntries(v.push.set.map((s) => [s.key, s.value])),
        delivered: n,
        firstMs: n === 0 ? null : round(times[0]),
        medianMs: n === 0 ? null : round(times[Math.ceil(n / 2) - 1]),
        lastMs: n === 0 ? null : round(times[n - 1]),
        runningAtEnd: this.running.reduce(
          (count, running) => count + (running === v.number ? 1 : 0),
          0,
        ),
      };
    });
    const proxies: ConfigResult["proxies"] = {};
    this.world.proxies.forEach((proxy, p) => {
      proxies[proxy.name] = this.history[p].map((h) => ({
        version: h.version,
        fromMs: round(h.fromMs),
      }));
    });
    return { versions, proxies };
  }
}

/** The inbound sidecar's rate limit of a version (per: instance), as the builder makes it. */
function inboundLimiter(limit: RateLimitSpec | null, nowMs: number): TokenBucket | null {
  if (limit === null || limit.per !== "instance") return null;
  return new TokenBucket(
    {
      maxTokens: limit.maxTokens,
      tokensPerFill: limit.tokensPerFill,
      fillIntervalMs: limit.fillIntervalMs,
    },
    nowMs,
  );
}

/** Structural equality of plain settings (numbers, strings, booleans, null, arrays, plain objects). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null)
    return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (
      !Object.hasOwn(b, key) ||
      !sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])
    )
      return false;
  }
  return true;
}
