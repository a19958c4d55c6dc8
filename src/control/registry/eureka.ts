// A Eureka server and the Eureka clients inside the instances, after Netflix/eureka's
// AbstractInstanceRegistry (register, renew, internalCancel, evict), Lease, ResponseCacheImpl and
// PeerAwareInstanceRegistryImpl (isLeaseExpirationEnabled, updateRenewalThreshold). The proxies'
// side (fetch every registryFetchInterval, the Spring Cloud LoadBalancer cache) is clients.ts'.
//
// Rules kept, each easy to get wrong:
// - register() sets lastUpdate = now; renew() sets lastUpdate = now + duration, and a lease is
//   expired when now > lastUpdate + duration: 90 s after registering, 180 s after a renew (the
//   documented "won't fix" doubling).
// - Expired leases go only at an eviction tick (every evictionInterval from the server's start),
//   and only while lease expiration is enabled: self-preservation off, or threshold > 0 and the
//   renews of the last full minute > threshold, where threshold = (int)(expected clients ×
//   (60 / expectedClientRenewalInterval s) × renewalPercentThreshold). A tick evicts at most
//   size − (int)(size × renewalPercentThreshold) of them, picked by a partial Knuth shuffle (here
//   from the seeded stream `registry/server`), and each eviction, like a cancel, lowers the expected
//   clients by one (while above 0) and recomputes the threshold. A new registration raises it by one.
// - The renews of the last minute are a 60 s bucket rolled from the server's start; a roll and an
//   eviction tick at the same instant roll first. At t = 0 the server is taken to have run a while:
//   the last minute holds every instance's renews, expected clients = instances.
// - Every renewalThresholdUpdateInterval the expected clients become the registered count, if that
//   is above renewalPercentThreshold × expected (or self-preservation is off).
// - Clients read the read-only response cache, refreshed from the registry every
//   responseCacheUpdateInterval at wall-clock multiples of it; the sim's t = 0 falls at a phase
//   drawn from `registry/server`. Changes reach the read-write cache at once (invalidation).
// - A renew of an unknown instance (evicted, cancelled, or a registration lost in an outage) is
//   answered 404 and the client registers again. A graceful stop (draining) cancels at once.
// Recorded: `registry <id>` registered/expired/evicted/cancelled ("expired" when a tick first finds
// the lease expired, evicted or not), and `registry` normal/self-preservation.
// Left out: peer replication, the compensation time for late ticks, delta fetches, statuses other than UP.
import type { Rng } from "../../kernel/random.ts";
import type { Timer } from "../../kernel/scheduler.ts";
import type { Instance } from "../../model/instance.ts";
import type { Phase } from "../../model/instanceLife.ts";
import { LeaseStore, type TransitionTable } from "./leaseStore.ts";
import type { EurekaSpec } from "./presets.ts";
import {
  every,
  phaseOf,
  type RegistryContext,
  type RegistryKindModel,
  type RegistryServer,
} from "./server.ts";
import type { Snapshot } from "./snapshot.ts";

export type EurekaState = "registered" | "expired" | "evicted" | "cancelled";

export const EUREKA_TRANSITIONS: TransitionTable<EurekaState> = {
  absent: ["registered"],
  registered: ["expired", "cancelled"],
  expired: ["registered", "evicted", "cancelled"],
  evicted: ["registered"],
  cancelled: ["registered"],
};

/** PeerAwareInstanceRegistryImpl's renews-per-minute threshold: (int)(expected × (60 / interval s) × percent). */
export function renewsPerMinThreshold(
  expectedClients: number,
  expectedClientRenewalIntervalMs: number,
  renewalPercentThreshold: number,
): number {
  return Math.trunc(
    expectedClients * (60 / (expectedClientRenewalIntervalMs / 1000)) * renewalPercentThreshold,
  );
}

/** How many expired leases one eviction tick may remove: size − (int)(size × percent). */
export function evictionLimit(registrySize: number, renewalPercentThreshold: number): number {
  return registrySize - Math.trunc(registrySize * renewalPercentThreshold);
}

/** Whether expired leases may be evicted now (isLeaseExpirationEnabled). */
export function leaseExpirationEnabled(
  selfPreservation: boolean,
  threshold: number,
  renewsLastMinute: number,
): boolean {
  return !selfPreservation || (threshold > 0 && renewsLastMinute > threshold);
}

