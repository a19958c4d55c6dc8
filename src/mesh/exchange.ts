// Every retry decision of a sidecar, in one place: after each try, answer the caller, retry or
// hedge. A call whose sidecar tracks its tries (timeouts, hedging) has an Exchange from the start;
// any other call gets one only when its first try fails in a way its policy retries (`afterTry`).
// The Exchange is Envoy's router state for one request. Timeouts follow Istio/Envoy (a route
// timeout covering all tries and back-offs, a per-try timeout; the server is not told unless
// `cancelOnTimeout`). Retries follow Envoy: `retryOn` conditions, up to `attempts` retries after
// the first try, each after a jittered back-off, each allowed by the retry budget (or max_retries)
// at the moment it is scheduled, and counted as an active retry from then until its try ends.
// Hedging follows gRPC's policy: a new copy after `delay` without an answer (and at once after a
// failed copy), up to `maxAttempts` in all; the first success wins and, with `cancelLosers`, the
// others are cancelled. The exchange reaches its sidecar only through the TrySender port.
// Route and per-try timeouts are fixed-duration timers (`Scheduler.afterFixed`: O(1) to set and
// cancel). The first try lives in fields; a list is made only when a retry or hedge adds a try.
import { childSite, Purpose } from "../kernel/keyedDraws.ts";
import type { Firable, Timer } from "../kernel/scheduler.ts";
import { type Call, cancelCall, Reason, type ReasonCode } from "../model/call.ts";
import type { SimContext } from "../model/context.ts";
import { ProxyEvent } from "../model/edge.ts";
import { isFailure, Status } from "../model/request.ts";
import { SpanEnd, type SpanEndCode } from "../model/tracer.ts";
import { type OutboundCall, type RetryState, TRY_SALT, type TrySender } from "./outboundCall.ts";
import { backoffDelay } from "./resilience/retryBackOff.ts";
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

/** Whether a failure with this status and reason would be retried by the upstream's policy. */
function wouldRetry(upstream: Upstream, status: number, reason: ReasonCode): boolean {
  return (
    upstream.policy.resilience.retries.attempts > 0 &&
    upstream.policy.retryOn.shouldRetry({ status, reason: OUTCOME[reason] })
  );
}

/**
 * After a try of a call ended with `status` for `reason`: answer the caller, or hand the try to
 * the call's exchange, made now when the call had none and this first failure is retriable.
 */
export function afterTry(
  attempt: OutboundCall,
  status: number,
  reason: ReasonCode,
  ctx: SimContext,
): void {
  const first = attempt.first ?? attempt;
  let state = first.exchange;
  if (state === null) {
    // No tracked tries: only a retriable failure of the first try makes this call an exchange.
    if (!isFailure(status) || !wouldRetry(first.upstream, status, reason))
      return first.reply(status);
    state = new Exchange(first, ctx);
    first.exchange = state;
    state.dispatched(first);
  }
  state.tryEnded(attempt, status, reason);
}

/** One try of an exchange; it is also the event of its per-try timer. */
class Try implements Firable {
  /** Its pending per-try timer, or null. */
  timer: Timer | null = null;
  /** Sent and not yet ended, as far as the exchange is concerned. */
  outstanding = true;
  constructor(
    private readonly exchange: Exchange,
    readonly attempt: OutboundCall,
    /** A retry holds one of the upstream's active retries until it ends. */
    readonly retry: boolean,
  ) {}

  /** The per-try timeout. */
  fire(): void {
    this.exchange.perTryTimeout(this);
  }
}

/** The route timeout is the exchange's own event (`fire`). */
export class Exchange implements RetryState, Firable {
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
  private readonly upstream: Upstream;
  private readonly port: TrySender;

  constructor(
    private readonly call: OutboundCall,
    private readonly ctx: SimContext,
  ) {
    this.upstream = call.upstream;
    this.port = call.sender;
    const r = this.upstream.policy.resilience;
    this.hedging = r.hedging !== null;
    this.first = new Try(this, call, false);
    // Made when the call is sent (a policy with timeouts or hedging), so timers count from now.
    if (r.timeoutMs !== null) this.routeTimer = ctx.scheduler.afterFixed(r.timeoutMs, this);
    if (r.hedging !== null)
      this.hedgeTimer = ctx.scheduler.after(r.hedging.delayMs, () => this.hedge());
  }

  /** A try went on the wire to its host: start its per-try timer. */
  dispatched(attempt: OutboundCall): void {
    const perTryTimeoutMs = this.upstream.policy.resilience.retries.perTryTimeoutMs;
    if (perTryTimeoutMs === null) return;
    const t = this.tryOf(attempt)!;
    t.timer = this.ctx.scheduler.afterFixed(perTryTimeoutMs, t);
  }

  /** The per-try timer of `t` fired. */
  perTryTimeout(t: Try): void {
    t.timer = null;
    const attempt = t.attempt;
    if (attempt.ended) return;
    this.timeOut(attempt);
    this.ctx.observer.proxyEvent(this.port.source, attempt, ProxyEvent.timeout);
    this.tryEnded(attempt, Status.gatewayTimeout, Reason.timeout);
  }

  /** The route timeout fired. */
  fire(): void {
    this.routeTimeout();
  }

