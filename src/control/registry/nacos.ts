// A Nacos naming server with ephemeral instances kept alive by 1.x-style heartbeats (BeatReactor on
// the client, ClientBeatCheckTask on the server), after alibaba/nacos. Rules kept:
// - Each instance beats every heartBeatInterval. The server's check task runs per service every
//   beatCheckInterval (5 s, from the service's creation, here a phase drawn per service): an
//   instance whose last beat is more than heartBeatTimeout old turns unhealthy, one more than
//   ipDeleteTimeout old is deleted (both strict, unhealthy first). A beat makes an unhealthy
//   instance healthy again; a beat of an unknown one (deleted, or registered during an outage) is
//   answered "not found" and the client registers again.
// - Clients are given the healthy instances of a service, unless healthy / total <= protectThreshold
//   (with the default 0: when none is healthy): then every registered instance (Nacos' protection,
//   recorded as `registry protect <service>` normal/protected).
// - A change is pushed to subscribers pushTaskDelay after it (changes in between go together).
//   After an outage, clients reconnect and subscribe again, and the server pushes them the current
//   view. Clients also poll (clients.ts), which catches what pushes missed.
// - A graceful stop (draining) deregisters at once. A kill is noticed through missing beats only.
// Recorded: `registry <id>` healthy/unhealthy/deleted/deregistered.
// Left out: 2.x gRPC connections (a closed connection deregisters at once), persistent instances
// with server-side health checks, per-instance metadata overrides, cluster replication (Distro).
import type { Timer } from "../../kernel/scheduler.ts";
import type { Instance } from "../../model/instance.ts";
import type { Phase } from "../../model/instanceLife.ts";
import { LeaseStore, type TransitionTable } from "./leaseStore.ts";
import type { NacosSpec } from "./presets.ts";
import {
  every,
  phaseOf,
  type RegistryContext,
  type RegistryKindModel,
  type RegistryServer,
} from "./server.ts";
import type { Snapshot } from "./snapshot.ts";

export type NacosState = "healthy" | "unhealthy" | "deleted" | "deregistered";

export const NACOS_TRANSITIONS: TransitionTable<NacosState> = {
  absent: ["healthy"],
  healthy: ["unhealthy", "deleted", "deregistered"],
  unhealthy: ["healthy", "deleted", "deregistered"],
  deleted: ["healthy"],
  deregistered: ["healthy"],
};

/** ServiceUtil's protection: whether the server returns every instance, healthy or not. */
export function reachesProtectThreshold(
  healthy: number,
  total: number,
  protectThreshold: number,
): boolean {
  return total > 0 && healthy / total <= protectThreshold;
}

interface Entry {
  lastBeat: number;
  beat: Timer | null;
}

export class NacosServer implements RegistryServer {
  private readonly store: LeaseStore<NacosState>;
  private readonly entries: Entry[][];
  /** By service index: whether the service is in protection now. */
  private readonly protecting: boolean[];
  private pushPending = false;
  /** The served snapshot: the store's sets with each service's protection applied. */
  private view: Snapshot;
  private viewSeq = 0;

  constructor(
    private readonly spec: NacosSpec,
    private readonly ctx: RegistryContext,
  ) {
    this.store = new LeaseStore(
      ctx.services,
      NACOS_TRANSITIONS,
      "healthy",
      ctx.scheduler,
      ctx.record,
      () => {},
    );
    this.entries = ctx.services.map((s) => s.instances.map(() => ({ lastBeat: 0, beat: null })));
    this.protecting = ctx.services.map(() => false);
    this.view = this.store.live;
    for (const instance of this.store.all()) {
      const phase = phaseOf(ctx.stream(`instance/${instance.id}`), spec.heartBeatIntervalMs);
      if (this.store.state(instance) === "healthy") this.scheduleBeats(instance, phase);
    }
    const serverRng = ctx.stream("server");
    for (const service of ctx.services) {
      every(
        ctx.scheduler,
        phaseOf(serverRng, spec.beatCheckIntervalMs),
        spec.beatCheckIntervalMs,
        () => this.check(service.instances),
      );
    }
  }

  served(): Snapshot {
    return this.view;
  }

  recovered(): void {
    this.ctx.push(this.view);
  }

