// A sidecar proxy: every caller instance and every load client has its own, with its own
// per-upstream cluster state (balancer cursor, active-request counts), as in Envoy; N proxies
// each balancing locally is not one global balancer. Send: pick a host, count it active, cross
// the network. Receive: uncount it and hand the answer to the caller.
import type { Rng } from "../kernel/random.ts";
import type { Call, Outbound } from "../model/call.ts";
import type { SimContext } from "../model/context.ts";
import type { Instance } from "../model/instance.ts";
import type { Service } from "../model/service.ts";
import type { Balancer, BalancerFactory, ClusterHosts } from "./balancers/balancer.ts";

class Cluster implements ClusterHosts {
  readonly endpoints: readonly Instance[];
  readonly active: Int32Array;
  constructor(service: Service, readonly balancer: Balancer) {
    this.endpoints = [...service.instances].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.active = new Int32Array(this.endpoints.length);
  }
}

export class Proxy implements Outbound {
  private readonly clusters: (Cluster | undefined)[] = [];

  constructor(
    readonly name: string,
    private readonly ctx: SimContext,
    private readonly rng: Rng,
    private readonly balancerFor: (service: Service) => BalancerFactory,
  ) {}

  send(call: Call): void {
    const service = call.operation.service;
    const cluster = this.clusters[service.index] ?? this.addCluster(service);
    const index = cluster.balancer.pick(cluster, this.rng);
    const instance = cluster.endpoints[index];
    cluster.active[index]++;
    call.outbound = this;
    call.endpointIndex = index;
    const ctx = this.ctx;
    call.sentAt = ctx.scheduler.now;
    if (ctx.network.instantaneous) {
      instance.accept(call);
    } else {
      ctx.scheduler.after(ctx.network.delay(call.request, call.site, false), () => instance.accept(call));
    }
  }

  receive(call: Call, status: number): void {
    this.clusters[call.operation.service.index]!.active[call.endpointIndex]--;
    call.reply(status);
  }

  private addCluster(service: Service): Cluster {
    const cluster = new Cluster(service, this.balancerFor(service)());
    this.clusters[service.index] = cluster;
    return cluster;
  }
}
