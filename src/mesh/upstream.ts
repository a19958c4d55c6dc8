// What one proxy keeps for one upstream service: a cluster per subset (balancer and active
// counts), and the recovery state that is local to the proxy in real meshes: the resilience4j
// breaker, Envoy's outlier detector (one per cluster of the service, shared by its subsets, as
// Envoy's subset balancer shares the parent's), connection-pool and retry counters, and the
// proxy-scoped rate limit. Built lazily on the proxy's first call to the service. With a registry
// or active health checks, the control plane (ProxyControl) tells it which hosts this proxy knows
// of and which fail its health checks; without either that costs nothing.

import { Fifo } from "../kernel/fifo.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { Call } from "../model/call.ts";
import type { Locality } from "../model/endpoint.ts";
import type { Instance } from "../model/instance.ts";
import type { ModelObserver } from "../model/observer.ts";
import type { Service } from "../model/service.ts";
import type { BalancerFactory, KeyHashing } from "./balancers/balancer.ts";
import type { SlowStartConfig } from "./balancers/slowStart.ts";
import { Cluster, type ClusterLocality } from "./cluster.ts";
import { CircuitBreaker } from "./resilience/circuitBreaker.ts";
import { ConnectionPool, ENVOY_UNLIMITED } from "./resilience/connectionPool.ts";
import { OutlierDetector } from "./resilience/outlierDetection.ts";
import { createRetryLimit, type RetryLimit } from "./resilience/retryBudget.ts";
import { parseRetryOn, type RetryOn } from "./resilience/retryOn.ts";
import { TokenBucket } from "./resilience/tokenBucket.ts";
import type { Router } from "./routing/router.ts";
import { ALL_INSTANCES } from "./routing/router.ts";
import type { LocalitySpec, ResilienceSpec, SubsetSpec } from "./spec.ts";

/** What a proxy applies to one upstream service; made once per service, shared by all proxies. */
export interface UpstreamPolicy {
  readonly service: Service;
  readonly balancer: BalancerFactory;
  readonly hashKey: KeyHashing | null;
  /** The service's VirtualService routes, or null when it has none (every request to all instances). */
  readonly router: Router | null;
  readonly subsets: readonly SubsetSpec[];
  readonly resilience: ResilienceSpec;
  /** Parsed `retries.retryOn`. */
  readonly retryOn: RetryOn;
  /** Whether every call needs its tries tracked from the start (timeouts or hedging). */
  readonly tracksTries: boolean;
  /** Whether the connection pool can ever refuse or hold a request. */
  readonly poolLimited: boolean;
  /** Envoy slow start of the balancing policy, or null. */
  readonly slowStart: SlowStartConfig | null;
  /** Istio locality LB for this service (priorities only with outlier detection), or null when off. */
  readonly locality: LocalityPolicy | null;
}

/** A try as the breaker sees it: the breaker state (a `breakerStates` count) that granted its permit, or -1. */
export interface PermitHolder {
  permit: number;
}

/** A try waiting for a connection-pool slot (an OutboundCall, outboundCall.ts). */
export interface PendingTry {
  /** Its caller's sidecar has accounted its end (a timeout, a winning hedge): it no longer wants a slot. */
  readonly ended: boolean;
  /** It got a slot: on to the rest of its steps. */
  resume(): void;
}

/**
 * The control plane's side of one proxy (src/control/registry/): the registry client that keeps
 * its lagged view of the endpoints, and its active health checks. Null on a proxy when the
 * scenario has neither, so the data plane pays one null check.
 */
export interface ProxyControl {
  /** A new upstream of this proxy (also one replacing another): give it the known hosts, start its health checks. */
  attach(upstream: Upstream): void;
  /** A try is being sent to `instance` through `upstream` (for discovery's accounting). */
  sent(attempt: Call, upstream: Upstream, instance: Instance): void;
}