  phaseChanged(instance: Instance, _from: Phase, to: Phase, graceful: boolean): void {
    if (to === "ready") {
      // The client registers if it gets through (a pod-failure may outlast the restart); a beat
      // of an instance the server does not hold registers it later.
      if (instance.canHeartbeat && this.ctx.up()) this.register(instance);
      this.scheduleBeats(instance, this.ctx.scheduler.now + this.spec.heartBeatIntervalMs);
    } else if (graceful && (to === "draining" || to === "stopped") && this.ctx.up()) {
      const state = this.store.state(instance);
      if (state === "healthy" || state === "unhealthy") this.update(instance, "deregistered");
    }
  }

  reachabilityChanged(): void {}

  private scheduleBeats(instance: Instance, firstMs: number): void {
    const entry = this.entries[instance.service.index][instance.index];
    const { scheduler } = this.ctx;
    if (entry.beat !== null) scheduler.cancel(entry.beat);
    const beat = (): void => {
      entry.beat = scheduler.at(scheduler.now + this.spec.heartBeatIntervalMs, beat);
      if (instance.canHeartbeat && this.ctx.up()) this.onBeat(instance);
    };
    entry.beat = scheduler.at(firstMs, beat);
  }

  private onBeat(instance: Instance): void {
    const state = this.store.state(instance);
    if (state !== "healthy" && state !== "unhealthy") return this.register(instance);
    this.entries[instance.service.index][instance.index].lastBeat = this.ctx.scheduler.now;
    if (state === "unhealthy") this.update(instance, "healthy");
  }

  private register(instance: Instance): void {
    this.entries[instance.service.index][instance.index].lastBeat = this.ctx.scheduler.now;
    this.update(instance, "healthy");
  }

  /** ClientBeatCheckTask over one service's instances. */
  private check(instances: readonly Instance[]): void {
    const now = this.ctx.scheduler.now;
    for (const instance of instances) {
      const silent = now - this.entries[instance.service.index][instance.index].lastBeat;
      if (this.store.state(instance) === "healthy" && silent > this.spec.heartBeatTimeoutMs)
        this.update(instance, "unhealthy");
    }
    for (const instance of instances) {
      const state = this.store.state(instance);
      const silent = now - this.entries[instance.service.index][instance.index].lastBeat;
      if ((state === "healthy" || state === "unhealthy") && silent > this.spec.ipDeleteTimeoutMs)
        this.update(instance, "deleted");
    }
  }

  private update(instance: Instance, to: NacosState): void {
    this.store.move(instance, to);
    this.store.serve(instance, to === "healthy" || to === "unhealthy");
    this.refreshView(instance.service.index);
  }

  /** Rebuilds the served set of one service (healthy ones, or all under protection) and pushes a change. */
  private refreshView(serviceIndex: number): void {
    const service = this.ctx.services[serviceIndex];
    const registered = this.store.live.sets[serviceIndex];
    let healthy = 0;
    for (const instance of service.instances)
      if (this.store.state(instance) === "healthy") healthy++;
    const protect = reachesProtectThreshold(healthy, registered.size, this.spec.protectThreshold);
    if (protect !== this.protecting[serviceIndex]) {
      this.protecting[serviceIndex] = protect;
      const [from, to] = protect ? ["normal", "protected"] : ["protected", "normal"];
      this.ctx.record(this.ctx.scheduler.now, `registry protect ${service.name}`, from, to);
    }
    const has = new Uint8Array(service.instances.length);
    for (const instance of service.instances) {
      const state = this.store.state(instance);
      if (state === "healthy" || (protect && state === "unhealthy")) has[instance.index] = 1;
    }
    const old = this.view.sets[serviceIndex];
    if (has.every((v, i) => v === old.has[i])) return;
    const sets = [...this.view.sets];
    sets[serviceIndex] = { has, size: has.reduce((n, v) => n + v, 0) };
    this.view = { seq: ++this.viewSeq, sets };
    this.schedulePush();
  }

  private schedulePush(): void {
    if (this.pushPending) return;
    this.pushPending = true;
    this.ctx.scheduler.postAfter(this.spec.pushTaskDelayMs, () => {
      this.pushPending = false;
      this.ctx.push(this.view);
    });
  }

  events(): ReadonlyMap<string, number> {
    return this.store.entered;
  }
}

/** Nacos as a registry kind: pushes to subscribers, and the 1.x client's own polling unless it is 0. */
export const nacos: RegistryKindModel<NacosSpec> = {
  server: (spec, ctx) => new NacosServer(spec, ctx),
  delivery: (spec) => ({
    pushDelayMs: spec.pushDelayMs,
    poll: spec.pollIntervalMs > 0 ? { intervalMs: spec.pollIntervalMs, cacheTtlMs: 0 } : null,
  }),
};
