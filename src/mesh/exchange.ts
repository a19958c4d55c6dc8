// One caller's call in flight through its proxy, with every try made for it: Envoy's router
// state for one request. Timeouts follow Istio/Envoy (a route timeout covering all tries and
// back-offs, a per-try timeout; the server is not told unless `cancelOnTimeout`). Retries follow
// Envoy: `retryOn` conditions, up to `attempts` retries after the first try, each after a jittered
// back-off, each allowed by the retry budget (or max_retries) at the moment it is scheduled, and
// counted as an active retry from then until its try ends. Hedging follows gRPC's policy: a new
// copy after `delay` without an answer (and at once after a failed copy), up to `maxAttempts` in
// all; the first success wins and, with `cancelLosers`, the others are cancelled.
// Timers of fixed duration (route and per-try timeouts) are set with the scheduler's `afterFixed`:
// set and cancelled in O(1), they fire exactly when and in the order other timers would. The first
// try lives in fields; a list is made only when a retry or hedge adds a try.
import type { Firable, Timer } from "../kernel/scheduler.ts";
import { type Call, Reason, type ReasonCode, type TryOwner } from "../model/call.ts";
import { ProxyEvent } from "../model/observer.ts";
import { isFailure, Status } from "../model/request.ts";
import { SpanEnd, type SpanEndCode } from "../model/tracer.ts";
import { backoffDelay } from "./resilience/backoff.ts";
import type { OutcomeReason } from "./resilience/retryOn.ts";
import type { Sidecar } from "./sidecar.ts";
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

/** One try of an exchange; it is also the event of its per-try timer. */
class Try implements Firable {
  /** Member index of the host it was sent to (for the retry host predicate), or -1. */
  host = -1;
  /** Its pending per-try timer, or null. */
  timer: Timer | null = null;
  /** Sent and not yet ended, as far as the exchange is concerned. */
  outstanding = true;
  constructor(
    private readonly exchange: Exchange,
    readonly attempt: Call,
    /** A retry holds one of the upstream's active retries until it ends. */
    readonly retry: boolean,
  ) {}

  /** The per-try timeout. */
  fire(): void {
    this.exchange.perTryTimeout(this);
  }
}

/** The route timeout is the exchange's own event (`fire`). */
export class Exchange implements TryOwner, Firable {
  readonly kind = "exchange";
  readonly hedging: boolean;
  /** Tries made so far, the first included. */
  private tries = 1;
  private retries = 0;
  private done = false;
  /** The first try (the call itself), and the later ones in the order they were made (null until one is). */
  private readonly first: Try;
  private later: Try[] | null = null;
  /** Tries sent and not yet ended. */
  private outstanding = 1;
  /** The pending route timeout, or null. */
  private routeTimer: Timer | null = null;
  private hedgeTimer: Timer | null = null;
  private retryTimer: Timer | null = null;

  constructor(
    private readonly call: Call,
    private readonly upstream: Upstream,
    private readonly proxy: Sidecar,
  ) {
    const r = upstream.policy.resilience;
    const scheduler = proxy.ctx.scheduler;
    this.hedging = r.hedging !== null;
    this.first = new Try(this, call, false);
    // Made when the call is sent (a policy with timeouts or hedging), so timers count from now.
    if (r.timeoutMs !== null) this.routeTimer = scheduler.afterFixed(r.timeoutMs, this);
    if (r.hedging !== null)
      this.hedgeTimer = scheduler.after(r.hedging.delayMs, () => this.hedge());
  }

  /** Whether a failure with this status and reason would be retried by the upstream's policy. */
  static wouldRetry(upstream: Upstream, status: number, reason: ReasonCode): boolean {
    return (
      upstream.policy.resilience.retries.attempts > 0 &&
      upstream.policy.retryOn.shouldRetry({ status, reason: OUTCOME[reason] })
    );
  }