export function upstreamPolicy(
  resilience: ResilienceSpec,
  parts: Omit<
    UpstreamPolicy,
    "resilience" | "retryOn" | "tracksTries" | "poolLimited" | "slowStart" | "locality"
  >,
  balancing: { slowStart: SlowStartConfig | null; locality: LocalitySpec },
): UpstreamPolicy {
  const pool = resilience.connectionPool;
  const locality = balancing.locality;
  return {
    ...parts,
    slowStart: balancing.slowStart,
    locality: localityPolicyOf(locality, resilience.outlierDetection !== null),
    resilience,
    retryOn: parseRetryOn(resilience.retries.retryOn),
    tracksTries:
      resilience.timeoutMs !== null ||
      resilience.hedging !== null ||
      resilience.retries.perTryTimeoutMs !== null,
    poolLimited: pool.maxRequests < ENVOY_UNLIMITED || pool.maxConnections < ENVOY_UNLIMITED,
  };
}

export class Upstream {
  /** By subset index + 1 (0: all instances). */
  private readonly clusters: (Cluster<Instance> | undefined)[] = [];
  /**
   * `clusters[0]` once made: every call of an upstream with no subsets reads it, and a field is one
   * object fewer to load on a call's way out than the array and its elements.
   */
  private allInstances: Cluster<Instance> | undefined = undefined;
  readonly breaker: CircuitBreaker | null;
  readonly detector: OutlierDetector | null;
  readonly pool: ConnectionPool | null;
  /** Tries waiting for the pool, oldest first (ended ones are skipped when reached). */
  private readonly waiting = new Fifo<PendingTry>();
  readonly retryLimit: RetryLimit;
  /** Retries scheduled or in flight (Envoy's active retries resource). */
  activeRetries = 0;
  /** Tries in flight from this proxy to the service (for the retry budget when no pool tracks them). */
  activeTries = 0;
  /** Breaker states entered so far (one per transition): which state a permit belongs to. */
  breakerStates = 0;
  readonly limiter: TokenBucket | null;
  private intervalStarted = false;
  /** A config push replaced this upstream: its calls in flight finish here, unrecorded, and its detector's timer stops. */
  private retired = false;
  /** The hosts this proxy's registry view contains, by instance index (1 = known); null: all of them. */
  private known: Uint8Array | null = null;
  /** Hosts failing this proxy's active health checks, by instance index; null: no active health checking. */
  private failingHc: Uint8Array | null = null;
  /**
   * No rate limit, breaker, connection pool or outlier detection, and no call tracks its tries
   * (timeouts, hedging): a try's admission and end have nothing to ask or tell but the cluster.
   */
  readonly plain: boolean;

  constructor(
    readonly service: Service,
    readonly policy: UpstreamPolicy,
    /** Names this proxy's components in state changes, e.g. "order-0". */
    private readonly proxyName: string,
    /** Where the proxy runs and its labels (Istio locality LB), or null for a client outside every zone. */
    private readonly place: ProxyPlace | null,
    private readonly scheduler: Scheduler,
    private readonly observer: ModelObserver,
  ) {
    const r = policy.resilience;
    this.breaker = r.circuitBreaker === null ? null : this.newBreaker(r.circuitBreaker);
    this.detector = r.outlierDetection === null ? null : this.newDetector(r.outlierDetection);
    this.pool = policy.poolLimited ? poolFor(r.connectionPool) : null;
    this.retryLimit = createRetryLimit(r.retryBudget, r.maxRetries);
    this.limiter =
      r.rateLimit !== null && r.rateLimit.per === "proxy" ? limiterFor(r.rateLimit) : null;
    this.plain =
      this.breaker === null &&
      this.detector === null &&
      this.pool === null &&
      this.limiter === null &&
      !policy.tracksTries;
  }

  /** The resilience4j breaker; its transitions are numbered (for permits) and reported while not retired. */
  private newBreaker(config: NonNullable<ResilienceSpec["circuitBreaker"]>): CircuitBreaker {
    const scheduler = this.scheduler;
    const component = `breaker ${this.proxyName}->${this.service.name}`;
    return new CircuitBreaker(
      config,
      {
        schedule: (atMs, action) => {
          const timer = scheduler.at(atMs, action);
          return () => scheduler.cancel(timer);
        },
      },
      (atMs, from, to) => {
        this.breakerStates++;
        if (!this.retired) this.observer.stateChanged(atMs, component, from, to);
      },
    );
  }

