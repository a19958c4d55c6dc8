// A sidecar proxy: every caller instance and every load client has its own, with its own
// per-upstream state (balancer cursors, active counts, breaker, ejections, budgets), as in Envoy;
// N proxies each deciding locally is not one global decision. A call goes through the router
// filter's steps: route to a subset (VirtualService), the proxy's rate limit, then each try:
// circuit breaker permission, connection-pool admission, a healthy host from the balancer, the
// network (partitions, edge faults), and the per-try timer. Answers settle the try (counts,
// breaker, outlier detection) and the exchange decides: answer the caller, retry, or hedge.

import { childSite, Purpose } from "../kernel/keyedDraws.ts";
import type { Rng } from "../kernel/random.ts";
import { Call, CallEvent, type Outbound, Reason, type ReasonCode } from "../model/call.ts";
import type { SimContext } from "../model/context.ts";
import type { Instance } from "../model/instance.ts";
import { type EdgeSource, ProxyEvent } from "../model/observer.ts";
import { isFailure, Status } from "../model/request.ts";
import { SpanEnd, type TraceOrigin } from "../model/tracer.ts";
import type { PickRequest } from "./balancers/balancer.ts";
import type { Cluster } from "./cluster.ts";
import { Exchange } from "./exchange.ts";
import { ALL_INSTANCES, NO_ROUTE } from "./routing/router.ts";
import { type ProxyControl, Upstream, type UpstreamPolicy } from "./upstream.ts";

export type { UpstreamPolicy } from "./upstream.ts";

/** How many picks a retry makes to avoid hosts already tried (Istio host_selection_retry_max_attempts). */
const HOST_SELECTION_ATTEMPTS = 5;

export class Sidecar implements Outbound, TraceOrigin {
  /** By service index. */
  private readonly upstreams: (Upstream | undefined)[] = [];
  /** Reused for every pick: balancers read it during `pick` and keep no reference. */
  private readonly pickRequest = { now: 0, hash: -1 } satisfies PickRequest;
  /** The registry client and active health checks of this proxy, or null without either. Set by the builder. */
  control: ProxyControl | null = null;

  constructor(
    readonly name: string,
    /** The caller this proxy sends for; its sends count on the edge source → target. */
    readonly source: EdgeSource,
    /** The zone this proxy runs in, or null for a client outside every zone. */
    readonly zone: string | null,
    /** The instance this proxy is the sidecar of, or null for a load client. */
    private readonly owner: Instance | null,
    readonly ctx: SimContext,
    private readonly rng: Rng,
    /** By service index; replaced when a config version reaches this proxy (applyPolicies). */
    private policies: readonly UpstreamPolicy[],
  ) {}

  /**
   * Takes a new configuration version (the config center's push, src/control/config/center.ts):
   * each upstream in use whose policy changed is replaced by a fresh one, as Envoy replaces a
   * cluster on a CDS update. Calls in flight finish on the old one: they hold their Upstream (the
   * exchange) and Cluster (the call, whose cluster knows its upstream) and never look them up again.
   */
  applyPolicies(policies: readonly UpstreamPolicy[]): void {
    const old = this.policies;
    this.policies = policies;
    for (let i = 0; i < policies.length; i++) {
      const upstream = this.upstreams[i];
      if (upstream === undefined || policies[i] === old[i]) continue;
      upstream.retire(this.ctx.scheduler.now);
      this.addUpstream(i);
    }
  }

  /** The upstreams this proxy has sent to so far, by service index (for monitoring). */
  upstreamsInUse(): Upstream[] {
    return this.upstreams.filter((u): u is Upstream => u !== undefined);
  }

  send(call: Call): void {
    const service = call.operation.service;
    const ctx = this.ctx;
    const request = call.request;
    const upstream = this.upstreams[service.index] ?? this.addUpstream(service.index);
    const policy = upstream.policy;
    const subset =
      policy.router === null ? ALL_INSTANCES : policy.router.route(request, call.site, ctx.draws);
    call.outbound = this;
    if (subset === NO_ROUTE) {
      if (ctx.tracer !== null) ctx.tracer.callRefused(call, this, Status.notFound, SpanEnd.noRoute);
      call.endpointIndex = -1;
      call.reply(Status.notFound);
      return;
    }
    call.cluster = upstream.cluster(subset);
    if (upstream.limiter !== null && !upstream.limiter.tryConsume(ctx.scheduler.now)) {
      ctx.observer.proxyEvent(this.source, call, ProxyEvent.rateLimited);
      if (ctx.tracer !== null)
        ctx.tracer.callRefused(call, this, Status.tooManyRequests, Reason.rateLimited);
      call.endpointIndex = -1;
      call.reply(Status.tooManyRequests);
      return;
    }
    if (policy.tracksTries) call.owner = new Exchange(call, upstream, this);
    this.sendTry(call, upstream);
  }

