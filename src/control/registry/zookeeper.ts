// A ZooKeeper server holding Curator service discovery's ephemeral instance nodes
// (/services/<name>/<id>, one per instance, owned by the instance's session), after the ZooKeeper
// Programmer's Guide (sessions, ephemeral nodes, watches) and apache/zookeeper's SessionTrackerImpl
// / ExpiryQueue. The proxies' side, Curator's ServiceCache, is curatorCache.ts. Rules kept:
// - An instance's client opens a session when it becomes ready and creates its node; it pings
//   every sessionTimeout / 3 (the client pings when idle for half its read timeout, 2/3 of the
//   session timeout). Each ping touches the session: it now expires at the first tick after
//   touch + sessionTimeout (roundToNextInterval: sessions expire in tickTime buckets, on the
//   server's clock, whose phase against the sim's t = 0 is drawn from `registry/server`).
// - An expired session's ephemeral node is deleted (`expired`); a graceful stop deletes the node and
//   closes the session at once (`deleted`); a kill or a hung pod only stops the pings. A client that
//   comes back after its session expired (a pod-failure ending) opens a new session and registers
//   again (Curator's ServiceDiscovery re-registers on reconnect); one back in time keeps its session.
// - A change to a service's children fires the child watches set on it, and a node's deletion its
//   data watches; each watch fires once and is gone until the client's next read sets it again.
// - registry-outage: clients cannot reach the ensemble, which goes on expiring the sessions it no
//   longer hears from; events and reads are lost. On reconnect, instances without a session register
//   again, sessions alive are touched, and every cache re-reads.
// Left out: quorum and leader election (one standalone server), min/maxSessionTimeout set apart
// from tickTime, Curator's retry policy and connection-loss timeouts, instance payload updates.

import type { Rng } from "../../kernel/random.ts";
import type { Timer } from "../../kernel/scheduler.ts";
import type { Instance } from "../../model/instance.ts";
import type { Phase } from "../../model/instanceLife.ts";
import { CuratorServiceCache, type ZooKeeperReads } from "./curatorCache.ts";
import { LeaseStore, type TransitionTable } from "./leaseStore.ts";
import type { ZooKeeperSpec } from "./presets.ts";
import {
  phaseOf,
  type RegistryContext,
  type RegistryKindModel,
  type RegistryServer,
  type SnapshotSink,
} from "./server.ts";
import type { Snapshot } from "./snapshot.ts";

export type ZooKeeperState = "created" | "expired" | "deleted";

export const ZOOKEEPER_TRANSITIONS: TransitionTable<ZooKeeperState> = {
  absent: ["created"],
  created: ["expired", "deleted"],
  expired: ["created"],
  deleted: ["created"],
};

/** The client's ping period: it pings when idle for half its read timeout, which is 2/3 of the session timeout. */
export function pingIntervalMs(sessionTimeoutMs: number): number {
  return sessionTimeoutMs / 3;
}

/**
 * The expiry tick a session touched at `nowMs` expires in (ExpiryQueue.roundToNextInterval): the
 * first tick strictly after now + timeout, ticks falling at k × tickTime − offset on the sim clock.
 */
export function expiryTick(
  nowMs: number,
  sessionTimeoutMs: number,
  tickTimeMs: number,
  offsetMs: number,
): number {
  const due = nowMs + sessionTimeoutMs;
  let k = Math.floor((due + offsetMs) / tickTimeMs) + 1;
  while (k * tickTimeMs - offsetMs <= due) k++;
  while ((k - 1) * tickTimeMs - offsetMs > due) k--;
  return k;
}

interface Session {
  /** 0: no open session. */
  id: number;
  /** The expiry tick of the open session. */
  expiresAt: number;
  ping: Timer | null;
  /** The process started and has not registered yet (an old process's session may still be open). */
  pending: boolean;
}

