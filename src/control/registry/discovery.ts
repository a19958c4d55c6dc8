// One proxy's side of the control plane (the ProxyControl a Proxy calls): the snapshot of the
// registry it holds (its own lagged view, adopted by reference from a fetch or a push), and per
// upstream service it calls, the hosts its balancer may see. As in Envoy with EDS and active health
// checking, a host is in the cluster while discovery lists it; a host discovery dropped stays while
// it passes this proxy's active checks and goes when it fails one (Envoy's eventually consistent
// discovery); hosts failing active checks leave the healthy set. A view that brings no change to a
// service rebuilds nothing. Every upstream ever made for a service (a config push replaces them) keeps
// getting the hosts, so a retry in flight on an old one never goes outside the view either.
import type { ProxyControl, Upstream } from "../../mesh/upstream.ts";
import type { Call } from "../../model/call.ts";
import type { Instance } from "../../model/instance.ts";
import type { Service } from "../../model/service.ts";
import { ActiveHealthChecker } from "./activeHealthCheck.ts";
import type { EndpointSet, Snapshot } from "./snapshot.ts";
import type { StalenessBook, StalenessPair } from "./staleness.ts";

/** What the proxies' control sides share: the clock, the truth, and the test hook. */
export interface DiscoveryShared {
  readonly scheduler: { readonly now: number; post(time: number, action: () => void): void };
  /** Null when there is no registry (active health checks only): no views to measure. */
  readonly book: StalenessBook | null;
  /** Tries sent to an instance outside the sending proxy's view (must stay 0; read by tests). */
  sentOutsideView: number;
}

/** The hosts of one upstream service as one proxy may see them. */
class UpstreamLink {
  private readonly upstreams: Upstream[] = [];
  private checker: ActiveHealthChecker | null = null;
  /** What the balancer may see, by instance index; null: every instance (no registry, no kept hosts). */
  private hosts: Uint8Array | null;
  readonly pair: StalenessPair | null;

  constructor(
    readonly service: Service,
    /** The registry's set for this service as this proxy holds it; null without a registry. */
    private eds: EndpointSet | null,
    private readonly shared: DiscoveryShared,
    source: string,
    proxyName: string,
  ) {
    this.hosts = eds === null ? null : eds.has;
    const book = shared.book;
    this.pair =
      book === null
        ? null
        : book.watch(
            source,
            service.name,
            service.index,
            proxyName,
            this.hosts,
            shared.scheduler.now,
          );
  }

  attach(upstream: Upstream): void {
    if (this.checker !== null) this.checker.stop();
    this.checker = null;
    const config = upstream.policy.resilience.healthCheck;
    if (config !== null) {
      const checker = new ActiveHealthChecker(
        config,
        this.service.instances,
        this.shared.scheduler,
        () => this.recompute(),
      );
      for (const instance of this.service.instances)
        if (this.hosts === null || this.hosts[instance.index] === 1)
          checker.add(instance.index, true);
      this.checker = checker;
    }
    this.upstreams.push(upstream);
    this.recompute();
  }

  /** Whether discovery dropped the host and this proxy keeps it because it passes its health checks. */
  keeps(index: number): boolean {
    const checker = this.checker;
    return (
      checker !== null &&
      this.eds !== null &&
      this.eds.has[index] === 0 &&
      checker.checking(index) &&
      checker.failing[index] === 0
    );
  }

  setEds(eds: EndpointSet): void {
    this.eds = eds;
    this.recompute();
  }

