// One proxy's Curator service-discovery cache (ServiceCache over PathChildrenCache, cacheData on),
// kept by ZooKeeper's one-shot watches, after apache/curator and the ZooKeeper Programmer's Guide:
// - A child watch event on /services/<name> makes the cache re-read the children (getChildren, which
//   sets the next child watch at the server); changes between the firing and the server answering
//   that read are seen only in its answer, so intermediate states can be missed.
// - A child that is new to the cache is read (getData, which sets a data watch on it) and enters
//   the cache when the data arrives (CHILD_ADDED); a child missing from a re-read leaves it, and a
//   data watch's NodeDeleted removes it at once (no read needed).
// - Everything the server sends a client (watch events, answers) arrives in order (one TCP
//   connection): a message never overtakes an earlier one. Events are delayed U[0, pushDelay) per
//   client, a read takes roundTrip (the server reads at its middle).
// - While the ensemble is cut off (registry-outage) reads and events are lost and the cache keeps
//   what it has; on reconnect the cache re-reads every service (PathChildrenCache's refresh).
// The proxy balances over the cache (Curator's ServiceProvider reads ServiceCache.getInstances()).
import type { Rng } from "../../kernel/random.ts";
import type { Scheduler } from "../../kernel/scheduler.ts";
import type { SnapshotSink } from "./server.ts";
import type { EndpointSet, Snapshot } from "./snapshot.ts";

/** The server side a cache talks to (ZooKeeperServer). */
export interface ZooKeeperReads {
  up(): boolean;
  /** getChildren(path, watch): the service's current children by instance index; sets the client's child watch. */
  getChildren(client: number, service: number): Uint8Array;
  /** getData(path, watch): whether the node exists (false: NoNode); sets the client's data watch when it does. */
  getData(client: number, service: number, index: number): boolean;
}

export class CuratorServiceCache {
  private sets: EndpointSet[];
  private seq = 0;
  /** When the last message to this client arrives (the connection keeps order). */
  private lastArrival = 0;

  constructor(
    readonly id: number,
    private readonly proxy: SnapshotSink,
    initial: Snapshot,
    private readonly zk: ZooKeeperReads,
    private readonly scheduler: Scheduler,
    private readonly rng: Rng,
    private readonly pushDelayMs: number,
    private readonly roundTripMs: number,
  ) {
    this.sets = [...initial.sets];
  }

  /** The server fired watches of this client for one change: the node's data watch (index, or -1) and/or the service's child watch. */
  notify(service: number, deleted: number, childWatch: boolean): void {
    const at = this.scheduler.now + this.rng.next() * this.pushDelayMs;
    this.arrive(at, () => {
      if (deleted >= 0) this.set(service, deleted, false);
      if (childWatch) this.readChildren(service);
    });
  }

  /** Reconnected after an outage: re-read every service (the refresh sets the watches again). */
  refresh(): void {
    for (let service = 0; service < this.sets.length; service++) this.readChildren(service);
  }

  /** Whether the cache lists the instance now (for tests). */
  lists(service: number, index: number): boolean {
    return this.sets[service].has[index] === 1;
  }

  private readChildren(service: number): void {
    this.request(() => {
      const children = this.zk.getChildren(this.id, service);
      this.arrive(this.scheduler.now + this.roundTripMs / 2, () => {
        const cached = this.sets[service].has;
        for (let index = 0; index < children.length; index++) {
          if (cached[index] === 1 && children[index] === 0) this.set(service, index, false);
          else if (cached[index] === 0 && children[index] === 1) this.readData(service, index);
        }
      });
    });
  }

  private readData(service: number, index: number): void {
    this.request(() => {
      if (!this.zk.getData(this.id, service, index)) return; // NoNode: gone before the read
      this.arrive(this.scheduler.now + this.roundTripMs / 2, () => this.set(service, index, true));
    });
  }

  /** A request reaches the server after half the round trip; it is lost while the ensemble is cut off. */
  private request(atServer: () => void): void {
    this.scheduler.post(this.scheduler.now + this.roundTripMs / 2, () => {
      if (this.zk.up()) atServer();
    });
  }

  /** A message from the server, arriving no earlier than the one before it; lost while cut off. */
  private arrive(atMs: number, action: () => void): void {
    const at = Math.max(atMs, this.lastArrival);
    this.lastArrival = at;
    this.scheduler.post(at, () => {
      if (this.zk.up()) action();
    });
  }

  private set(service: number, index: number, member: boolean): void {
    const old = this.sets[service];
    if ((old.has[index] === 1) === member) return;
    const has = Uint8Array.from(old.has);
    has[index] = member ? 1 : 0;
    this.sets[service] = { has, size: old.size + (member ? 1 : -1) };
    this.proxy.adopt({ seq: ++this.seq, sets: [...this.sets] });
  }
}
