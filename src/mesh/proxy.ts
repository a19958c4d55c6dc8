// A sidecar proxy: every caller instance and every load client has its own, with its own
// per-upstream cluster state (balancer cursor, active-request counts), as in Envoy; N proxies
// each balancing locally is not one global balancer. Send: pick a host, count it active, cross
// the network. Receive: uncount it and hand the answer to the caller.
import type { Rng } from "../kernel/random.ts";
import type { Call, Outbound } from "../model/call.ts";
import type { SimContext } from "../model/context.ts";
import type { EdgeSource } from "../model/observer.ts";
import type { Instance } from "../model/instance.ts";
import { isFailure } from "../model/request.ts";
import type { Service } from "../model/service.ts";
import type { Balancer, BalancerFactory, ClusterHosts, PickRequest } from "./balancers/balancer.ts";

class Cluster implements ClusterHosts {
  readonly endpoints: readonly Instance[];
  readonly active: Int32Array;
  readonly weights: Float64Array;
  readonly balancer: Balancer;
  /** The request key this cluster's policy hashes, or null. */
  readonly hashKey: string | null;
  constructor(service: Service, policy: UpstreamPolicy) {
    this.endpoints = [...service.instances].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.active = new Int32Array(this.endpoints.length);
    this.weights = Float64Array.from(this.endpoints, (e) => e.version.weight);
    this.balancer = policy.balancer(this);
    this.hashKey = policy.hashKey;
  }
}

/** What a proxy applies to one upstream service; made once per service, shared by all proxies. */
export interface UpstreamPolicy {
  readonly balancer: BalancerFactory;
  readonly hashKey: string | null;
}

export class Proxy implements Outbound {
  private readonly clusters: (Cluster | undefined)[] = [];
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
    const cluster = this.clusters[service.index] ?? this.addCluster(service);
    const ctx = this.ctx;
    const now = ctx.scheduler.now;
    this.pickRequest.now = now;
    const request = call.request;
    this.pickRequest.hash = cluster.hashKey !== null && request.keyName === cluster.hashKey ? request.keyHash : -1;
    const balancer = cluster.balancer;
    const index = balancer.pick(cluster, this.rng, this.pickRequest);
    const instance = cluster.endpoints[index];
    cluster.active[index]++;
    if (balancer.onStart !== undefined) balancer.onStart(index, now);
    ctx.observer.callSent(this.source, call, index);
    call.outbound = this;
    call.endpointIndex = index;
    call.sentAt = now;
    call.crossesZones = this.zone !== null && this.zone !== instance.zone;
    if (ctx.network.instantaneous) {
      instance.accept(call);
    } else {
      ctx.scheduler.postAfter(ctx.network.delay(call.request, call.site, false, call.crossesZones), () => instance.accept(call));
    }
  }

  receive(call: Call, status: number): void {
    const cluster = this.clusters[call.operation.service.index]!;
    cluster.active[call.endpointIndex]--;
    const balancer = cluster.balancer;
    if (balancer.onEnd !== undefined) {
      const now = this.ctx.scheduler.now;
      balancer.onEnd(call.endpointIndex, now - call.sentAt, !isFailure(status), now);
    }
    call.reply(status);
  }

  private addCluster(service: Service): Cluster {
    const cluster = new Cluster(service, this.policies[service.index]);
    this.clusters[service.index] = cluster;
    return cluster;
  }
}
