// The registry's records: one entry per instance in a state of the registry's own (Eureka
// registered/expired/evicted, Nacos healthy/unhealthy/deleted, ...), moved only through `move`, which
// checks the kind's transition table and records the change as a state change of the run
// (`registry payment-1`), and the set each service serves (a SnapshotWriter). Each kind's server
// (eureka.ts, nacos.ts, consul.ts, kubernetes.ts) decides when to move an entry and whether it is served.
import type { Scheduler } from "../../kernel/scheduler.ts";
import type { Instance } from "../../model/instance.ts";
import { type Snapshot, SnapshotWriter, snapshotOf } from "./snapshot.ts";

/** Records a state change of the run (the observer's stateChanged). */
export type StateRecorder = (atMs: number, component: string, from: string, to: string) => void;

/** Registry state names, and for each the states it may move to. `absent` is every entry's state before its first registration. */
export type TransitionTable<S extends string> = Readonly<Record<S | "absent", readonly S[]>>;

export class LeaseStore<S extends string> {
  private readonly states: (S | "absent")[][];
  private readonly writer: SnapshotWriter;
  /** Counts of entries entering each state after t = 0, for the result. */
  readonly entered = new Map<string, number>();

  constructor(
    private readonly services: readonly { readonly instances: readonly Instance[] }[],
    private readonly table: TransitionTable<S>,
    /** The state at t = 0 of every ready instance (registered and served: views start complete); others are absent. */
    initial: S,
    private readonly scheduler: Scheduler,
    private readonly record: StateRecorder,
    /** Called when the served snapshot changed. */
    private readonly onChange: (snapshot: Snapshot) => void,
  ) {
    this.states = services.map((s) =>
      s.instances.map((instance) => (instance.phase === "ready" ? initial : "absent")),
    );
    this.writer = new SnapshotWriter(
      snapshotOf(services, (instance) => instance.phase === "ready"),
    );
  }

  /** What the registry serves now (before any cache of the server's). */
  get live(): Snapshot {
    return this.writer.snapshot;
  }

  state(instance: Instance): S | "absent" {
    return this.states[instance.service.index][instance.index];
  }

  /** The single place an entry changes state: checks the move against the table and records it. */
  move(instance: Instance, to: S): void {
    const from = this.state(instance);
    if (from === to) return;
    if (!this.table[from].includes(to)) {
      throw new Error(
        `registry entry ${instance.id} cannot go from ${from} to ${to}; from ${from} it may go to ${this.table[from].join(" or ")}`,
      );
    }
    this.states[instance.service.index][instance.index] = to;
    this.entered.set(to, (this.entered.get(to) ?? 0) + 1);
    this.record(this.scheduler.now, `registry ${instance.id}`, from, to);
  }

  /** Serves the instance or stops serving it; tells onChange when the served set changed. */
  serve(instance: Instance, served: boolean): void {
    if (this.writer.set(instance.service.index, instance.index, served))
      this.onChange(this.writer.snapshot);
  }

  served(instance: Instance): boolean {
    return this.writer.snapshot.sets[instance.service.index].has[instance.index] === 1;
  }

  /** Whether the entry is in one of `states`. */
  isIn(instance: Instance, states: readonly (S | "absent")[]): boolean {
    return states.includes(this.state(instance));
  }

  /** Every instance with its service, in service then instance order (a fixed order for scans). */
  *all(): Generator<Instance> {
    for (const service of this.services) yield* service.instances;
  }
}
