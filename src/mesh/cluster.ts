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
//
// Locality (Istio's locality failover, ../locality/priority.ts): the members in the proxy's zone
// are priority P0 and the rest P1, each with its own balancer, as Istio hands Envoy one priority per
// locality match. A pick first chooses the priority by Envoy's priority load (overprovisioning
// factor, per-level panic), then balances within it. Slow start (../balancers/slowStart.ts): a
// member's clock starts when it enters this proxy's host set, or passes its active health check
// again; members already known when the cluster is built count as warm (the run starts steady).
import type { Rng } from "../kernel/random.ts";
import { mod64 } from "../kernel/uint64.ts";
import type { Endpoint } from "../model/endpoint.ts";
import type {
  Balancer,
  BalancerFactory,
  ClusterHosts,
  KeyHashing,
  PickRequest,
} from "./balancers/balancer.ts";
import type { SlowStartConfig } from "./balancers/slowStart.ts";
import { priorityLoad } from "./locality/priority.ts";
import { inPanic } from "./resilience/outlierDetection.ts";
import type { SubsetSpec } from "./spec.ts";

/** What a cluster needs of a host: an endpoint, with its version's balancing weight and subset labels (an Instance is one). */
export interface ClusterMember extends Pick<Endpoint, "id" | "index" | "zone"> {
  readonly version: { readonly weight: number; readonly labels: Readonly<Record<string, string>> };
}

/** Locality-prioritised balancing for one proxy: its zone is P0, every other zone P1. */
export interface ClusterLocality {
  readonly zone: string;
  /** Envoy overprovisioning_factor in percent (140). The panic threshold comes with each update. */
  readonly overprovisioningPercent: number;
}

/** The hosts a balancer sees: a subset of the members, with this proxy's counts. */
class HostView<M extends ClusterMember> implements ClusterHosts {
  readonly active: Int32Array;
  readonly weights: Float64Array;
  constructor(
    readonly endpoints: readonly M[],
    /** Member index of each view host. */
    readonly members: Int32Array,
    memberActive: Int32Array,
    readonly joinedAt: Float64Array | null,
  ) {
    this.active = Int32Array.from(members, (m) => memberActive[m]);
    this.weights = Float64Array.from(endpoints, (e) => e.version.weight);
  }
}

/** One priority level: its hosts now, and the balancer over them. */
interface Level<M extends ClusterMember> {
  view: HostView<M>;
  balancer: Balancer;
}

/** `M`: what the hosts are (the sidecar's are Instances; tests use plain members). */
export class Cluster<M extends ClusterMember> {
  /** The cluster's hosts, sorted by id. */
  readonly members: readonly M[];
  /** Requests this proxy has sent to each member whose tries have not yet finished. */
  private readonly memberActive: Int32Array;
  /** Priority of each member (all 0 without locality). */
  private readonly levelOf: Uint8Array;
  /** Position of each member in its level's view, or -1 when it is not in it. */
  private readonly viewIndexOf: Int32Array;
  private readonly levels: Level<M>[];
  /** Cumulative priority load in percent per level (the last is 100), for choosing a level. */
  private readonly cumulativeLoad: Int32Array;
  /** Whether more than one level takes load now (else level `onlyLevel` takes it all). */
  private split = false;
  private onlyLevel = 0;
  /** Slow start: when each member's clock started (NaN: none), whether it was a host, and failing its health check, at the last update. */
  private readonly joinedAt: Float64Array | null;
  private readonly wasHost: Uint8Array;
  private readonly wasFailing: Uint8Array;

  constructor(
    instances: readonly M[],
    subset: SubsetSpec | null,
    private readonly balancerFactory: BalancerFactory,
    /** The request key this cluster's policy hashes and how, or null. */
    readonly hashKey: KeyHashing | null,
    private readonly slowStart: SlowStartConfig | null = null,
    private readonly locality: ClusterLocality | null = null,
  ) {
    const members = subset === null ? instances : instances.filter((i) => inSubset(i, subset));
    this.members = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const n = this.members.length;
    this.memberActive = new Int32Array(n);
    this.viewIndexOf = new Int32Array(n).fill(-1);
    this.levelOf = Uint8Array.from(this.members, (m) =>
      locality === null || m.zone === locality.zone ? 0 : 1,
    );
    const levelCount = locality === null ? 1 : 2;
    this.cumulativeLoad = new Int32Array(levelCount);
    this.joinedAt = slowStart === null ? null : new Float64Array(n).fill(NaN);
    this.wasHost = new Uint8Array(n).fill(1);
    this.wasFailing = new Uint8Array(n);
    this.levels = [];
    for (let p = 0; p < levelCount; p++) {
      const view = this.makeView(p, this.membersOfLevel(p));
      this.levels.push({ view, balancer: balancerFactory(view) });
    }
    this.setLoads(
      levelCount === 1
        ? [100]
        : this.localityLoads(
            this.levels.map((l) => l.view.members.length),
            this.levels.map((l) => l.view.members.length),
            50,
          ),
    );
    this.countAvailable();
  }