  private tryOf(attempt: OutboundCall): Try | null {
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

  /** Makes the next try of the call (a retry, or a hedged copy) and counts it outstanding. */
  private addTry(retry: boolean): OutboundCall {
    const attempt = this.call.nextTry(this.tries++);
    (this.later ??= []).push(new Try(this, attempt, retry));
    this.outstanding++;
    return attempt;
  }

  triedHost(member: number): boolean {
    if (this.first.attempt.member === member) return true;
    return this.later !== null && this.later.some((t) => t.attempt.member === member);
  }

  /** A try ended (answered, failed, timed out, or refused locally): answer, retry or hedge. */
  tryEnded(attempt: OutboundCall, status: number, reason: ReasonCode): void {
    this.release(attempt);
    if (this.done) return;
    if (!isFailure(status)) return this.finish(status);
    const r = this.upstream.policy.resilience;
    if (r.hedging !== null) {
      if (this.tries < r.hedging.maxAttempts) this.hedge();
      else if (this.outstanding === 0) this.finish(status);
      return;
    }
    if (this.retries < r.retries.attempts && wouldRetry(this.upstream, status, reason)) {
      if (this.retryAllowed()) return this.scheduleRetry();
      this.ctx.observer.proxyEvent(this.port.source, attempt, ProxyEvent.retryOverflow);
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

  private scheduleRetry(): void {
    const upstream = this.upstream;
    this.retries++;
    upstream.activeRetries++;
    this.reportRetry(this.call, true);
    const backoff = upstream.policy.resilience.retries.backoff;
    const delay = backoffDelay(backoff, this.retries, this.backoffDraw(this.retries));
    this.retryTimer = this.ctx.scheduler.after(delay, () => {
      this.retryTimer = null;
      const attempt = this.addTry(true);
      // Counted when it goes out (Envoy's upstream_rq_retry): a retry whose back-off the end of
      // the request cancels was never sent, so it is not a retry.
      this.ctx.observer.proxyEvent(this.port.source, attempt, ProxyEvent.retry);
      this.port.sendTry(attempt);
    });
  }

  /** A keyed uniform draw for the back-off before retry `n` (keyed by the site retry n will have). */
  private backoffDraw(n: number): number {
    const call = this.call;
    const request = call.request;
    return this.ctx.draws
      .begin(request.seedA, request.seedB, childSite(call.site, TRY_SALT + n), Purpose.backoff)
      .next();
  }

  private hedge(): void {
    if (this.hedgeTimer !== null) {
      this.ctx.scheduler.cancel(this.hedgeTimer);
      this.hedgeTimer = null;
    }
    const hedging = this.upstream.policy.resilience.hedging!;
    if (this.done || this.tries >= hedging.maxAttempts) return;
    const attempt = this.addTry(false);
    this.ctx.observer.proxyEvent(this.port.source, attempt, ProxyEvent.hedge);
    if (this.tries < hedging.maxAttempts)
      this.hedgeTimer = this.ctx.scheduler.after(hedging.delayMs, () => this.hedge());
    this.port.sendTry(attempt);
  }

  /** The route timeout: every try still out is abandoned and the caller gets 504. */
  private routeTimeout(): void {
    this.routeTimer = null;
    if (this.done) return;
    for (const { attempt } of this.outstandingTries()) {
      if (attempt.member >= 0) this.timeOut(attempt);
      else if (!attempt.ended) this.abandonWaiting(attempt, Status.gatewayTimeout, Reason.timeout);
      this.release(attempt);
    }
    // A retry waiting out its back-off never goes out: finish cancels it and frees its active retry.
    this.ctx.observer.proxyEvent(this.port.source, this.call, ProxyEvent.timeout);
    this.finish(Status.gatewayTimeout);
  }

  /** A dispatched try ran out of time: the caller's sidecar ends it (and may tell the server). */
  private timeOut(attempt: OutboundCall): void {
    if (attempt.ended) return;
    if (this.upstream.policy.resilience.cancelOnTimeout) cancelCall(attempt);
    this.port.endTry(attempt, Status.gatewayTimeout, Reason.timeout);
  }

  /** A try still waiting for the connection pool leaves the queue (`status` and `end` are for its span). */
  private abandonWaiting(attempt: OutboundCall, status: number, end: SpanEndCode): void {
    attempt.ended = true;
    this.upstream.pool?.cancelPending();
    this.upstream.releasePermit(attempt);
    const tracer = this.ctx.tracer;
    if (tracer !== null) tracer.tryEnded(attempt, status, end);
  }

  /** The try is over for this exchange: no longer outstanding; a retry frees its budget slot. */
  private release(attempt: OutboundCall): void {
    const t = this.tryOf(attempt);
    if (t === null) return;
    if (t.timer !== null) {
      this.ctx.scheduler.cancel(t.timer);
      t.timer = null;
    }
    if (!t.outstanding) return;
    t.outstanding = false;
    this.outstanding--;
    if (t.retry) {
      this.upstream.activeRetries--;
      this.reportRetry(attempt, false);
    }
  }

  /** Tells a watcher (only) that a retry took or gave back its place in the retry limit. */
  private reportRetry(call: Call, scheduled: boolean): void {
    const observer = this.ctx.observer;
    if (observer.retryCounted !== undefined)
      observer.retryCounted(this.port.source, call, scheduled);
  }

  private finish(status: number): void {
    this.done = true;
    const scheduler = this.ctx.scheduler;
    if (this.routeTimer !== null) scheduler.cancel(this.routeTimer);
    if (this.hedgeTimer !== null) scheduler.cancel(this.hedgeTimer);
    if (this.retryTimer !== null) {
      scheduler.cancel(this.retryTimer);
      this.upstream.activeRetries--;
      this.reportRetry(this.call, false);
    }
    this.routeTimer = this.hedgeTimer = this.retryTimer = null;
    const hedging = this.upstream.policy.resilience.hedging;
    if (hedging !== null && hedging.cancelLosers) {
      for (const { attempt: loser } of this.outstandingTries()) {
        if (loser.member >= 0 && !loser.ended) {
          cancelCall(loser);
          this.port.cancelTry(loser);
        } else if (!loser.ended) this.abandonWaiting(loser, 0, SpanEnd.cancelled);
        this.release(loser);
      }
    }
    this.call.reply(status);
  }
}
