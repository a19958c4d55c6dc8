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
// Locality (Istio's locality LB, ../locality/localityGroups.ts): the members form groups, each with
// its own balancer. Priorities: Envoy priority levels P0..PN from region/zone/subzone, `failover`
// and `failoverPriority` (flat zones: the proxy's zone P0, the rest P1); a pick first chooses the
// level by Envoy's priority load (overprovisioning factor, per-level panic), then balances within
// it. `distribute`: one group per locality, chosen by a draw in proportion to its effective weight
// (weight × min(1, 1.4 × healthy / total)); Envoy picks localities by a weighted round robin, and in
// panic balances over the whole priority: here a panicking cluster keeps the locality weights over
// all hosts. Slow start (../balancers/slowStart.ts): a
// member's clock starts when it enters this proxy's host set, or passes its active health check
// again; members already known when the cluster is built count as warm (the run starts steady).
// Over 400 lines because the levels, their views and the per-member counts are one structure that
// every pick, start, finish and health update reads; the grouping rules live in ../locality/.
import type { Rng } from "../kernel/random.ts";
import { mod64 } from "../kernel/uint64.ts";
import type { Endpoint, Locality } from "../model/endpoint.ts";
import {
  type Balancer,
  type BalancerFactory,
  type ClusterHosts,
  hashWordsOf,
  type KeyHashing,
  type PickRequest,
} from "./balancers/balancer.ts";
import type { SlowStartConfig } from "./balancers/slowStart.ts";
import { type ClusterLocality, localityGroups } from "./locality/localityGroups.ts";
import { localityShares } from "./locality/localityWeight.ts";
import { priorityLoad } from "./locality/priority.ts";
import { inPanic } from "./resilience/outlierDetection.ts";
import type { SubsetSpec } from "./spec.ts";

/** What a cluster needs of a host: an endpoint, with its version's balancing weight and subset labels (an Instance is one). */
export interface ClusterMember extends Pick<Endpoint, "id" | "index" | "zone"> {
  readonly version: { readonly weight: number; readonly labels: Readonly<Record<string, string>> };
  /** Region/zone/subzone; absent: its zone in the one unnamed region. */
  readonly locality?: Locality;
}

