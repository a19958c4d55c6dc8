// Discovery without a registry model, for services whose pods come and go (lifecycle, rollouts,
// autoscaling): every proxy knows at once exactly the pods that are ready, as Kubernetes
// EndpointSlices would with no propagation delay. One shared flag array per service (1 = ready),
// updated on every phase change; each upstream of the service is told to rebuild its hosts.
// A registry (src/control/registry/) replaces this with each proxy's lagged view. With active
// health checks and no registry, each proxy's ProxyDiscovery takes these sets as its discovery
// (followReadyPods) and runs its checks over them.

import type { ProxyControl, Upstream } from "../../mesh/upstream.ts";
import type { Call } from "../../model/call.ts";
import type { Instance, LifecycleListener } from "../../model/instance.ts";
import type { Service } from "../../model/service.ts";

export class IdealEndpoints implements ProxyControl {
  /** By service index: the ready flags, or undefined for a service whose pods never change. */
  private readonly readyByService: (Uint8Array | undefined)[] = [];
  private readonly upstreamsOf: Upstream[][] = [];
  private readonly followers: ((serviceIndex: number, ready: Uint8Array) => void)[] = [];

  /** Watches `service`'s pods. */
  watch(service: Service): void {
    const ready = Uint8Array.from(service.instances, (i) => (i.phase === "ready" ? 1 : 0));
    this.readyByService[service.index] = ready;
    this.upstreamsOf[service.index] = [];
    const listener: LifecycleListener = {
      phaseChanged: (subject: Instance) => {
        const flag = subject.phase === "ready" ? 1 : 0;
        if (ready[subject.index] === flag) return;
        ready[subject.index] = flag;
        for (const upstream of this.upstreamsOf[service.index]) upstream.refreshHosts();
        for (const follower of this.followers) follower(service.index, ready);
      },
      reachabilityChanged: () => {},
    };
    for (const instance of service.instances) instance.addLifecycleListener(listener);
  }

  /** The ready flags of a watched service (live: they change in place), or undefined. */
  readyOf(serviceIndex: number): Uint8Array | undefined {
    return this.readyByService[serviceIndex];
  }

  /** Calls `follower` after every change of a watched service's ready pods. */
  follow(follower: (serviceIndex: number, ready: Uint8Array) => void): void {
    this.followers.push(follower);
  }

  get watching(): boolean {
    return this.readyByService.some((r) => r !== undefined);
  }

  attach(upstream: Upstream): void {
    const ready = this.readyByService[upstream.service.index];
    if (ready === undefined) return;
    this.upstreamsOf[upstream.service.index].push(upstream);
    upstream.setHostHealth(ready, null);
  }

  sent(_attempt: Call, _upstream: Upstream, _instance: Instance): void {}
}