  /** Envoy's outlier detector over the service's instances; an ejection or its end rebuilds the clusters' views. */
  private newDetector(config: NonNullable<ResilienceSpec["outlierDetection"]>): OutlierDetector {
    const instances = this.service.instances;
    return new OutlierDetector(instances.length, config, (atMs, host, ejected) => {
      if (!this.retired)
        this.observer.stateChanged(
          atMs,
          `outlier ${this.proxyName}->${instances[host].id}`,
          ejected ? "healthy" : "ejected",
          ejected ? "ejected" : "healthy",
        );
      this.refreshHosts();
    });
  }

  /**
   * Marks this upstream replaced by a new config version (see retired). Its successor starts with
   * a closed breaker and no ejections, so the state changes say so now.
   */
  retire(nowMs: number): void {
    const component = `${this.proxyName}->${this.service.name}`;
    const state = this.breaker?.state ?? "CLOSED";
    if (state !== "CLOSED")
      this.observer.stateChanged(nowMs, `breaker ${component}`, state, "CLOSED");
    const ejected = this.detector?.ejected ?? [];
    ejected.forEach((flag, host) => {
      if (flag !== 0)
        this.observer.stateChanged(
          nowMs,
          `outlier ${this.proxyName}->${this.service.instances[host].id}`,
          "ejected",
          "healthy",
        );
    });
    this.retired = true;
  }

  /** Asks the breaker to let `attempt` through; a permitted try remembers which breaker state let it. */
  tryAcquirePermit(attempt: PermitHolder, nowMs: number): boolean {
    const breaker = this.breaker;
    if (breaker === null) return true;
    if (!breaker.tryAcquirePermission(nowMs)) return false;
    attempt.permit = this.breakerStates;
    return true;
  }

  /**
   * Gives back the permit of a try that will not run after all (or whose result will never be
   * recorded), but only to the breaker state that granted it. A try can outlive that state (it
   * waits for the pool, or is a hedge cancelled later); resilience4j's releasePermission assumes
   * the current state granted the permit, so a permit from CLOSED would add a probe to HALF_OPEN.
   */
  releasePermit(attempt: PermitHolder): void {
    if (this.breaker !== null && attempt.permit === this.breakerStates)
      this.breaker.releasePermission();
  }

  /** Queues a try the pool holds back until a slot frees (`admitToPool` said "queue"). */
  waitForPool(attempt: PendingTry): void {
    this.waiting.push(attempt);
  }

  /**
   * A try that held a pool slot is done with it (if there is a pool): the slot goes to the oldest
   * waiting try still wanted, when the pool lets one in.
   */
  freePoolSlot(): void {
    const pool = this.pool;
    if (pool === null || !pool.onFinished()) return;
    let next = this.waiting.shift();
    while (next !== undefined && next.ended) next = this.waiting.shift();
    if (next !== undefined) next.resume();
  }

  /** The cluster for subset index `subset` (or ALL_INSTANCES). */
  cluster(subset: number): Cluster<Instance> {
    if (subset !== ALL_INSTANCES) return this.clusters[subset + 1] ?? this.addCluster(subset);
    if (this.allInstances === undefined)
      this.allInstances = this.clusters[0] ?? this.addCluster(subset);
    return this.allInstances;
  }

  /** Starts the outlier detector's interval timer on first use (Envoy runs it per cluster). */
  startDetector(): void {
    if (this.intervalStarted || this.detector === null) return;
    this.intervalStarted = true;
    const interval = this.policy.resilience.outlierDetection!.intervalMs;
    const tick = (): void => {
      if (this.retired) return;
      this.detector!.onInterval(this.scheduler.now);
      this.scheduler.post(this.scheduler.now + interval, tick);
    };
    this.scheduler.post(this.scheduler.now + interval, tick);
  }

