// What one proxy keeps for one upstream service: a cluster per subset (balancer and active
// counts), and the recovery state that is local to the proxy in real meshes: the resilience4j
// breaker, Envoy's outlier detector (one per cluster of the service, shared by its subsets, as
// Envoy's subset balancer shares the parent's), connection-pool and retry counters, and the
// proxy-scoped rate limit. Built lazily on the proxy's first call to the service.
import type { Scheduler } from "../kernel/scheduler.ts";
import type { ModelObserver } from "../model/observer.ts";
import type { Service } from "../model/service.ts";
import { Fifo } from "../kernel/fifo.ts";
import type { Call } from "../model/call.ts";
import type { ResilienceSpec, SubsetSpec } from "../scenario/types.ts";
import type { BalancerFactory } from "./balancers/balancer.ts";
import { Cluster } from "./cluster.ts";
import { CircuitBreaker } from "./resilience/circuitBreaker.ts";
import { ConnectionPool } from "./resilience/connectionPool.ts";
import { OutlierDetector } from "./resilience/outlierDetection.ts";
import { createRetryLimit, type RetryLimit } from "./resilience/retryBudget.ts";
import { parseRetryOn, type RetryOn } from "./resilience/retryOn.ts";
import { TokenBucket } from "./resilience/tokenBucket.ts";
import type { Router } from "./routing/router.ts";
import { ALL_INSTANCES } from "./routing/router.ts";

/** What a proxy applies to one upstream service; made once per service, shared by all proxies. */
export interface UpstreamPolicy {
  readonly service: Service;
  readonly balancer: BalancerFactory;
  readonly hashKey: string | null;
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
}

const UNLIMITED = 2 ** 32 - 1;

export function upstreamPolicy(
  resilience: ResilienceSpec,
  parts: Omit<UpstreamPolicy, "resilience" | "retryOn" | "tracksTries" | "poolLimited">,
): UpstreamPolicy {
  const pool = resilience.connectionPool;
  return {
    ...parts,
    resilience,
    retryOn: parseRetryOn(resilience.retries.retryOn),
    tracksTries: resilience.timeoutMs !== null || resilience.hedging !== null || resilience.retries.perTryTimeoutMs !== null,
    poolLimited: pool.maxRequests < UNLIMITED || pool.maxConnections < UNLIMITED,
  };
}

export class Upstream {
  /** By subset index + 1 (0: all instances). */
  private readonly clusters: (Cluster | undefined)[] = [];
  readonly breaker: CircuitBreaker | null;
  readonly detector: OutlierDetector | null;
  readonly pool: ConnectionPool | null;
  /** Tries waiting for the pool, oldest first (settled ones are skipped when reached). */
  readonly waiting = new Fifo<Call>();
  readonly retryLimit: RetryLimit;
  /** Retries scheduled or in flight (Envoy's active retries resource). */
  activeRetries = 0;
  /** Tries in flight from this proxy to the service (for the retry budget when no pool tracks them). */
  activeTries = 0;
  /** Breaker states entered so far (one per transition): which state a permit belongs to. */
  breakerStates = 0;
  readonly limiter: TokenBucket | null;
  private intervalStarted = false;

  constructor(
    readonly service: Service,
    readonly policy: UpstreamPolicy,
    /** Names this proxy's components in state changes, e.g. "order-0". */
    private readonly proxyName: string,
    private readonly scheduler: Scheduler,
    private readonly observer: ModelObserver,
  ) {
    const r = policy.resilience;
    const component = `${proxyName}->${service.name}`;
    this.breaker =
      r.circuitBreaker === null
        ? null
        : new CircuitBreaker(
            r.circuitBreaker,
            {
              schedule: (atMs, action) => {
                const timer = scheduler.at(atMs, action);
                return () => scheduler.cancel(timer);
              },
            },
            (atMs, from, to) => {
              this.breakerStates++;
              observer.stateChanged(atMs, `breaker ${component}`, from, to);
            },
          );
    this.detector =
      r.outlierDetection === null
        ? null
        : new OutlierDetector(service.instances.length, r.outlierDetection, (atMs, host, ejected) => {
            const id = service.instances[host].id;
            observer.stateChanged(atMs, `outlier ${proxyName}->${id}`, ejected ? "healthy" : "ejected", ejected ? "ejected" : "healthy");
            for (const cluster of this.clusters) cluster?.applyEjections(this.detector!.ejected, r.healthyPanicThreshold);
          });
    const pool = r.connectionPool;
    this.pool = policy.poolLimited
      ? new ConnectionPool({ maxRequests: pool.maxRequests, maxPendingRequests: pool.maxPendingRequests, streamCapacity: pool.maxConnections < UNLIMITED ? pool.maxConnections : undefined })
      : null;
    this.retryLimit = createRetryLimit(r.retryBudget, r.maxRetries);
    this.limiter =
      r.rateLimit !== null && r.rateLimit.per === "proxy"
        ? new TokenBucket({ maxTokens: r.rateLimit.maxTokens, tokensPerFill: r.rateLimit.tokensPerFill, fillIntervalMs: r.rateLimit.fillIntervalMs }, 0)
        : null;
  }

  /** Asks the breaker to let `attempt` through; a permitted try remembers which breaker state let it. */
  tryAcquirePermit(attempt: Call, nowMs: number): boolean {
    const breaker = this.breaker;
    if (breaker === null) return true;
    if (!breaker.tryAcquirePermission(nowMs)) return false;
    attempt.permittedInState = this.breakerStates;
    return true;
  }

  /**
   * Gives back the permit of a try that will not run after all (or whose result will never be
   * recorded), but only to the breaker state that granted it. A try can outlive that state (it
   * waits for the pool, or is a hedge cancelled later); resilience4j's releasePermission assumes
   * the current state granted the permit, so a permit from CLOSED would add a probe to HALF_OPEN.
   */
  releasePermit(attempt: Call): void {
    if (this.breaker !== null && attempt.permittedInState === this.breakerStates) this.breaker.releasePermission();
  }

  /** The cluster for subset index `subset` (or ALL_INSTANCES). */
  cluster(subset: number): Cluster {
    return this.clusters[subset + 1] ?? this.addCluster(subset);
  }

  /** Starts the outlier detector's interval timer on first use (Envoy runs it per cluster). */
  startDetector(): void {
    if (this.intervalStarted || this.detector === null) return;
    this.intervalStarted = true;
    const interval = this.policy.resilience.outlierDetection!.intervalMs;
    const tick = (): void => {
      this.detector!.onInterval(this.scheduler.now);
      this.scheduler.post(this.scheduler.now + interval, tick);
    };
    this.scheduler.post(this.scheduler.now + interval, tick);
  }

  private addCluster(subset: number): Cluster {
    const policy = this.policy;
    const cluster = new Cluster(this.service.instances, subset === ALL_INSTANCES ? null : policy.subsets[subset], policy.balancer, policy.hashKey, this);
    if (this.detector !== null) cluster.applyEjections(this.detector.ejected, policy.resilience.healthyPanicThreshold);
    this.clusters[subset + 1] = cluster;
    return cluster;
  }
}