interface Lease {
  /** Eureka's lastUpdateTimestamp: now at registration, now + duration at a renew. */
  lastUpdate: number;
  /** The instance's heartbeat timer (its DiscoveryClient's), cancelled when the process restarts. */
  heartbeat: Timer | null;
}

export class EurekaServer implements RegistryServer {
  private readonly store: LeaseStore<EurekaState>;
  private readonly leases: Lease[][];
  private readonly rng: Rng;
  private expectedClients: number;
  private threshold: number;
  private renewsThisMinute = 0;
  private renewsLastMinute: number;
  private selfPreserving = false;
  private readOnlyCache: Snapshot;

  constructor(
    private readonly spec: EurekaSpec,
    private readonly ctx: RegistryContext,
  ) {
    this.store = new LeaseStore(
      ctx.services,
      EUREKA_TRANSITIONS,
      "registered",
      ctx.scheduler,
      ctx.record,
      () => {},
    );
    this.leases = ctx.services.map((s) =>
      s.instances.map(() => ({ lastUpdate: 0, heartbeat: null })),
    );
    this.rng = ctx.stream("server");
    let instances = 0;
    for (const instance of this.store.all())
      if (this.store.state(instance) === "registered") instances++;
    this.expectedClients = instances;
    this.threshold = this.thresholdOf(instances);
    this.renewsLastMinute = (instances * 60_000) / spec.leaseRenewalIntervalMs;
    this.selfPreserving = !this.expirationEnabled();
    this.readOnlyCache = this.store.live;
    this.start();
  }

  private start(): void {
    const { scheduler } = this.ctx;
    const spec = this.spec;
    for (const instance of this.store.all()) {
      const phase = phaseOf(
        this.ctx.stream(`instance/${instance.id}`),
        spec.leaseRenewalIntervalMs,
      );
      if (this.store.state(instance) === "registered") this.scheduleHeartbeats(instance, phase);
    }
    // Posted first, so at an instant shared with an eviction tick the minute rolls first.
    every(scheduler, 60_000, 60_000, () => this.rollMinute());
    every(scheduler, spec.evictionIntervalMs, spec.evictionIntervalMs, () => this.evict());
    every(
      scheduler,
      spec.renewalThresholdUpdateIntervalMs,
      spec.renewalThresholdUpdateIntervalMs,
      () => this.updateRenewalThreshold(),
    );
    if (spec.useReadOnlyResponseCache) {
      const first = phaseOf(this.rng, spec.responseCacheUpdateIntervalMs);
      every(
        scheduler,
        first,
        spec.responseCacheUpdateIntervalMs,
        () => (this.readOnlyCache = this.store.live),
      );
    }
  }

  served(): Snapshot {
    return this.spec.useReadOnlyResponseCache ? this.readOnlyCache : this.store.live;
  }

  recovered(): void {
    // Nothing held back: clients renew (or register again) at their next heartbeat.
  }

  phaseChanged(instance: Instance, _from: Phase, to: Phase, graceful: boolean): void {
    if (to === "ready") {
      // A new process: its DiscoveryClient registers now (if it gets through: a pod-failure may
      // outlast the restart) and renews every interval from here; a renew answered 404 registers.
      if (instance.canHeartbeat && this.ctx.up()) this.register(instance);
      this.scheduleHeartbeats(instance, this.ctx.scheduler.now + this.spec.leaseRenewalIntervalMs);
    } else if (graceful && (to === "draining" || to === "stopped") && this.ctx.up()) {
      this.cancel(instance, "cancelled");
    }
  }

  reachabilityChanged(): void {
    // Heartbeats look at the instance when they fire.
  }

  // -------------------------------------------------------------------------------------------
  // The client inside each instance.

  private scheduleHeartbeats(instance: Instance, firstMs: number): void {
    const lease = this.leases[instance.service.index][instance.index];
    const { scheduler } = this.ctx;
    if (lease.heartbeat !== null) scheduler.cancel(lease.heartbeat);
    const beat = (): void => {
      lease.heartbeat = scheduler.at(scheduler.now + this.spec.leaseRenewalIntervalMs, beat);
      if (instance.canHeartbeat && this.ctx.up()) this.renew(instance);
    };
    lease.heartbeat = scheduler.at(firstMs, beat);
  }

