// One caller's call in flight through its proxy, with every try made for it: Envoy's router
// state for one request. Timeouts follow Istio/Envoy (a route timeout covering all tries and
// back-offs, a per-try timeout; the server is not told unless `cancelOnTimeout`). Retries follow
// Envoy: `retryOn` conditions, up to `attempts` retries after the first try, each after a jittered
// back-off, each allowed by the retry budget (or max_retries) at the moment it is scheduled, and
// counted as an active retry from then until its try ends. Hedging follows gRPC's policy: a new
// copy after `delay` without an answer (and at once after a failed copy), up to `maxAttempts` in
// all; the first success wins and, with `cancelLosers`, the others are cancelled.
import type { Timer } from "../kernel/scheduler.ts";
import { Reason, type Call, type ReasonCode, type TryOwner } from "../model/call.ts";
import { ProxyEvent } from "../model/observer.ts";
import { SpanEnd, type SpanEndCode } from "../model/tracer.ts";
import { isFailure, Status } from "../model/request.ts";
import type { Proxy } from "./proxy.ts";
import { backoffDelay } from "./resilience/backoff.ts";
import type { OutcomeReason } from "./resilience/retryOn.ts";
import type { Upstream } from "./upstream.ts";

const OUTCOME: Record<ReasonCode, OutcomeReason> = {
  [Reason.answer]: "answer",
  [Reason.rateLimited]: "rate-limited",
  [Reason.timeout]: "timeout",
  [Reason.reset]: "reset",
  [Reason.connectFailure]: "connect-failure",
  [Reason.overflow]: "overflow",
  // A breaker's refusal and "no healthy upstream" are local overflows to retryOn: never retried.
  [Reason.breakerOpen]: "overflow",
  [Reason.noHealthyUpstream]: "overflow",
};

export class Exchange implements TryOwner {
  readonly kind = "exchange";
  readonly hedging: boolean;
  /** Tries made so far, the first included. */
  private tries = 1;
  private retries = 0;
  private done = false;
  /** Tries sent and not yet ended. */
  private readonly outstanding: Call[] = [];
  /** Per-try timers still pending, and the tries they belong to (cancelled when the try ends, so
   * the event list does not fill up with timers of answered tries). */
  private readonly tryTimers: Timer[] = [];
  private readonly timedTries: Call[] = [];
  /** Member indexes of the hosts tried, for the retry host predicate. */
  private readonly hosts: number[] = [];
  /** Tries that are retries (they hold one of the upstream's active retries until they end). */
  private readonly retryTries: Call[] = [];
  private routeTimer: Timer | null = null;
  private hedgeTimer: Timer | null = null;
  private retryTimer: Timer | null = null;
  /** The failure to report when no try succeeds. */
  private lastFailure: number = Status.unavailable;

  constructor(
    private readonly call: Call,
    private readonly upstream: Upstream,
    private readonly proxy: Proxy,
  ) {
    const r = upstream.policy.resilience;
    const scheduler = proxy.ctx.scheduler;
    this.hedging = r.hedging !== null;
    this.outstanding.push(call);
    // Made when the call is sent (a policy with timeouts or hedging), so timers count from now.
    if (r.timeoutMs !== null) this.routeTimer = scheduler.after(r.timeoutMs, () => this.routeTimeout());
    if (r.hedging !== null) this.hedgeTimer = scheduler.after(r.hedging.delayMs, () => this.hedge());
  }

  /** Whether a failure with this status and reason would be retried by the upstream's policy. */
  static wouldRetry(upstream: Upstream, status: number, reason: ReasonCode): boolean {
    return upstream.policy.resilience.retries.attempts > 0 && upstream.policy.retryOn.shouldRetry({ status, reason: OUTCOME[reason] });
  }

  /** A try went on the wire to `member`: remember the host, start its per-try timer. */
  dispatched(attempt: Call, member: number): void {
    this.hosts.push(member);
    const perTry = this.upstream.policy.resilience.retries.perTryTimeoutMs;
    if (perTry !== null) {
      const timer = this.proxy.ctx.scheduler.after(perTry, () => {
        this.forgetTimer(attempt);
        if (attempt.settled) return;
        this.timeOut(attempt);
        this.proxy.ctx.observer.proxyEvent(this.proxy.source, attempt, ProxyEvent.timeout);
        this.tryEnded(attempt, Status.gatewayTimeout, Reason.timeout);
      });
      this.tryTimers.push(timer);
      this.timedTries.push(attempt);
    }
  }

  /** Drops the per-try timer of `attempt` from the list, returning it (or null). */
  private forgetTimer(attempt: Call): Timer | null {
    const i = this.timedTries.indexOf(attempt);
    if (i < 0) return null;
    const timer = this.tryTimers[i];
    this.timedTries.splice(i, 1);
    this.tryTimers.splice(i, 1);
    return timer;
  }

  triedHost(member: number): boolean {
    return this.hosts.includes(member);
  }