  /** Hosts the balancer can pick now, counted at every view change (it is read on every try). */
  private availableHosts = 0;
  /** Whether some priority level balances over all its hosts, healthy or not (Envoy's panic). */
  private panicking = false;

  /** Some priority level is in panic now (set by each applyHostHealth). */
  get inPanic(): boolean {
    return this.panicking;
  }

  /** The hosts every level may send to now, in level then member order (for watchers). */
  hosts(): M[] {
    const out: M[] = [];
    for (const level of this.levels) out.push(...level.view.endpoints);
    return out;
  }

  /** Hosts the balancer can pick now (0: no healthy upstream). */
  get available(): number {
    return this.availableHosts;
  }

  private countAvailable(): void {
    let n = 0;
    for (let p = 0; p < this.levels.length; p++)
      if (this.levelLoad(p) > 0) n += this.levels[p].view.endpoints.length;
    this.availableHosts = n;
  }

  /**
   * Picks a member for a request: a priority level by Envoy's priority load (the request hash for
   * hashing policies, else a draw), then a host of that level from its balancer.
   */
  pick(rng: Rng, request: PickRequest): number {
    let p = this.onlyLevel;
    if (this.split) {
      // Envoy's choosePriority: the 64-bit hash mod 100.
      const bucket =
        request.hash >= 0
          ? mod64(request.hashHigh, request.hash, 100) + 1
          : Math.floor(rng.next() * 100) + 1;
      p = 0;
      while (bucket > this.cumulativeLoad[p]) p++;
    }
    const level = this.levels[p];
    return level.view.members[level.balancer.pick(level.view, rng, request)];
  }

  /** Counts a request sent to `member` (picked just now). */
  started(member: number, now: number): void {
    this.memberActive[member]++;
    const level = this.levels[this.levelOf[member]];
    const v = this.viewIndexOf[member];
    level.view.active[v]++;
    const balancer = level.balancer;
    if (balancer.onStart !== undefined) balancer.onStart(v, now);
  }

  /** Uncounts a request to `member` that finished (for this proxy) after `latencyMs`. */
  finished(member: number, latencyMs: number, ok: boolean, now: number): void {
    this.memberActive[member]--;
    const v = this.viewIndexOf[member];
    if (v < 0) return;
    const level = this.levels[this.levelOf[member]];
    level.view.active[v]--;
    const balancer = level.balancer;
    if (balancer.onEnd !== undefined) balancer.onEnd(v, latencyMs, ok, now);
  }

  /**
   * Rebuilds the views from flags by instance index of the service: `known` (1 = in this proxy's
   * discovered view; null: every member), `ejected` by outlier detection and `failingHc` active
   * health checks (null: none). Each level's view holds its known members that are healthy, or
   * all its known members when it is in panic, as Envoy's host sets do. Returns whether any
   * level's hosts changed.
   */
  applyHostHealth(
    known: Uint8Array | null,
    ejected: Uint8Array | null,
    failingHc: Uint8Array | null,
    panicThresholdPercent: number,
    now: number,
  ): boolean {
    const { hosts, healthy } = this.sortMembers(known, ejected, failingHc, now);
    let chosen: number[][];
    if (this.levels.length === 1) {
      const panic = inPanic(healthy[0].length, hosts[0].length, panicThresholdPercent);
      this.panicking = panic && hosts[0].length > 0;
      chosen = [panic ? hosts[0] : healthy[0]];
    } else {
      const load = priorityLoad(
        hosts.map((h, p) => ({ healthy: healthy[p].length, total: h.length })),
        {
          overprovisioningPercent: this.locality!.overprovisioningPercent,
          panicThresholdPercent,
          failTrafficOnPanic: false,
        },
      );
      chosen = hosts.map((h, p) => (load.hostSource[p] === "all" ? h : healthy[p]));
      this.setLoads(load.noHealthyUpstream ? [100, 0] : load.healthyLoad);
      // Panic as Envoy counts it (lb_healthy_panic): a level that takes traffic and sends it to all its hosts.
      this.panicking = load.hostSource.some(
        (source, p) => source === "all" && hosts[p].length > 0 && this.levelLoad(p) > 0,
      );
    }
    let changed = false;
    for (let p = 0; p < this.levels.length; p++) {
      const level = this.levels[p];
      const members = chosen[p];
      const same =
        members.length === level.view.members.length &&
        members.every((m, v) => level.view.members[v] === m);
      changed ||= !same;
      if (same && !this.slowStartChanged(members, level.view, now)) continue;
      level.view = this.makeView(p, members, now);
      level.balancer = this.balancerFactory(level.view);
    }
    this.countAvailable();
    return changed;
  }