export class ZooKeeperServer implements RegistryServer, ZooKeeperReads {
  private readonly store: LeaseStore<ZooKeeperState>;
  private readonly sessions: Session[][];
  /** By service and instance: the session owning the node, 0 when there is none. */
  private readonly owner: Int32Array[];
  private nextSession = 1;
  /** The server clock's offset: tick k falls at k × tickTime − offset. */
  private readonly offsetMs: number;
  private tick: number;
  private clients: CuratorServiceCache[] = [];
  /** By service: the clients with a child watch set. */
  private childWatches: Uint8Array[] = [];
  /** By service and instance: the clients with a data watch on the node. */
  private dataWatches: Uint8Array[][] = [];

  constructor(
    private readonly spec: ZooKeeperSpec,
    private readonly ctx: RegistryContext,
  ) {
    this.store = new LeaseStore(
      ctx.services,
      ZOOKEEPER_TRANSITIONS,
      "created",
      ctx.scheduler,
      ctx.record,
      () => {},
    );
    this.sessions = ctx.services.map((s) =>
      s.instances.map(() => ({ id: 0, expiresAt: 0, ping: null, pending: false })),
    );
    this.owner = ctx.services.map((s) => new Int32Array(s.instances.length));
    this.offsetMs = phaseOf(ctx.stream("server"), spec.tickTimeMs);
    const ping = pingIntervalMs(spec.sessionTimeoutMs);
    for (const instance of this.store.all()) {
      // One stream per instance, drawn whether or not it is up at t = 0, so adding one changes no other's draws.
      const phase = phaseOf(ctx.stream(`instance/${instance.id}`), ping);
      if (this.store.state(instance) !== "created") continue;
      this.open(instance, phase - ping);
      this.schedulePings(instance, phase);
    }
    this.tick = Math.floor(this.offsetMs / spec.tickTimeMs) + 1;
    this.scheduleTick();
  }

  served(): Snapshot {
    return this.store.live;
  }

  up(): boolean {
    return this.ctx.up();
  }

  subscribe(views: readonly SnapshotSink[], rngs: readonly Rng[]): void {
    const initial = this.store.live;
    this.clients = views.map(
      (view, c) =>
        new CuratorServiceCache(
          c,
          view,
          initial,
          this,
          this.ctx.scheduler,
          rngs[c],
          this.spec.pushDelayMs,
          this.spec.roundTripMs,
        ),
    );
    // Every cache has read every service at start: child watches on each, data watches on each node.
    this.childWatches = this.ctx.services.map(() => new Uint8Array(views.length).fill(1));
    this.dataWatches = this.ctx.services.map((s, i) =>
      s.instances.map((_, j) => new Uint8Array(views.length).fill(initial.sets[i].has[j])),
    );
  }

  recovered(): void {
    for (const instance of this.store.all()) this.reconnect(instance);
    for (const client of this.clients) client.refresh();
  }

  phaseChanged(instance: Instance, _from: Phase, to: Phase, graceful: boolean): void {
    if (to === "ready") {
      // A new process: a new session and node as soon as it reaches the ensemble, pings from here.
      this.sessionOf(instance).pending = true;
      this.reconnect(instance);
      this.schedulePings(
        instance,
        this.ctx.scheduler.now + pingIntervalMs(this.spec.sessionTimeoutMs),
      );
    } else if (graceful && (to === "draining" || to === "stopped") && this.ctx.up()) {
      // ServiceDiscovery.unregisterService and the client's close: the node goes at once.
      const session = this.sessionOf(instance);
      if (session.id !== 0 && this.ownerOf(instance) === session.id)
        this.removeNode(instance, "deleted");
      session.id = 0;
      session.pending = false;
    }
  }

  reachabilityChanged(instance: Instance): void {
    this.reconnect(instance);
  }

  getChildren(client: number, service: number): Uint8Array {
    this.childWatches[service][client] = 1;
    const has = this.store.live.sets[service].has;
    // Curator sets the data watches of the nodes it holds again on reconnect; here, at each re-read.
    has.forEach((v, i) => {
      if (v === 1) this.dataWatches[service][i][client] = 1;
    });
    return Uint8Array.from(has);
  }

  getData(client: number, service: number, index: number): boolean {
    if (this.store.live.sets[service].has[index] === 0) return false;
    this.dataWatches[service][index][client] = 1;
    return true;
  }

