// What every registry kind's server model shares: its context in the world (clock, instances,
// seeded streams, state-change recording, whether it answers, how it pushes), and the face it shows
// the control plane. Lifecycle changes of instances reach the server as a LifecycleListener; the
// server decides what the registry hears of them (a kill is heard of only through missed beats).
import type { Rng } from "../../kernel/random.ts";
import type { Scheduler } from "../../kernel/scheduler.ts";
import type { LifecycleListener } from "../../model/instance.ts";
import type { Service } from "../../model/service.ts";
import type { StateRecorder } from "./leaseStore.ts";
import type { Snapshot } from "./snapshot.ts";

export interface RegistryContext {
  readonly scheduler: Scheduler;
  readonly services: readonly Service[];
  readonly record: StateRecorder;
  /** False while a registry-outage fault is in force: nothing reaches the registry or leaves it. */
  up(): boolean;
  /** A seeded stream named `registry/<label>` (each label once). */
  stream(label: string): Rng;
  /** Sends `snapshot` to every proxy (push-based kinds), each after its own delay; dropped while down. */
  push(snapshot: Snapshot): void;
}

/** How a kind's clients hear of changes: pushes, each after U[0, pushDelayMs) per proxy, and polling. */
export interface ClientDelivery {
  readonly pushDelayMs: number;
  /** Each proxy fetches every `intervalMs`, behind a client cache reloaded every `cacheTtlMs` (0: none); null: no polling. */
  readonly poll: { readonly intervalMs: number; readonly cacheTtlMs: number } | null;
}

/** One registry kind (a preset): its server model, and how its clients learn of changes. */
export interface RegistryKindModel<S> {
  server(spec: S, ctx: RegistryContext): RegistryServer;
  delivery(spec: S): ClientDelivery;
}

/** What a registry client hands its changes to: the proxy's discovery (ProxyDiscovery.adopt). */
export interface SnapshotSink {
  adopt(snapshot: Snapshot): void;
}

export interface RegistryServer extends LifecycleListener {
  /**
   * For kinds whose clients keep their own state (ZooKeeper's watches and Curator's cache): one
   * client per proxy view, each with its seeded stream. Kinds that push or poll leave it out.
   */
  subscribe?(views: readonly SnapshotSink[], rngs: readonly Rng[]): void;
  /** What a client's fetch or query returns now (Eureka: the read-only response cache). */
  served(): Snapshot;
  /** The registry answers again after an outage: catch up what was held back. */
  recovered(): void;
  /** How many times registry entries entered each state after t = 0 (registered, expired, ...). */
  events(): ReadonlyMap<string, number>;
}

/** Uniform in [0, periodMs): where a periodic task of something that started before t = 0 falls. */
export function phaseOf(rng: Rng, periodMs: number): number {
  return rng.next() * periodMs;
}

/** Runs `task` at `firstMs`, then every `periodMs` after each run's start, forever (a fixed-rate timer). */
export function every(
  scheduler: Scheduler,
  firstMs: number,
  periodMs: number,
  task: () => void,
): void {
  const tick = (): void => {
    task();
    scheduler.post(scheduler.now + periodMs, tick);
  };
  scheduler.post(firstMs, tick);
}
