// One proxy's view of the hosts of an upstream cluster (all of a service's instances, or one
// DestinationRule subset of them), as Envoy's host set: the members, sorted by id, and the hosts
// the balancer may pick now. Hosts that outlier detection ejected leave the healthy set; when the
// healthy share falls below the panic threshold, Envoy balances over every member again (panic),
// and with panic disabled an empty healthy set means "no healthy upstream". Each change of the
// healthy set rebuilds the balancer over it, as Envoy rebuilds its load balancer on a host-set
// change; active-request counts are kept per member, so they survive the rebuild. With a registry,
// only members this proxy's discovered view contains are hosts at all (Envoy's EDS host set), and
// panic balances over those; hosts failing this proxy's active health checks leave the healthy set
// as ejected ones do.
import type { Instance } from "../model/instance.ts";
import type { SubsetSpec } from "../scenario/types.ts";
import { inPanic } from "./resilience/outlierDetection.ts";
import type { Balancer, BalancerFactory, ClusterHosts } from "./balancers/balancer.ts";

/** The hosts a balancer sees: a subset of the members, with this proxy's counts. */
class HostView implements ClusterHosts {
  readonly active: Int32Array;
  readonly weights: Float64Array;
  constructor(
    readonly endpoints: readonly Instance[],
    /** Member index of each view host. */
    readonly members: Int32Array,
    memberActive: Int32Array,
  ) {
    this.active = Int32Array.from(members, (m) => memberActive[m]);
    this.weights = Float64Array.from(endpoints, (e) => e.version.weight);
  }
}

export class Cluster {
  /** The cluster's hosts, sorted by id. */
  readonly members: readonly Instance[];
  /** Requests this proxy has sent to each member and not yet settled. */
  private readonly memberActive: Int32Array;
  /** Position of each member in the current view, or -1 when it is not in it. */
  private viewIndexOf: Int32Array;
  private view: HostView;
  private balancerOfView: Balancer;

  constructor(
    instances: readonly Instance[],
    subset: SubsetSpec | null,
    private readonly balancerFactory: BalancerFactory,
    /** The request key this cluster's policy hashes, or null. */
    readonly hashKey: string | null,
    /** The per-proxy upstream state this cluster belongs to (opaque here). */
    readonly upstream: unknown,
  ) {
    const members = subset === null ? instances : instances.filter((i) => inSubset(i, subset));
    this.members = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.memberActive = new Int32Array(this.members.length);
    this.viewIndexOf = new Int32Array(this.members.length);
    this.view = this.makeView(this.members.map((_, m) => m));
    this.balancerOfView = balancerFactory(this.view);
  }

  get hosts(): ClusterHosts {
    return this.view;
  }

  get balancer(): Balancer {
    return this.balancerOfView;
  }

  /** Hosts the balancer can pick now (0: no healthy upstream). */
  get available(): number {
    return this.view.endpoints.length;
  }

  /** The member behind view index `v`. */
  memberAt(v: number): number {
    return this.view.members[v];
  }

  /** Counts a request sent to the host at view index `v`, and returns its member index. */
  started(v: number, now: number): number {
    const member = this.view.members[v];
    this.memberActive[member]++;
    this.view.active[v]++;
    const balancer = this.balancerOfView;
    if (balancer.onStart !== undefined) balancer.onStart(v, now);
    return member;
  }

  /** Uncounts a request to `member` that settled after `latencyMs`. */
  settled(member: number, latencyMs: number, ok: boolean, now: number): void {
    this.memberActive[member]--;
    const v = this.viewIndexOf[member];
    if (v < 0) return;
    this.view.active[v]--;
    const balancer = this.balancerOfView;
    if (balancer.onEnd !== undefined) balancer.onEnd(v, latencyMs, ok, now);
  }

  /**
   * Rebuilds the view from the ejected flags (by instance index of the service): the healthy
   * members, or all members when the healthy share is below the panic threshold.
   */
  applyEjections(ejected: Uint8Array, panicThresholdPercent: number): void {
    this.applyHostHealth(null, ejected, null, panicThresholdPercent);
  }

  /**
   * Rebuilds the view from flags by instance index of the service: `known` (1 = in this proxy's
   * discovered view; null: every member), `ejected` by outlier detection and `failingHc` active
   * health checks (null: none). The view holds the known members that are healthy, or every known
   * member when the healthy share of them is below the panic threshold, as Envoy's host set does.
   */
  applyHostHealth(known: Uint8Array | null, ejected: Uint8Array | null, failingHc: Uint8Array | null, panicThresholdPercent: number): void {
    const hosts: number[] = [];
    const healthy: number[] = [];
    for (let m = 0; m < this.members.length; m++) {
      const i = this.members[m].index;
      if (known !== null && known[i] === 0) continue;
      hosts.push(m);
      if ((ejected === null || ejected[i] === 0) && (failingHc === null || failingHc[i] === 0)) healthy.push(m);
    }
    const chosen = inPanic(healthy.length, hosts.length, panicThresholdPercent) ? hosts : healthy;
    if (chosen.length === this.view.endpoints.length && chosen.every((m, i) => this.view.members[i] === m)) return;
    this.view = this.makeView(chosen);
    this.balancerOfView = this.balancerFactory(this.view);
  }

  private makeView(memberIndexes: number[]): HostView {
    this.viewIndexOf = new Int32Array(this.members.length).fill(-1);
    memberIndexes.forEach((m, v) => (this.viewIndexOf[m] = v));
    return new HostView(
      memberIndexes.map((m) => this.members[m]),
      Int32Array.from(memberIndexes),
      this.memberActive,
    );
  }
}

function inSubset(instance: Instance, subset: SubsetSpec): boolean {
  for (const [label, value] of Object.entries(subset.labels)) if (instance.version.labels[label] !== value) return false;
  return true;
}