  /** Sends one try of a call: breaker, pool, host, network. */
  sendTry(attempt: Call, upstream: Upstream): void {
    const now = this.ctx.scheduler.now;
    attempt.outbound = this;
    attempt.endpointIndex = -1;
    attempt.sentAt = now;
    if (this.ctx.tracer !== null) this.ctx.tracer.tryStarted(attempt, this);
    if (upstream.breaker !== null && !upstream.tryAcquirePermit(attempt, now))
      return this.failLocally(attempt, upstream, Reason.breakerOpen);
    if (upstream.pool !== null) {
      const admission = upstream.pool.tryAdmit();
      if (admission === "overflow") {
        upstream.releasePermit(attempt);
        return this.failLocally(attempt, upstream, Reason.overflow);
      }
      if (admission === "queue") {
        upstream.waiting.push(attempt);
        return;
      }
    }
    this.dispatch(attempt, upstream);
  }

  /** Picks a host and puts the try on the wire (it holds a pool slot if there is a pool). */
  private dispatch(attempt: Call, upstream: Upstream): void {
    const ctx = this.ctx;
    const now = ctx.scheduler.now;
    const cluster = attempt.cluster as Cluster;
    if (cluster.available === 0) {
      if (upstream.pool !== null) this.freePoolSlot(upstream);
      upstream.releasePermit(attempt);
      return this.failLocally(attempt, upstream, Reason.noHealthyUpstream);
    }
    const member = this.pick(attempt, cluster);
    cluster.started(member, now);
    const instance = cluster.members[member];
    upstream.activeTries++;
    if (upstream.detector !== null) upstream.startDetector();
    ctx.observer.callSent(this.source, attempt, instance);
    if (this.control !== null) this.control.sent(attempt, upstream, instance);
    attempt.endpointIndex = member;
    attempt.sentAt = now;
    attempt.crossesZones = this.zone !== null && this.zone !== instance.zone;
    attempt.instance = instance;
    const owner = attempt.logical !== null ? attempt.logical.owner : attempt.owner;
    if (owner !== null) (owner as Exchange).dispatched(attempt, member);
    const network = ctx.network;
    if (network.partitioned && network.isCut(this.zone, this.owner, instance)) {
      // SYNs go unanswered: the connect fails after the connect timeout.
      ctx.scheduler.postAfter(upstream.policy.resilience.connectTimeoutMs, () => {
        attempt.answerReason = Reason.connectFailure;
        this.receive(attempt, Status.unavailable);
      });
      return;
    }
    let extra = 0;
    const rules = network.rulesOf(this.source.name, instance.service.name);
    if (rules !== null) {
      const status = rules.abortOf(attempt, ctx.draws);
      if (status !== 0) {
        attempt.answerReason = Reason.answer;
        ctx.scheduler.postAfter(0, () => this.receive(attempt, status));
        return;
      }
      extra = rules.delayOf(attempt, ctx.draws);
    }
    attempt.pendingEvent = CallEvent.arrive;
    if (network.instantaneous && extra === 0) {
      instance.accept(attempt);
    } else {
      ctx.scheduler.postFire(
        extra + network.delay(attempt.request, attempt.site, false, attempt.crossesZones),
        attempt,
      );
    }
  }

  /** The member of `cluster` that gets this try. */
  private pick(attempt: Call, cluster: Cluster): number {
    const request = attempt.request;
    const pickRequest = this.pickRequest;
    pickRequest.now = this.ctx.scheduler.now;
    pickRequest.hash =
      cluster.hashKey !== null && request.keyName === cluster.hashKey ? request.keyHash : -1;
    let member = cluster.pick(this.rng, pickRequest);
    // Istio's retry host predicate (previous_hosts), left out for consistent-hash routes as Istio does.
    if (attempt.logical !== null && cluster.hashKey === null) {
      const exchange = attempt.logical.owner as Exchange;
      for (let i = 1; i < HOST_SELECTION_ATTEMPTS && exchange.triedHost(member); i++)
        member = cluster.pick(this.rng, pickRequest);
    }
    return member;
  }

  receive(attempt: Call, status: number): void {
    if (attempt.settled) return; // the caller already gave up on it (timeout, a hedge won)
    const upstream = (attempt.cluster as Cluster).upstream as Upstream;
    this.settle(attempt, upstream, status, attempt.answerReason);
    this.decide(attempt, upstream, status, attempt.answerReason);
  }