  // -------------------------------------------------------------------------------------------
  // The server.

  private renew(instance: Instance): void {
    const state = this.store.state(instance);
    if (state !== "registered" && state !== "expired") return this.register(instance); // 404: register again
    this.renewsThisMinute++;
    this.leases[instance.service.index][instance.index].lastUpdate =
      this.ctx.scheduler.now + this.spec.leaseExpirationDurationMs;
    if (state === "expired") this.store.move(instance, "registered");
  }

  private register(instance: Instance): void {
    const state = this.store.state(instance);
    const isNew = state !== "registered" && state !== "expired";
    if (isNew && this.expectedClients > 0) this.setExpected(this.expectedClients + 1);
    this.leases[instance.service.index][instance.index].lastUpdate = this.ctx.scheduler.now;
    this.store.move(instance, "registered");
    this.store.serve(instance, true);
  }

  private cancel(instance: Instance, to: "cancelled" | "evicted"): void {
    const state = this.store.state(instance);
    if (state !== "registered" && state !== "expired") return;
    this.store.move(instance, to);
    this.store.serve(instance, false);
    if (this.expectedClients > 0) this.setExpected(this.expectedClients - 1);
  }

  private isExpired(instance: Instance): boolean {
    return (
      this.ctx.scheduler.now >
      this.leases[instance.service.index][instance.index].lastUpdate +
        this.spec.leaseExpirationDurationMs
    );
  }

  private evict(): void {
    const expired: Instance[] = [];
    let size = 0;
    for (const instance of this.store.all()) {
      const state = this.store.state(instance);
      if (state !== "registered" && state !== "expired") continue;
      size++;
      if (!this.isExpired(instance)) continue;
      this.store.move(instance, "expired");
      expired.push(instance);
    }
    if (!this.expirationEnabled()) return;
    const toEvict = Math.min(
      expired.length,
      evictionLimit(size, this.spec.renewalPercentThreshold),
    );
    for (let i = 0; i < toEvict; i++) {
      const next = i + Math.floor(this.rng.next() * (expired.length - i));
      [expired[i], expired[next]] = [expired[next], expired[i]];
      this.cancel(expired[i], "evicted");
    }
  }

  private rollMinute(): void {
    this.renewsLastMinute = this.renewsThisMinute;
    this.renewsThisMinute = 0;
    this.noteSelfPreservation();
  }

  private updateRenewalThreshold(): void {
    let count = 0;
    for (const instance of this.store.all()) {
      const state = this.store.state(instance);
      if (state === "registered" || state === "expired") count++;
    }
    if (
      count > this.spec.renewalPercentThreshold * this.expectedClients ||
      !this.spec.enableSelfPreservation
    )
      this.setExpected(count);
  }

  private setExpected(clients: number): void {
    this.expectedClients = clients;
    this.threshold = this.thresholdOf(clients);
    this.noteSelfPreservation();
  }

  private thresholdOf(clients: number): number {
    return renewsPerMinThreshold(
      clients,
      this.spec.expectedClientRenewalIntervalMs,
      this.spec.renewalPercentThreshold,
    );
  }

  private expirationEnabled(): boolean {
    return leaseExpirationEnabled(
      this.spec.enableSelfPreservation,
      this.threshold,
      this.renewsLastMinute,
    );
  }

  /** Records entering and leaving self-preservation (lease expiration disabled). */
  private noteSelfPreservation(): void {
    const preserving = !this.expirationEnabled();
    if (preserving === this.selfPreserving) return;
    this.selfPreserving = preserving;
    const [from, to] = preserving
      ? ["normal", "self-preservation"]
      : ["self-preservation", "normal"];
    this.ctx.record(this.ctx.scheduler.now, "registry", from, to);
  }

  /** Counts of entries entering each state after t = 0. */
  events(): ReadonlyMap<string, number> {
    return this.store.entered;
  }
}

/** Eureka as a registry kind: clients poll (DiscoveryClient), behind Spring Cloud LoadBalancer's cache. */
export const eureka: RegistryKindModel<EurekaSpec> = {
  server: (spec, ctx) => new EurekaServer(spec, ctx),
  delivery: (spec) => ({
    pushDelayMs: 0,
    poll: { intervalMs: spec.registryFetchIntervalMs, cacheTtlMs: spec.clientCacheTtlMs },
  }),
};
