// What a registry serves and a proxy holds: per service, the set of instances a client may send
// to, as immutable values. A change makes a new set for that service and a new snapshot sharing
// every other service's set, so a fetch or a push hands a proxy the server's snapshot by reference,
// and comparing two snapshots of one service is one reference comparison. `seq` orders snapshots,
// so a proxy never goes back to an older one that arrives late.

export interface EndpointSet {
  /** By instance index of the service: 1 when the instance is in the set. */
  readonly has: Uint8Array;
  readonly size: number;
}

export interface Snapshot {
  /** Increases with every change, over all services. */
  readonly seq: number;
  /** By service index. */
  readonly sets: readonly EndpointSet[];
}

/** The instances `member` accepts, per service (how views start: every instance ready at t = 0). */
export function snapshotOf<I>(
  services: readonly { readonly instances: readonly I[] }[],
  member: (instance: I) => boolean,
): Snapshot {
  return {
    seq: 0,
    sets: services.map((s) => {
      const has = Uint8Array.from(s.instances, (instance) => (member(instance) ? 1 : 0));
      return { has, size: has.reduce((n, v) => n + v, 0) };
    }),
  };
}

/** Builds snapshots one membership change at a time, sharing what did not change. */
export class SnapshotWriter {
  private current: Snapshot;
  private seq = 0;

  constructor(initial: Snapshot) {
    this.current = initial;
    this.seq = initial.seq;
  }

  get snapshot(): Snapshot {
    return this.current;
  }

  /** Puts instance `index` of service `service` in or out; returns whether that changed anything. */
  set(service: number, index: number, member: boolean): boolean {
    const old = this.current.sets[service];
    if ((old.has[index] === 1) === member) return false;
    const has = Uint8Array.from(old.has);
    has[index] = member ? 1 : 0;
    const sets = [...this.current.sets];
    sets[service] = { has, size: old.size + (member ? 1 : -1) };
    this.current = { seq: ++this.seq, sets };
    return true;
  }
}
