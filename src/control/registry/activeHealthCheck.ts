// Envoy active health checking of one upstream cluster by one proxy (`cluster.health_checks`, an
// HTTP check; Istio has no field for it, so it is `trafficPolicy.healthCheck` here). After
// HealthCheckerImplBase::ActiveHealthCheckSession (source/common/upstream/health_checker_impl.cc).
// Rules kept:
// - `interval`, `timeout`, `unhealthyThreshold`, `healthyThreshold` are required, as in Envoy.
// - One session per host: a check; its answer or its timeout; the next check `interval` later.
// - A host that is not ready fails its check: at once when it answers (a draining host answers 503,
//   a non-expected status, which marks it unhealthy at once whatever the threshold), else after
//   `timeout` (a network failure: dead, failed or hung), which counts toward `unhealthyThreshold`
//   failures in a row. `healthyThreshold` passes in a row make a failing host healthy again, except
//   that a host's very first check result decides at once (Envoy's first_check_).
// - Hosts present when the proxy's cluster is built start healthy (the cluster warmed up with them);
//   hosts that join later start failing (FAILED_ACTIVE_HC) until their first check passes.
// - With discovery, Envoy keeps a host that left service discovery while it passes its checks, and
//   drops it once it fails (discovery.ts applies that). A failing host leaves the healthy set of
//   this proxy only; panic may still use it.
// Left out: jitter, no_traffic_interval, unhealthy/edge intervals (all default to interval),
// un-ejecting outlier-detected hosts on a passing check, TCP and gRPC checkers, connection reuse.
import type { HealthCheckSpec } from "../../mesh/spec.ts";

/** What a check of a host finds now. */
export type CheckOutcome = "pass" | "answeredFailure" | "noAnswer";

/** The counters of one host's session; `result` says whether the host's failing flag changes. */
export class HealthCheckSession {
  failing: boolean;
  private numHealthy = 0;
  private numUnhealthy = 0;
  private firstCheck = true;

  constructor(
    private readonly config: HealthCheckSpec,
    /** A host added after the cluster was built starts failing until its first check passes. */
    startFailing: boolean,
  ) {
    this.failing = startFailing;
  }

  /** Applies one check result; returns true when `failing` flipped. */
  result(outcome: CheckOutcome): boolean {
    const first = this.firstCheck;
    this.firstCheck = false;
    if (outcome === "pass") {
      this.numUnhealthy = 0;
      if (this.failing && (first || ++this.numHealthy >= this.config.healthyThreshold)) {
        this.failing = false;
        this.numHealthy = 0;
        return true;
      }
      return false;
    }
    this.numHealthy = 0;
    if (
      !this.failing &&
      (outcome === "answeredFailure" || ++this.numUnhealthy >= this.config.unhealthyThreshold)
    ) {
      this.failing = true;
      this.numUnhealthy = 0;
      return true;
    }
    return false;
  }
}

/** What a check needs of an instance. */
export interface CheckedHost {
  readonly passesReadiness: boolean;
  readonly reachable: boolean;
  readonly phase: string;
}

export function outcomeOf(host: CheckedHost): CheckOutcome {
  if (host.passesReadiness) return "pass";
  return host.reachable && host.phase === "draining" ? "answeredFailure" : "noAnswer";
}

/** Runs the sessions of one proxy's cluster on the simulated clock; `failing` is by instance index. */
export class ActiveHealthChecker {
  readonly failing: Uint8Array;
  private readonly sessions: (HealthCheckSession | null)[];
  /** Bumped when a host's session ends, so its pending check or timeout does nothing. */
  private readonly generation: Int32Array;
  private stopped = false;

  constructor(
    private readonly config: HealthCheckSpec,
    private readonly hosts: readonly CheckedHost[],
    private readonly scheduler: {
      readonly now: number;
      post(time: number, action: () => void): void;
    },
    /** A host's failing flag flipped. */
    private readonly onChange: () => void,
  ) {
    this.failing = new Uint8Array(hosts.length);
    this.sessions = hosts.map(() => null);
    this.generation = new Int32Array(hosts.length);
  }

  checking(index: number): boolean {
    return this.sessions[index] !== null;
  }

  /** Starts checking a host now; `warm`: it was there when the cluster was built, so it starts healthy. */
  add(index: number, warm: boolean): void {
    if (this.sessions[index] !== null || this.stopped) return;
    const session = new HealthCheckSession(this.config, !warm);
    this.sessions[index] = session;
    this.failing[index] = session.failing ? 1 : 0;
    const generation = this.generation[index];
    // The first check runs now, as its own event, so a caller adding hosts is not re-entered.
    this.scheduler.post(this.scheduler.now, () => {
      if (this.generation[index] === generation) this.check(index, generation);
    });
  }

  /** Stops checking a host (it left the cluster). */
  remove(index: number): void {
    if (this.sessions[index] === null) return;
    this.sessions[index] = null;
    this.generation[index]++;
    this.failing[index] = 0;
  }

  /** Stops every session (the proxy replaced this cluster). */
  stop(): void {
    this.stopped = true;
    for (let i = 0; i < this.sessions.length; i++) this.remove(i);
  }

  private check(index: number, generation: number): void {
    const outcome = outcomeOf(this.hosts[index]);
    if (outcome === "noAnswer")
      this.scheduler.post(this.scheduler.now + this.config.timeoutMs, () =>
        this.conclude(index, generation, outcome),
      );
    else this.conclude(index, generation, outcome);
  }

  private conclude(index: number, generation: number, outcome: CheckOutcome): void {
    const session = this.sessions[index];
    if (session === null || this.generation[index] !== generation) return;
    if (session.result(outcome)) {
      this.failing[index] = session.failing ? 1 : 0;
      this.onChange();
    }
    this.scheduler.post(this.scheduler.now + this.config.intervalMs, () => {
      if (this.generation[index] === generation) this.check(index, generation);
    });
  }
}