  /** A try went on the wire to `member`: remember the host, start its per-try timer. */
  dispatched(attempt: Call, member: number): void {
    const t = this.tryOf(attempt)!;
    t.host = member;
    const perTryTimeoutMs = this.upstream.policy.resilience.retries.perTryTimeoutMs;
    if (perTryTimeoutMs !== null) t.timer = this.proxy.ctx.scheduler.afterFixed(perTryTimeoutMs, t);
  }

  /** The per-try timer of `t` fired. */
  perTryTimeout(t: Try): void {
    t.timer = null;
    const attempt = t.attempt;
    if (attempt.settled) return;
    this.timeOut(attempt);
    this.proxy.ctx.observer.proxyEvent(this.proxy.source, attempt, ProxyEvent.timeout);
    this.tryEnded(attempt, Status.gatewayTimeout, Reason.timeout);
  }

  /** The route timeout fired. */
  fire(): void {
    this.routeTimeout();
  }

  private tryOf(attempt: Call): Try | null {
    if (attempt === this.first.attempt) return this.first;
    const later = this.later;
    if (later !== null)
      for (let i = 0; i < later.length; i++) if (later[i].attempt === attempt) return later[i];
    return null;
  }

  /** Tries still outstanding, in the order they were made. */
  private outstandingTries(): Try[] {
    const out = this.first.outstanding ? [this.first] : [];
    if (this.later !== null) for (const t of this.later) if (t.outstanding) out.push(t);
    return out;
  }

  private addTry(attempt: Call, retry: boolean): void {
    (this.later ??= []).push(new Try(this, attempt, retry));
    this.outstanding++;
  }

  triedHost(member: number): boolean {
    if (this.first.host === member) return true;
    return this.later !== null && this.later.some((t) => t.host === member);
  }

  /** A try ended (answered, failed, timed out, or refused locally): answer, retry or hedge. */
  tryEnded(attempt: Call, status: number, reason: ReasonCode): void {
    this.release(attempt);
    if (this.done) return;
    if (!isFailure(status)) return this.finish(status);
    const r = this.upstream.policy.resilience;
    if (r.hedging !== null) {
      if (this.tries < r.hedging.maxAttempts) this.hedge();
      else if (this.outstanding === 0) this.finish(status);
      return;
    }
    if (this.retries < r.retries.attempts && Exchange.wouldRetry(this.upstream, status, reason)) {
      if (this.retryAllowed()) return this.scheduleRetry(attempt);
      this.proxy.ctx.observer.proxyEvent(this.proxy.source, attempt, ProxyEvent.retryOverflow);
    }
    if (this.outstanding === 0 && this.retryTimer === null) this.finish(status);
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
    const delay = backoffDelay(
      backoff,
      this.retries,
      this.proxy.backoffDraw(this.call, this.retries),
    );
    this.retryTimer = this.proxy.ctx.scheduler.after(delay, () => {
      this.retryTimer = null;
      const attempt = this.proxy.newTry(this.call, this.tries++);
      this.addTry(attempt, true);
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
    this.addTry(attempt, false);
    this.proxy.ctx.observer.proxyEvent(this.proxy.source, attempt, ProxyEvent.hedge);
    if (this.tries < hedging.maxAttempts)
      this.hedgeTimer = this.proxy.ctx.scheduler.after(hedging.delayMs, () => this.hedge());
    this.proxy.sendTry(attempt, this.upstream);
  }

  /** The route timeout: every try still out is abandoned and the caller gets 504. */
  private routeTimeout(): void {
    this.routeTimer = null;
    if (this.done) return;
    for (const { attempt } of this.outstandingTries()) {
      if (attempt.endpointIndex >= 0) this.timeOut(attempt);
      else if (!attempt.settled)
        this.abandonWaiting(attempt, Status.gatewayTimeout, Reason.timeout);
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
    const t = this.tryOf(attempt);
    if (t === null) return;
    if (t.timer !== null) {
      this.proxy.ctx.scheduler.cancel(t.timer);
      t.timer = null;
    }
    if (!t.outstanding) return;
    t.outstanding = false;
    this.outstanding--;
    if (t.retry) this.upstream.activeRetries--;
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
      for (const { attempt: loser } of this.outstandingTries()) {
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