  private recompute(): void {
    const eds = this.eds;
    const checker = this.checker;
    let hosts: Uint8Array | null = eds === null ? null : eds.has;
    if (eds !== null && checker !== null) {
      hosts = new Uint8Array(eds.has.length);
      for (let i = 0; i < hosts.length; i++) {
        if (eds.has[i] === 1) {
          hosts[i] = 1;
          if (!checker.checking(i)) checker.add(i, false);
        } else if (checker.checking(i) && checker.failing[i] === 0) {
          hosts[i] = 1; // gone from discovery, still passing its checks: Envoy keeps it
        } else if (checker.checking(i)) {
          checker.remove(i);
        }
      }
    }
    this.hosts = hosts;
    const failing = checker === null ? null : checker.failing;
    for (const upstream of this.upstreams) upstream.setHostHealth(hosts, failing);
    if (this.pair !== null) this.pair.setKnown(hosts, this.shared.scheduler.now);
  }
}

export class ProxyDiscovery implements ProxyControl {
  private readonly links: (UpstreamLink | undefined)[] = [];
  /** Without a registry: the ready pods of services whose pods come and go, by service index (live flags). */
  private readyPods: ((serviceIndex: number) => Uint8Array | undefined) | null = null;

  constructor(
    /** The sending proxy's caller (a service, or `load:<name>`) and its own name. */
    private readonly source: string,
    readonly proxyName: string,
    private readonly services: readonly Service[],
    /** The registry snapshot this proxy holds; null without a registry. */
    private snapshot: Snapshot | null,
    private readonly shared: DiscoveryShared,
  ) {}

  /** Whether this proxy's endpoints come from a registry model. */
  get hasRegistry(): boolean {
    return this.snapshot !== null;
  }

  /** Takes a fetched or pushed snapshot, unless it is older than the one held. */
  adopt(snapshot: Snapshot): void {
    const held = this.snapshot;
    if (held === null || snapshot.seq <= held.seq) return;
    this.snapshot = snapshot;
    for (const link of this.links) {
      if (link === undefined) continue;
      const set = snapshot.sets[link.service.index];
      if (set !== held.sets[link.service.index]) link.setEds(set);
    }
  }

  /**
   * Without a registry, takes the ready pods of the services whose pods come and go as this
   * proxy's discovery (instant, as IdealEndpoints gives proxies without health checks), so its
   * active checks run over those pods and never over a pod that is starting or gone.
   */
  followReadyPods(readyOf: (serviceIndex: number) => Uint8Array | undefined): void {
    if (this.snapshot !== null)
      throw new Error("a proxy with a registry view takes its endpoints from the registry");
    this.readyPods = readyOf;
  }

  /** The ready pods of a followed service changed. */
  readyPodsChanged(serviceIndex: number, ready: Uint8Array): void {
    const link = this.links[serviceIndex];
    if (link !== undefined) link.setEds(endpointSetOf(ready));
  }

  attach(upstream: Upstream): void {
    const index = upstream.service.index;
    let link = this.links[index];
    if (link === undefined) {
      const ready = this.readyPods === null ? undefined : this.readyPods(index);
      const eds =
        this.snapshot !== null
          ? this.snapshot.sets[index]
          : ready === undefined
            ? null
            : endpointSetOf(ready);
      link = new UpstreamLink(this.services[index], eds, this.shared, this.source, this.proxyName);
      this.links[index] = link;
    }
    link.attach(upstream);
  }

  sent(attempt: Call, _upstream: Upstream, instance: Instance): void {
    const link = this.links[instance.service.index];
    // Checked against the snapshot held, not the balancer's host list: the data plane must obey it.
    const held = this.snapshot;
    if (
      held !== null &&
      held.sets[instance.service.index].has[instance.index] === 0 &&
      !(link?.keeps(instance.index) ?? false)
    )
      this.shared.sentOutsideView++;
    const pair = link?.pair;
    if (pair === null || pair === undefined || !attempt.request.measured) return;
    if (!instance.reachable) pair.sentToDead++;
    else if (instance.phase === "draining") pair.sentToDraining++;
  }
}

/** A copy of live ready flags as an endpoint set (the link keeps it; the flags change in place). */
function endpointSetOf(ready: Uint8Array): EndpointSet {
  const has = Uint8Array.from(ready);
  let size = 0;
  for (const flag of has) size += flag;
  return { has, size };
}