  /** Ends a try that never reached an instance (breaker, pool, no healthy host). */
  private failLocally(attempt: Call, upstream: Upstream, reason: ReasonCode): void {
    attempt.settled = true;
    const event =
      reason === Reason.breakerOpen
        ? ProxyEvent.breakerRejected
        : reason === Reason.overflow
          ? ProxyEvent.overflow
          : ProxyEvent.noHealthyUpstream;
    this.ctx.observer.proxyEvent(this.source, attempt, event);
    if (this.ctx.tracer !== null) this.ctx.tracer.tryEnded(attempt, Status.unavailable, reason);
    this.decide(attempt, upstream, Status.unavailable, reason);
  }

  /**
   * Accounts the end of a dispatched try: active counts, balancer feedback, pool slot, breaker and
   * outlier detection. `reason` timeout comes from the caller's own timer.
   */
  settle(attempt: Call, upstream: Upstream, status: number, reason: ReasonCode): void {
    attempt.settled = true;
    const ctx = this.ctx;
    const now = ctx.scheduler.now;
    const latency = now - attempt.sentAt;
    const failed = isFailure(status);
    (attempt.cluster as Cluster).settled(attempt.endpointIndex, latency, !failed, now);
    upstream.activeTries--;
    if (reason === Reason.connectFailure)
      ctx.observer.proxyEvent(this.source, attempt, ProxyEvent.connectFailure);
    else if (reason === Reason.reset)
      ctx.observer.proxyEvent(this.source, attempt, ProxyEvent.reset);
    const breaker = upstream.breaker;
    // resilience4j records what the call threw: 5xx and local failures; a 4xx is the caller's fault.
    if (breaker !== null) breaker.onResult(now, latency, status >= 500);
    if (upstream.detector !== null) upstream.detector.onResult(now, attempt.endpointIndex, status);
    if (upstream.pool !== null) this.freePoolSlot(upstream);
    if (ctx.tracer !== null) ctx.tracer.tryEnded(attempt, status, reason);
  }

  /** A losing hedge the caller cancelled: uncounted, with no verdict for the breaker or outlier detection. */
  settleCancelled(attempt: Call, upstream: Upstream): void {
    attempt.settled = true;
    const now = this.ctx.scheduler.now;
    (attempt.cluster as Cluster).settled(attempt.endpointIndex, now - attempt.sentAt, true, now);
    upstream.activeTries--;
    upstream.releasePermit(attempt);
    if (upstream.pool !== null) this.freePoolSlot(upstream);
    if (this.ctx.tracer !== null) this.ctx.tracer.tryEnded(attempt, 0, SpanEnd.cancelled);
  }

  /** After a try ended: retry or hedge through the exchange, or answer the caller. */
  private decide(attempt: Call, upstream: Upstream, status: number, reason: ReasonCode): void {
    if (attempt.owner === null && attempt.logical === null && !isFailure(status))
      return attempt.reply(status);
    const logical = attempt.logical ?? attempt;
    let exchange = logical.owner as Exchange | null;
    if (exchange === null) {
      // No tracked tries: only a retriable failure of the first try makes this call an exchange.
      if (!isFailure(status) || !Exchange.wouldRetry(upstream, status, reason)) {
        logical.reply(status);
        return;
      }
      exchange = new Exchange(logical, upstream, this);
      logical.owner = exchange;
      exchange.dispatched(logical, logical.endpointIndex);
    }
    exchange.tryEnded(attempt, status, reason);
  }

  private freePoolSlot(upstream: Upstream): void {
    if (!upstream.pool!.onFinished()) return;
    let next = upstream.waiting.shift();
    while (next !== undefined && next.settled) next = upstream.waiting.shift();
    if (next !== undefined) this.dispatch(next, upstream);
  }

  /** Makes the `k`-th try (k >= 1) of a call: a new call at its own site, so its draws are its own. */
  newTry(logical: Call, k: number): Call {
    const attempt = new Call(
      logical.request,
      logical.operation,
      childSite(logical.site, TRY_SALT + k),
      logical.waiter,
      logical.branch,
    );
    attempt.logical = logical;
    attempt.cluster = logical.cluster;
    return attempt;
  }

  /** A keyed uniform draw for the back-off before retry `n` of `logical`. */
  backoffDraw(logical: Call, n: number): number {
    const request = logical.request;
    return this.ctx.draws
      .begin(request.seedA, request.seedB, childSite(logical.site, TRY_SALT + n), Purpose.backoff)
      .next();
  }

  private addUpstream(serviceIndex: number): Upstream {
    const ctx = this.ctx;
    const policy = this.policies[serviceIndex];
    const upstream = new Upstream(
      policy.service,
      policy,
      this.name,
      this.zone,
      ctx.scheduler,
      ctx.observer,
    );
    this.upstreams[serviceIndex] = upstream;
    if (this.control !== null) this.control.attach(upstream);
    return upstream;
  }
}

/** Salt of try k's call site: childSite(site, TRY_SALT + k). */
const TRY_SALT = 0x7e7;
