// A sidecar proxy: every caller instance and every load client has its own, with its own
// per-upstream cluster state (balancer cursor, active-request counts), as in Envoy; N proxies
// each balancing locally is not one global balancer. Send: route to a subset (VirtualService),
// pick a host in that subset's cluster, count it active, cross the network. Receive: uncount it
// and hand the answer to the caller. Each subset is its own cluster with its own balancer state,
// as Envoy's subset load balancer keeps one per subset.
import type { Rng } from "../kernel/random.ts";
import { CallEvent, type Call, type Outbound } from "../model/call.ts";
import type { SimContext } from "../model/context.ts";
import type { EdgeSource } from "../model/observer.ts";
import type { Instance } from "../model/instance.ts";
import { isFailure, Status } from "../model/request.ts";
import type { SubsetSpec } from "../scenario/types.ts";
import { ALL_INSTANCES, NO_ROUTE, type Router } from "./routing/router.ts";
import type { Service } from "../model/service.ts";
import type { Balancer, BalancerFactory, ClusterHosts, PickRequest } from "./balancers/balancer.ts";

class Cluster implements ClusterHosts {
  readonly endpoints: readonly Instance[];
  readonly active: Int32Array;
  readonly weights: Float64Array;
  readonly balancer: Balancer;
  /** The request key this cluster's policy hashes, or null. */
  readonly hashKey: string | null;
  constructor(service: Service, policy: UpstreamPolicy, subset: SubsetSpec | null) {
    const members = subset === null ? service.instances : service.instances.filter((i) => inSubset(i, subset));
    this.endpoints = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.active = new Int32Array(this.endpoints.length);
    this.weights = Float64Array.from(this.endpoints, (e) => e.version.weight);
    this.balancer = policy.balancer(this);
    this.hashKey = policy.hashKey;
  }
}

function inSubset(instance: Instance, subset: SubsetSpec): boolean {
  for (const [label, value] of Object.entries(subset.labels)) if (instance.version.labels[label] !== value) return false;
  return true;
}

/** What a proxy applies to one upstream service; made once per service, shared by all proxies. */
export interface UpstreamPolicy {
  readonly balancer: BalancerFactory;
  readonly hashKey: string | null;
  /** The service's VirtualService routes, or null when it has none (every request to all instances). */
  readonly router: Router | null;
  readonly subsets: readonly SubsetSpec[];
}

export class Proxy implements Outbound {
  /** By service index, then by subset index + 1 (0: all instances). */
  private readonly clusters: (Cluster | undefined)[][] = [];
  /** Reused for every pick: balancers read it during `pick` and keep no reference. */
  private readonly pickRequest = { now: 0, hash: -1 } satisfies PickRequest;

  constructor(
    readonly name: string,
    /** The caller this proxy sends for; its sends count on the edge source → target. */
    private readonly source: EdgeSource,
    /** The zone this proxy runs in, or null for a client outside every zone. */
    private readonly zone: string | null,
    private readonly ctx: SimContext,
    private readonly rng: Rng,
    private readonly policies: readonly UpstreamPolicy[],
  ) {}

  send(call: Call): void {
    const service = call.operation.service;
    const ctx = this.ctx;
    const request = call.request;
    const router = this.policies[service.index].router;
    const subset = router === null ? ALL_INSTANCES : router.route(request, call.site, ctx.draws);
    if (subset === NO_ROUTE) {
      call.outbound = this;
      call.endpointIndex = -1;
      call.reply(Status.notFound);
      return;
    }
    const byService = (this.clusters[service.index] ??= []);
    const cluster = byService[subset + 1] ?? this.addCluster(service, subset);
    call.cluster = subset + 1;
    const now = ctx.scheduler.now;
    this.pickRequest.now = now;
    this.pickRequest.hash = cluster.hashKey !== null && request.keyName === cluster.hashKey ? request.keyHash : -1;
    const balancer = cluster.balancer;
    const index = balancer.pick(cluster, this.rng, this.pickRequest);
    const instance = cluster.endpoints[index];
    cluster.active[index]++;
    if (balancer.onStart !== undefined) balancer.onStart(index, now);
    ctx.observer.callSent(this.source, call, instance);
    call.outbound = this;
    call.endpointIndex = index;
    call.sentAt = now;
    call.crossesZones = this.zone !== null && this.zone !== instance.zone;
    if (ctx.network.instantaneous) {
      instance.accept(call);
    } else {
      call.instance = instance;
      call.pendingEvent = CallEvent.arrive;
      ctx.scheduler.postFire(ctx.network.delay(call.request, call.site, false, call.crossesZones), call);
    }
  }

  receive(call: Call, status: number): void {
    const cluster = this.clusters[call.operation.service.index][call.cluster]!;
    cluster.active[call.endpointIndex]--;
    const balancer = cluster.balancer;
    if (balancer.onEnd !== undefined) {
      const now = this.ctx.scheduler.now;
      balancer.onEnd(call.endpointIndex, now - call.sentAt, !isFailure(status), now);
    }
    call.reply(status);
  }

  private addCluster(service: Service, subset: number): Cluster {
    const policy = this.policies[service.index];
    const cluster = new Cluster(service, policy, subset === ALL_INSTANCES ? null : policy.subsets[subset]);
    this.clusters[service.index][subset + 1] = cluster;
    return cluster;
  }
}