export type { ClusterLocality };

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
    /** Whether its cluster has one level, whose view may share the members' counts (Cluster.sharedCounts). */
    oneLevel: boolean,
  ) {
    // The one view of every member in member order shares their counts.
    this.active =
      oneLevel && isEveryMember(members, memberActive.length)
        ? memberActive
        : Int32Array.from(members, (m) => memberActive[m]);
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
  /** Priority level (or weighted locality) of each member (all 0 without locality). */
  private readonly levelOf: Uint8Array;
  /** Levels are Envoy priorities (priority load) or `distribute` localities (weights), or neither. */
  private readonly prioritised: boolean;
  private readonly weighted: boolean;
  /** `distribute`: each locality's load_balancing_weight. */
  private readonly localityWeights: readonly number[] = [];
  /** Position of each member in its level's view, or -1 when it is not in it. */
  private readonly viewIndexOf: Int32Array;
  private readonly levels: Level<M>[];
  /** Cumulative load per level (priorities: integer percent, the last 100; localities: share × 100). */
  private readonly cumulativeLoad: Float64Array;
  /** Whether more than one level takes load now (else level `onlyLevel` takes it all). */
  private split = false;
  private onlyLevel = 0;
  /**
   * `levels[onlyLevel]`, kept by `setLoads`: an unsplit pick reads it, one object fewer to load than
   * the array and its elements (a level's view and balancer are replaced in place, never the level).
   */
  private onlyLevelTaking!: Level<M>;
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
    const groups = locality === null ? null : localityGroups(this.members, locality);
    this.prioritised = groups?.mode === "priority";
    this.weighted = groups?.mode === "weighted";
    if (groups !== null && groups.count > 255)
      throw new RangeError(`${groups.count} locality groups: at most 255`);
    this.levelOf = groups === null ? new Uint8Array(n) : Uint8Array.from(groups.groupOf);
    if (this.weighted) this.localityWeights = groups!.weights;
    const levelCount = groups === null ? 1 : groups.count;
    this.cumulativeLoad = new Float64Array(levelCount);
    this.joinedAt = slowStart === null ? null : new Float64Array(n).fill(NaN);
    this.wasHost = new Uint8Array(n).fill(1);
    this.wasFailing = new Uint8Array(n);
    this.levels = [];
    for (let p = 0; p < levelCount; p++) {
      const view = this.makeView(p, this.membersOfLevel(p));
      this.levels.push({ view, balancer: balancerFactory(view) });
    }
    const sizes = this.levels.map((l) => l.view.members.length);
    if (this.weighted) this.setWeightedLoads(sizes, sizes);
    else this.setLoads(this.prioritised ? this.localityLoads(sizes, sizes, 50) : [100]);
    this.countAvailable();
    this.noteSharedCounts();
  }

  /** A request's hash words, when a priority is chosen by them. */
  private readonly words = new Uint32Array(2);

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
    if (this.split && this.weighted) {
      // A locality in proportion to its effective weight (a draw; Envoy runs a weighted round robin).
      const last = this.cumulativeLoad.length - 1;
      const x = rng.next() * this.cumulativeLoad[last];
      p = 0;
      while (p < last && x >= this.cumulativeLoad[p]) p++;
    } else if (this.split) {
      // Envoy's choosePriority: the 64-bit hash mod 100.
      const words = this.words;
      const wide = this.hashKey === null || !this.hashKey.murmur3;
      const bucket = hashWordsOf(request, wide, words)
        ? mod64(words[0], words[1], 100) + 1
        : Math.floor(rng.next() * 100) + 1;
      p = 0;
      while (bucket > this.cumulativeLoad[p]) p++;
    }
    const level = this.split ? this.levels[p] : this.onlyLevelTaking;
    return level.view.members[level.balancer.pick(level.view, rng, request)];
  }

  /**
   * One level whose view holds every member in member order: its counts are the members' own
   * (HostView), so a start or finish counts once. Most clusters, as long as no host leaves.
   */
  private sharedCounts = false;

  /** Notes whether the views' counts are the members' own (after every view change). */
  private noteSharedCounts(): void {
    this.sharedCounts =
      this.levels.length === 1 && this.levels[0].view.active === this.memberActive;
  }

  /** Counts a request sent to `member` (picked just now). */
  started(member: number, now: number): void {
    if (this.sharedCounts) {
      this.memberActive[member]++;
      const balancer = this.levels[0].balancer;
      if (balancer.onStart !== undefined) balancer.onStart(member, now);
      return;
    }
    this.memberActive[member]++;
    const level = this.levels[this.levelOf[member]];
    const v = this.viewIndexOf[member];
    level.view.active[v]++;
    const balancer = level.balancer;
    if (balancer.onStart !== undefined) balancer.onStart(v, now);
  }

  /** Uncounts a request to `member` that finished (for this proxy) after `latencyMs`. */
  finished(member: number, latencyMs: number, ok: boolean, now: number): void {
    if (this.sharedCounts) {
      this.memberActive[member]--;
      const balancer = this.levels[0].balancer;
      if (balancer.onEnd !== undefined) balancer.onEnd(member, latencyMs, ok, now);
      return;
    }
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
    if (this.weighted) {
      chosen = this.weightedHosts(hosts, healthy, panicThresholdPercent);
    } else if (!this.prioritised) {
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
      this.setLoads(
        load.noHealthyUpstream ? hosts.map((_, p) => (p === 0 ? 100 : 0)) : load.healthyLoad,
      );
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
    this.noteSharedCounts();
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
    this.onlyLevelTaking = this.levels[this.onlyLevel];
  }

  /**
   * `distribute`: each locality's hosts and share now. The cluster panics as one priority level
   * (healthy share below the threshold); then, or when no weighted locality has a healthy host,
   * every locality's hosts count as available (Envoy would balance over the whole priority).
   */
  private weightedHosts(
    hosts: number[][],
    healthy: number[][],
    panicThreshold: number,
  ): number[][] {
    let total = 0;
    let up = 0;
    for (let p = 0; p < hosts.length; p++) {
      total += hosts[p].length;
      up += healthy[p].length;
    }
    let all = inPanic(up, total, panicThreshold);
    const sizes = (lists: number[][]) => lists.map((l) => l.length);
    if (!all && !this.setWeightedLoads(sizes(healthy), sizes(hosts))) all = true;
    if (all) this.setWeightedLoads(sizes(hosts), sizes(hosts));
    this.panicking = all && total > 0;
    return all ? hosts : healthy;
  }

  /** Sets the loads from the localities' effective weights; false (loads all 0) when none can be picked. */
  private setWeightedLoads(available: number[], total: number[]): boolean {
    const shares = localityShares(
      this.localityWeights.map((weight, p) => ({
        weight,
        available: available[p],
        total: total[p],
      })),
      this.locality!.overprovisioningPercent,
    );
    this.setLoads(shares === null ? total.map(() => 0) : shares.map((s) => s * 100));
    return shares !== null;
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
      this.cumulativeLoad.length === 1,
    );
  }
}

/** Whether view members `members` are all `n` members, in member order. */
function isEveryMember(members: Int32Array, n: number): boolean {
  if (members.length !== n) return false;
  for (let v = 0; v < n; v++) if (members[v] !== v) return false;
  return true;
}

function inSubset(instance: ClusterMember, subset: SubsetSpec): boolean {
  for (const [label, value] of Object.entries(subset.labels))
    if (instance.version.labels[label] !== value) return false;
  return true;
}