  /** A try ended (answered, failed, timed out, or refused locally): answer, retry or hedge. */
  tryEnded(attempt: Call, status: number, reason: ReasonCode): void {
    this.release(attempt);
    if (this.done) return;
    if (!isFailure(status)) return this.finish(status);
    this.lastFailure = status;
    const r = this.upstream.policy.resilience;
    if (r.hedging !== null) {
      if (this.tries < r.hedging.maxAttempts) this.hedge();
      else if (this.outstanding.length === 0) this.finish(status);
      return;
    }
    if (this.retries < r.retries.attempts && Exchange.wouldRetry(this.upstream, status, reason)) {
      if (this.retryAllowed()) return this.scheduleRetry(attempt);
      this.proxy.ctx.observer.proxyEvent(this.proxy.source, attempt, ProxyEvent.retryOverflow);
    }
    if (this.outstanding.length === 0 && this.retryTimer === null) this.finish(status);
  }

  private retryAllowed(): boolean {
    const upstream = this.upstream;
    const pool = upstream.pool;
    const active = pool !== null ? pool.active : upstream.activeTries;
    const pending = pool !== null ? pool.pending : 0;
    return upstream.retryLimit.canRetry(active, pending, upstream.activeRetries);
  }

  private scheduleRetry(failed: Call): void {
    const upstream = this.upstream;
    this.retries++;
    upstream.activeRetries++;
    this.proxy.ctx.observer.proxyEvent(this.proxy.source, failed, ProxyEvent.retry);
    const backoff = upstream.policy.resilience.retries.backoff;
    const delay = backoffDelay(backoff, this.retries, this.proxy.backoffDraw(this.call, this.retries));
    this.retryTimer = this.proxy.ctx.scheduler.after(delay, () => {
      this.retryTimer = null;
      const attempt = this.proxy.newTry(this.call, this.tries++);
      this.retryTries.push(attempt);
      this.outstanding.push(attempt);
      this.proxy.sendTry(attempt, upstream);
    });
  }

  private hedge(): void {
    if (this.hedgeTimer !== null) {
      this.proxy.ctx.scheduler.cancel(this.hedgeTimer);
      this.hedgeTimer = null;
    }
    const hedging = this.upstream.policy.resilience.hedging!;
    if (this.done || this.tries >= hedging.maxAttempts) return;
    const attempt = this.proxy.newTry(this.call, this.tries++);
    this.outstanding.push(attempt);
    this.proxy.ctx.observer.proxyEvent(this.proxy.source, attempt, ProxyEvent.hedge);
    if (this.tries < hedging.maxAttempts) this.hedgeTimer = this.proxy.ctx.scheduler.after(hedging.delayMs, () => this.hedge());
    this.proxy.sendTry(attempt, this.upstream);
  }

  /** The route timeout: every try still out is abandoned and the caller gets 504. */
  private routeTimeout(): void {
    this.routeTimer = null;
    if (this.done) return;
    for (const attempt of [...this.outstanding]) {
      if (attempt.endpointIndex >= 0) this.timeOut(attempt);
      else if (!attempt.settled) this.abandonWaiting(attempt, Status.gatewayTimeout, Reason.timeout);
      this.release(attempt);
    }
    // A retry waiting out its back-off never goes out: finish cancels it and frees its active retry.
    this.proxy.ctx.observer.proxyEvent(this.proxy.source, this.call, ProxyEvent.timeout);
    this.finish(Status.gatewayTimeout);
  }

  /** A dispatched try ran out of time: the caller's proxy settles it (and may tell the server). */
  private timeOut(attempt: Call): void {
    if (attempt.settled) return;
    if (this.upstream.policy.resilience.cancelOnTimeout) attempt.cancelled = true;
    this.proxy.settle(attempt, this.upstream, Status.gatewayTimeout, Reason.timeout);
  }

  /** A try still waiting for the connection pool leaves the queue (`status` and `end` are for its span). */
  private abandonWaiting(attempt: Call, status: number, end: SpanEndCode): void {
    attempt.settled = true;
    this.upstream.pool?.cancelPending();
    this.upstream.releasePermit(attempt);
    const tracer = this.proxy.ctx.tracer;
    if (tracer !== null) tracer.tryEnded(attempt, status, end);
  }

  /** The try is over for this exchange: no longer outstanding; a retry frees its budget slot. */
  private release(attempt: Call): void {
    const timer = this.forgetTimer(attempt);
    if (timer !== null) this.proxy.ctx.scheduler.cancel(timer);
    const i = this.outstanding.indexOf(attempt);
    if (i < 0) return;
    this.outstanding.splice(i, 1);
    const r = this.retryTries.indexOf(attempt);
    if (r >= 0) {
      this.retryTries.splice(r, 1);
      this.upstream.activeRetries--;
    }
  }

  private finish(status: number): void {
    this.done = true;
    const scheduler = this.proxy.ctx.scheduler;
    if (this.routeTimer !== null) scheduler.cancel(this.routeTimer);
    if (this.hedgeTimer !== null) scheduler.cancel(this.hedgeTimer);
    if (this.retryTimer !== null) {
      scheduler.cancel(this.retryTimer);
      this.upstream.activeRetries--;
    }
    this.routeTimer = this.hedgeTimer = this.retryTimer = null;
    const hedging = this.upstream.policy.resilience.hedging;
    if (hedging !== null && hedging.cancelLosers) {
      for (const loser of [...this.outstanding]) {
        if (loser.endpointIndex >= 0 && !loser.settled) {
          loser.cancelled = true;
          this.proxy.settleCancelled(loser, this.upstream);
        } else if (!loser.settled) this.abandonWaiting(loser, 0, SpanEnd.cancelled);
        this.release(loser);
      }
    }
    this.call.reply(status);
  }
}