  events(): ReadonlyMap<string, number> {
    return this.store.entered;
  }

  // -------------------------------------------------------------------------------------------

  /**
   * The instance's client gets through (a ping, the end of a pod-failure or an outage): within its
   * session it touches it; a new process, or one whose session expired, registers (again).
   */
  private reconnect(instance: Instance): void {
    if (!instance.canHeartbeat || !this.ctx.up()) return;
    const session = this.sessionOf(instance);
    if (session.pending || session.id === 0) this.register(instance);
    else session.expiresAt = this.expiryOf(this.ctx.scheduler.now);
  }

  private sessionOf(instance: Instance): Session {
    return this.sessions[instance.service.index][instance.index];
  }

  private ownerOf(instance: Instance): number {
    return this.owner[instance.service.index][instance.index];
  }

  private expiryOf(touchedMs: number): number {
    return expiryTick(touchedMs, this.spec.sessionTimeoutMs, this.spec.tickTimeMs, this.offsetMs);
  }

  /** Opens a session last touched at `touchedMs` and makes the instance's node its own. */
  private open(instance: Instance, touchedMs: number): void {
    const session = this.sessionOf(instance);
    session.id = this.nextSession++;
    session.pending = false;
    session.expiresAt = this.expiryOf(touchedMs);
    this.owner[instance.service.index][instance.index] = session.id;
  }

  /** A new session and its ephemeral node (an old session's node, still there, is taken over: the instance stays listed). */
  private register(instance: Instance): void {
    const existed = this.store.served(instance);
    this.open(instance, this.ctx.scheduler.now);
    this.store.move(instance, "created");
    this.store.serve(instance, true);
    this.fire(instance.service.index, existed ? -1 : instance.index, false);
  }

  private removeNode(instance: Instance, to: "expired" | "deleted"): void {
    this.owner[instance.service.index][instance.index] = 0;
    this.store.move(instance, to);
    this.store.serve(instance, false);
    this.fire(instance.service.index, instance.index, true);
  }

  /** A change of the service's children: its child watches fire, and a deleted node's data watches. */
  private fire(service: number, index: number, deleted: boolean): void {
    const child = this.childWatches[service];
    const data = deleted ? this.dataWatches[service]?.[index] : undefined;
    for (const client of this.clients) {
      const c = client.id;
      const childWatch = child[c] === 1;
      const dataWatch = data !== undefined && data[c] === 1;
      if (!childWatch && !dataWatch) continue;
      child[c] = 0;
      if (data !== undefined) data[c] = 0;
      if (this.ctx.up()) client.notify(service, dataWatch ? index : -1, childWatch);
    }
  }

  private schedulePings(instance: Instance, firstMs: number): void {
    const session = this.sessionOf(instance);
    const { scheduler } = this.ctx;
    const period = pingIntervalMs(this.spec.sessionTimeoutMs);
    if (session.ping !== null) scheduler.cancel(session.ping);
    const ping = (): void => {
      session.ping = scheduler.at(scheduler.now + period, ping);
      this.reconnect(instance);
    };
    session.ping = scheduler.at(firstMs, ping);
  }

  /** The session tracker: at each tick, the sessions due expire and their nodes go. */
  private scheduleTick(): void {
    const at = this.tick * this.spec.tickTimeMs - this.offsetMs;
    this.ctx.scheduler.post(at, () => {
      for (const instance of this.store.all()) {
        const session = this.sessionOf(instance);
        if (session.id === 0 || session.expiresAt > this.tick) continue;
        const owned = this.ownerOf(instance) === session.id;
        session.id = 0;
        if (owned) this.removeNode(instance, "expired");
      }
      this.tick++;
      this.scheduleTick();
    });
  }
}

/** ZooKeeper as a registry kind: no pushes or polls; each proxy's Curator cache follows its watches. */
export const zookeeper: RegistryKindModel<ZooKeeperSpec> = {
  server: (spec, ctx) => new ZooKeeperServer(spec, ctx),
  delivery: () => ({ pushDelayMs: 0, poll: null }),
};