  /**
   * The members that are hosts (known), and those of them that are healthy, per level; a host
   * that joins the set or passes its health check again starts its slow-start clock at `now`.
   */
  private sortMembers(
    known: Uint8Array | null,
    ejected: Uint8Array | null,
    failingHc: Uint8Array | null,
    now: number,
  ): { hosts: number[][]; healthy: number[][] } {
    const hosts: number[][] = this.levels.map(() => []);
    const healthy: number[][] = this.levels.map(() => []);
    for (let m = 0; m < this.members.length; m++) {
      const i = this.members[m].index;
      const isHost = known === null || known[i] !== 0;
      const failing = failingHc !== null && failingHc[i] !== 0;
      if (
        this.joinedAt !== null &&
        isHost &&
        !failing &&
        (this.wasHost[m] === 0 || this.wasFailing[m] !== 0)
      )
        this.joinedAt[m] = now;
      this.wasHost[m] = isHost ? 1 : 0;
      this.wasFailing[m] = failing ? 1 : 0;
      if (!isHost) continue;
      const p = this.levelOf[m];
      hosts[p].push(m);
      if ((ejected === null || ejected[i] === 0) && !failing) healthy[p].push(m);
    }
    return { hosts, healthy };
  }

  /** Load of level `p` in percent. */
  private levelLoad(p: number): number {
    return p === 0 ? this.cumulativeLoad[0] : this.cumulativeLoad[p] - this.cumulativeLoad[p - 1];
  }

  private setLoads(loads: readonly number[]): void {
    let sum = 0;
    let taking = 0;
    for (let p = 0; p < loads.length; p++) {
      sum += loads[p];
      this.cumulativeLoad[p] = sum;
      if (loads[p] > 0) {
        taking++;
        this.onlyLevel = p;
      }
    }
    this.split = taking > 1;
    if (taking === 0) this.onlyLevel = 0;
  }

  /** Priority loads with every host healthy (at build time). */
  private localityLoads(healthy: number[], total: number[], panic: number): readonly number[] {
    const levels = total.map((t, p) => ({ healthy: healthy[p], total: t }));
    return priorityLoad(levels, {
      overprovisioningPercent: this.locality!.overprovisioningPercent,
      panicThresholdPercent: panic,
      failTrafficOnPanic: false,
    }).healthyLoad;
  }

  private membersOfLevel(p: number): number[] {
    const out: number[] = [];
    for (let m = 0; m < this.members.length; m++) if (this.levelOf[m] === p) out.push(m);
    return out;
  }

  /** A view whose slow-start marks are stale: a host got a new mark, or the last window ran out. */
  private slowStartChanged(members: number[], view: HostView<M>, now: number): boolean {
    if (this.joinedAt === null) return false;
    const marked = this.markedAt(members, now) !== null;
    if (marked !== (view.joinedAt !== null)) return true;
    if (!marked) return false;
    return members.some((m, v) => !Object.is(this.joinedAt![m], view.joinedAt![v]));
  }

  /** The slow-start marks of `members` still inside their window at `now`, or null when none is. */
  private markedAt(members: number[], now: number): Float64Array | null {
    const joinedAt = this.joinedAt;
    if (joinedAt === null) return null;
    const window = this.slowStart!.windowMs;
    let any = false;
    const marks = Float64Array.from(members, (m) => {
      const mark = joinedAt[m];
      if (!Number.isNaN(mark) && now - mark < window) {
        any = true;
        return mark;
      }
      return NaN;
    });
    return any ? marks : null;
  }

  private makeView(p: number, memberIndexes: number[], now = 0): HostView<M> {
    for (let m = 0; m < this.members.length; m++)
      if (this.levelOf[m] === p) this.viewIndexOf[m] = -1;
    memberIndexes.forEach((m, v) => {
      this.viewIndexOf[m] = v;
    });
    return new HostView(
      memberIndexes.map((m) => this.members[m]),
      Int32Array.from(memberIndexes),
      this.memberActive,
      this.markedAt(memberIndexes, now),
    );
  }
}

function inSubset(instance: ClusterMember, subset: SubsetSpec): boolean {
  for (const [label, value] of Object.entries(subset.labels))
    if (instance.version.labels[label] !== value) return false;
  return true;
}