  /** The control plane's word on the hosts (see `known` and `failingHc`); the clusters' views follow. */
  setHostHealth(known: Uint8Array | null, failingHc: Uint8Array | null): void {
    this.known = known;
    this.failingHc = failingHc;
    this.refreshHosts();
  }

  /** Rebuilds each cluster's view from the known hosts, ejections and health checks (unchanged views are kept). */
  refreshHosts(): void {
    for (const cluster of this.clusters) if (cluster !== undefined) this.applyHostsTo(cluster);
  }

  private applyHostsTo(cluster: Cluster<Instance>): void {
    const ejected = this.detector === null ? null : this.detector.ejected;
    const wasPanicking = cluster.inPanic;
    const changed = cluster.applyHostHealth(
      this.known,
      ejected,
      this.failingHc,
      this.policy.resilience.healthyPanicThreshold,
      this.scheduler.now,
    );
    if (changed || cluster.inPanic !== wasPanicking) this.reportHosts(cluster);
  }

  /** Tells a watcher (only) which hosts `cluster` may send to now; see ModelObserver.hostsChanged. */
  private reportHosts(cluster: Cluster<Instance>): void {
    const observer = this.observer;
    if (observer.hostsChanged === undefined || this.retired) return;
    observer.hostsChanged(
      this.scheduler.now,
      this.proxyName,
      this.service.name,
      cluster,
      cluster.hosts(),
      cluster.inPanic,
    );
  }

  private addCluster(subset: number): Cluster<Instance> {
    const policy = this.policy;
    const locality =
      policy.locality !== null && this.place !== null
        ? { ...policy.locality, proxy: this.place.locality, labels: this.place.labels }
        : null;
    const members = subset === ALL_INSTANCES ? null : policy.subsets[subset];
    const cluster = new Cluster(
      this.service.instances,
      members,
      policy.balancer,
      policy.hashKey,
      policy.slowStart,
      locality,
    );
    this.reportHosts(cluster);
    if (this.detector !== null || this.known !== null || this.failingHc !== null)
      this.applyHostsTo(cluster);
    this.clusters[subset + 1] = cluster;
    return cluster;
  }
}

/** Envoy's circuit-breaker thresholds as a connection pool (max_requests, max_pending_requests, max_connections). */
function poolFor(spec: ResilienceSpec["connectionPool"]): ConnectionPool {
  return new ConnectionPool({
    maxRequests: spec.maxRequests,
    maxPendingRequests: spec.maxPendingRequests,
    streamCapacity: spec.maxConnections < ENVOY_UNLIMITED ? spec.maxConnections : undefined,
  });
}

/** The proxy-scoped token bucket of a local rate limit (Envoy local_ratelimit). */
function limiterFor(spec: NonNullable<ResilienceSpec["rateLimit"]>): TokenBucket {
  return new TokenBucket(
    {
      maxTokens: spec.maxTokens,
      tokensPerFill: spec.tokensPerFill,
      fillIntervalMs: spec.fillIntervalMs,
    },
    0,
  );
}

/** The service's side of Istio locality LB: ClusterLocality without the proxy's own place. */
export type LocalityPolicy = Omit<ClusterLocality, "proxy" | "labels">;

/** A proxy's locality and pod labels (a load client has no labels). */
export interface ProxyPlace {
  readonly locality: Locality;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Istio's ApplyLocalityLoadBalancer: nothing when disabled; `distribute` applies as it is, while
 * priorities (failover, failoverPriority) are programmed only where outlier detection can tell
 * Envoy a locality is unhealthy ("Failover needs outlier detection", loadbalancer.go).
 */
function localityPolicyOf(spec: LocalitySpec, outlierDetection: boolean): LocalityPolicy | null {
  if (!spec.enabled || (!outlierDetection && spec.distribute.length === 0)) return null;
  return {
    overprovisioningPercent: spec.overprovisioningFactor,
    priorities: outlierDetection,
    failover: spec.failover,
    failoverPriority: spec.failoverPriority,
    distribute: spec.distribute,
  };
}
