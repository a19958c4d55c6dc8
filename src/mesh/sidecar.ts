// A sidecar proxy: every caller instance and every load client has its own, with its own
// per-upstream state (balancer cursors, active counts, breaker, ejections, budgets), as in Envoy;
// N proxies each deciding locally is not one global decision. A call goes through the router
// filter's steps in Envoy's order, each giving a verdict:
//   per call: 1. route (VirtualService subset, or 404 NR); 2. authorize: at the server's inbound
//     sidecar (security/inbound.ts), as Envoy's RBAC filter runs on the inbound listener; 3. rate
//     limit (this proxy's token bucket, or 429);
//   per try: 4. circuit breaker (a permit, or UO-style refusal); 5. connection pool (a slot, a place
//     in its queue, or overflow); 6. balance (a healthy host, or UH); 7. network (pass, deliver after
//     a delay, unreachable, or aborted: model/network.ts's verdict); 8. send, with the per-try and
//     route timeouts, retries and hedges of the call's exchange (exchange.ts).
// Answers end the try (counts, breaker, outlier detection) and `afterTry` decides: answer the
// caller, retry, or hedge. The per-try state lives on the call itself (outboundCall.ts).

import type { Rng } from "../kernel/random.ts";
import { type Call, CallEvent, type Outbound, Reason, type ReasonCode } from "../model/call.ts";
import type { SimContext } from "../model/context.ts";
import { type EdgeSource, ProxyEvent } from "../model/edge.ts";
import type { Instance } from "../model/instance.ts";
import { NetworkVerdict } from "../model/network.ts";
import type { Operation } from "../model/operation.ts";
import {
  type EndUserRequest,
  isFailure,
  type KeyHashes,
  Status,
  type Waiter,
} from "../model/request.ts";
import { SpanEnd, type TraceOrigin } from "../model/tracer.ts";
import { KEYED, NO_HASH, type PickRequest } from "./balancers/balancer.ts";
import type { Cluster } from "./cluster.ts";
import { afterTry, Exchange } from "./exchange.ts";
import { OutboundCall, type TrySender } from "./outboundCall.ts";
import { ALL_INSTANCES, NO_ROUTE } from "./routing/router.ts";
import { type ProxyControl, type ProxyPlace, Upstream, type UpstreamPolicy } from "./upstream.ts";

export type { UpstreamPolicy } from "./upstream.ts";

/** How many picks a retry makes to avoid hosts already tried (Istio host_selection_retry_max_attempts). */
const HOST_SELECTION_ATTEMPTS = 5;

/** A try's admission verdict (steps 4 and 5): on to balancing, wait for a pool slot, or a local failure's Reason. */
const Admission = { pass: -1, wait: -2 } as const;
type AdmissionVerdict = (typeof Admission)[keyof typeof Admission] | ReasonCode;

export class Sidecar implements Outbound, TrySender, TraceOrigin {
  /** By service index. */
  private readonly upstreams: (Upstream | undefined)[] = [];
  /** Reused for every pick: balancers read it during `pick` and keep no reference. */
  private readonly pickRequest = {
    now: 0,
    hash: NO_HASH as number,
    hashHigh: 0,
    keys: null as KeyHashes | null,
    keyIndex: -1,
  } satisfies PickRequest;
  /** The registry client and active health checks of this proxy, or null without either. Set by the builder. */
  control: ProxyControl | null = null;
  /**
   * Whether nothing outside the model keeps a call after its answer (no run watcher, no
   * transactions: their hooks hold calls), so a call that is over can be made again (`answered`).
   * Set by the builder.
   */
  reusesCalls = false;
  /**
   * The last call that is over, the head of the list of such calls (linked by `nextSpare`), made
   * again by `send` (last in, first out: the freshest in the cache).
   */
  private spareHead: OutboundCall | null = null;

  constructor(
    readonly name: string,
    /** The caller this proxy sends for; its sends count on the edge source → target. */
    readonly source: EdgeSource,
    /** Where this proxy runs (region/zone/subzone) and its pod labels, or null for a client outside every zone. */
    private readonly place: ProxyPlace | null,
    /** The instance this proxy is the sidecar of (partitions cut it with its instance), or null for a load client. */
    private readonly localInstance: Instance | null,
    readonly ctx: SimContext,
    private readonly rng: Rng,
    /** By service index; replaced when a config version reaches this proxy (applyPolicies). */
    private policies: readonly UpstreamPolicy[],
  ) {
    this.zone = place === null ? null : place.locality.zone;
    this.region = place === null ? null : place.locality.region;
  }

  /** The zone this proxy runs in, or null for a client outside every zone. */
  readonly zone: string | null;
  /** Its region ("" for a zone in no region), or null outside every zone. */
  private readonly region: string | null;

  /**
   * Takes a new configuration version (the config center's push, src/control/config/center.ts):
   * each upstream in use whose policy changed is replaced by a fresh one, as Envoy replaces a
   * cluster on a CDS update. Calls in flight finish on the old one: each holds its Upstream.
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

  /** Makes a call and runs its per-call steps (route, rate limit), then its first try. */
  send(
    request: EndUserRequest,
    operation: Operation,
    site: number,
    waiter: Waiter,
    branch: number,
    caller: Call | null,
  ): void {
    const ctx = this.ctx;
    const tracer = ctx.tracer;
    const index = operation.service.index;
    const upstream = this.upstreams[index] ?? this.addUpstream(index);
    // 1. Route: a subset's cluster (made on first use: its host set and slow-start clocks count from then).
    const policy = upstream.policy;
    const subset =
      policy.router === null ? ALL_INSTANCES : policy.router.route(request, site, ctx.draws);
    if (subset === NO_ROUTE) {
      if (tracer !== null)
        tracer.callRefused(request, operation, caller, this, Status.notFound, SpanEnd.noRoute);
      return waiter.answered(Status.notFound, branch);
    }
    const cluster = upstream.cluster(subset);
    const spare = this.spareHead;
    if (spare !== null) this.spareHead = spare.nextSpare;
    const call =
      spare !== null
        ? spare.reuse(request, operation, site, waiter, branch, upstream, cluster)
        : new OutboundCall(request, operation, site, waiter, branch, this, upstream, cluster, null);
    if (tracer !== null && caller !== null) tracer.callMade(call, caller);
    if (upstream.plain && tracer === null) return this.sendPlain(call, cluster);
    // 3. Rate limit (2, authorize, runs at the server's inbound sidecar).
    if (upstream.limiter !== null && !upstream.limiter.tryConsume(ctx.scheduler.now)) {
      ctx.observer.proxyEvent(this.source, call, ProxyEvent.rateLimited);
      const status = Status.tooManyRequests;
      if (tracer !== null)
        tracer.callRefused(request, operation, caller, this, status, Reason.rateLimited);
      return call.reply(status);
    }
    if (policy.tracksTries) call.exchange = new Exchange(call, ctx);
    this.sendTry(call);
  }

  /**
   * The steps of a first try through a plain upstream (Upstream.plain) with tracing off: no rate
   * limit, no admission, so straight to balance, network and send; what `sendTry` and `dispatch`
   * would do, less their checks that cannot pass. Decided once per upstream.
   */
  private sendPlain(call: OutboundCall, cluster: Cluster<Instance>): void {
    if (cluster.available === 0) return this.failLocally(call, Reason.noHealthyUpstream);
    const member = this.pick(call, cluster);
    const instance = this.markSent(call, cluster, member);
    this.transmit(call, instance);
  }

  /** Runs a try's steps: breaker and pool admission, then balance, network and send. */
  sendTry(attempt: OutboundCall): void {
    const tracer = this.ctx.tracer;
    attempt.sentAt = this.ctx.scheduler.now;
    if (tracer !== null) {
      const state = attempt.retryState;
      const hedge = attempt.first !== null && state !== null && state.hedging;
      tracer.tryStarted(attempt, this, attempt.first, hedge);
    }
    const verdict = this.admit(attempt);
    if (verdict === Admission.pass) this.dispatch(attempt);
    else if (verdict !== Admission.wait) this.failLocally(attempt, verdict);
  }

  /** 4. The circuit breaker's permission; 5. a connection-pool slot, or a place in the pool's queue. */
  private admit(attempt: OutboundCall): AdmissionVerdict {
    const upstream = attempt.upstream;
    if (upstream.breaker !== null && !upstream.tryAcquirePermit(attempt, this.ctx.scheduler.now))
      return Reason.breakerOpen;
    const pool = upstream.pool;
    if (pool === null) return Admission.pass;
    const admission = pool.tryAdmit();
    if (admission === "overflow") {
      upstream.releasePermit(attempt);
      return Reason.overflow;
    }
    if (admission === "queue") {
      upstream.waitForPool(attempt);
      return Admission.wait;
    }
    return Admission.pass;
  }

  /** 6. Balance, then 7. the network and 8. the wire, for a try that holds a pool slot (if there is a pool). */
  dispatch(attempt: OutboundCall): void {
    const upstream = attempt.upstream;
    const cluster = attempt.cluster;
    if (cluster.available === 0) {
      upstream.freePoolSlot();
      upstream.releasePermit(attempt);
      return this.failLocally(attempt, Reason.noHealthyUpstream);
    }
    const member = this.pick(attempt, cluster);
    const instance = this.markSent(attempt, cluster, member);
    this.transmit(attempt, instance);
  }

  /** The member of `cluster` that gets this try. */
  private pick(attempt: OutboundCall, cluster: Cluster<Instance>): number {
    const request = attempt.request;
    const pickRequest = this.pickRequest;
    pickRequest.now = this.ctx.scheduler.now;
    const hashing = cluster.hashKey;
    // The key's hash words are read only by a policy that needs them (balancer.ts's KEYED).
    if (hashing === null || request.keyName !== hashing.key) pickRequest.hash = NO_HASH;
    else {
      pickRequest.hash = KEYED;
      pickRequest.keys = request.keyHashes;
      pickRequest.keyIndex = request.keyIndex;
    }
    let member = cluster.pick(this.rng, pickRequest);
    // Istio's retry host predicate (previous_hosts), left out for consistent-hash routes as Istio does.
    if (attempt.first !== null && cluster.hashKey === null) {
      for (let i = 1; i < HOST_SELECTION_ATTEMPTS && attempt.triedHost(member); i++)
        member = cluster.pick(this.rng, pickRequest);
    }
    return member;
  }

  /** Counts a try sent to `member` and notes where and when it went; its exchange starts its per-try timer. */
  private markSent(attempt: OutboundCall, cluster: Cluster<Instance>, member: number): Instance {
    const ctx = this.ctx;
    const now = ctx.scheduler.now;
    const upstream = attempt.upstream;
    cluster.started(member, now);
    const instance = cluster.members[member];
    upstream.activeTries++;
    if (upstream.detector !== null) upstream.startDetector();
    ctx.observer.callSent(this.source, attempt, instance);
    if (this.control !== null) this.control.sent(attempt, upstream, instance);
    attempt.member = member;
    attempt.sentAt = now;
    attempt.crossesZones = this.zone !== null && this.zone !== instance.zone;
    attempt.crossesRegions = this.region !== null && this.region !== instance.locality.region;
    attempt.instance = instance;
    const state = attempt.retryState;
    if (state !== null) state.dispatched(attempt);
    return instance;
  }

  /** Puts the try on the wire to `instance`, as the network's verdict allows. */
  private transmit(attempt: OutboundCall, instance: Instance): void {
    const ctx = this.ctx;
    const network = ctx.network;
    const verdict = network.judge(
      this.source.name,
      this.zone,
      this.localInstance,
      instance,
      attempt,
    );
    if (verdict === NetworkVerdict.unreachable) {
      // SYNs go unanswered: the connect fails after the connect timeout.
      ctx.scheduler.postAfter(attempt.upstream.policy.resilience.connectTimeoutMs, () => {
        attempt.answerReason = Reason.connectFailure;
        this.receive(attempt, Status.unavailable);
      });
      return;
    }
    if (verdict === NetworkVerdict.abort) {
      const status = network.verdictStatus;
      attempt.answerReason = Reason.answer;
      ctx.scheduler.postAfter(0, () => this.receive(attempt, status));
      return;
    }
    attempt.pendingEvent = CallEvent.arrive;
    if (verdict === NetworkVerdict.pass && network.instantaneous) return instance.accept(attempt);
    const extra = verdict === NetworkVerdict.delay ? network.verdictDelayMs : 0;
    network.leg(attempt, false);
    if (extra === 0 && network.legFixed) ctx.scheduler.postFireFixed(network.legMs, attempt);
    else ctx.scheduler.postFire(extra + network.legMs, attempt);
  }

  receive(attempt: OutboundCall, status: number): void {
    if (attempt.ended) return; // the caller already gave up on it (timeout, a hedge won)
    this.endTry(attempt, status, attempt.answerReason);
    afterTry(attempt, status, attempt.answerReason, this.ctx);
  }

  /**
   * The answer event of `attempt` fired: as `receive`; then the call is made again by a later
   * `send` when nothing can reach it any more. Its instance let go of it when it answered (an
   * answer event is the last thing an instance schedules for a call, and an abandoned call's
   * answer travels as a side event, never through here), and so did the scheduler; on this side
   * only an exchange (its tries, timers and losers) or a try of one keeps a call beyond its answer;
   * the tracer keeps numbers on calls, never a call; a watcher or the transactions' hooks may keep
   * it (`reusesCalls` is false then).
   */
  answered(attempt: OutboundCall): void {
    if (attempt.ended) return; // the caller already gave up on it (timeout, a hedge won)
    this.receive(attempt, attempt.answerStatus);
    if (this.reusesCalls && attempt.first === null && attempt.exchange === null) {
      attempt.nextSpare = this.spareHead;
      this.spareHead = attempt;
    }
  }

  /** Ends a try that never reached an instance (breaker, pool, no healthy host). */
  private failLocally(attempt: OutboundCall, reason: ReasonCode): void {
    attempt.ended = true;
    const event =
      reason === Reason.breakerOpen
        ? ProxyEvent.breakerRejected
        : reason === Reason.overflow
          ? ProxyEvent.overflow
          : ProxyEvent.noHealthyUpstream;
    this.ctx.observer.proxyEvent(this.source, attempt, event);
    if (this.ctx.tracer !== null) this.ctx.tracer.tryEnded(attempt, Status.unavailable, reason);
    afterTry(attempt, Status.unavailable, reason, this.ctx);
  }

  /**
   * Accounts the end of a dispatched try: active counts, balancer feedback, pool slot, breaker and
   * outlier detection. `reason` timeout comes from the caller's own timer.
   */
  endTry(attempt: OutboundCall, status: number, reason: ReasonCode): void {
    attempt.ended = true;
    const ctx = this.ctx;
    const now = ctx.scheduler.now;
    const upstream = attempt.upstream;
    const latency = now - attempt.sentAt;
    attempt.cluster.finished(attempt.member, latency, !isFailure(status), now);
    upstream.activeTries--;
    // Before the pool slot goes to a waiting try, so a watcher sees this one end before that one leaves.
    if (ctx.observer.tryEnded !== undefined) ctx.observer.tryEnded(this.source, attempt);
    if (reason === Reason.connectFailure)
      ctx.observer.proxyEvent(this.source, attempt, ProxyEvent.connectFailure);
    else if (reason === Reason.reset)
      ctx.observer.proxyEvent(this.source, attempt, ProxyEvent.reset);
    const breaker = upstream.breaker;
    // resilience4j records what the call threw: 5xx and local failures; a 4xx is the caller's fault.
    if (breaker !== null) breaker.onResult(now, latency, status >= 500);
    if (upstream.detector !== null) upstream.detector.onResult(now, attempt.member, status);
    upstream.freePoolSlot();
    if (ctx.tracer !== null) ctx.tracer.tryEnded(attempt, status, reason);
  }

  cancelTry(attempt: OutboundCall): void {
    attempt.ended = true;
    const now = this.ctx.scheduler.now;
    const upstream = attempt.upstream;
    attempt.cluster.finished(attempt.member, now - attempt.sentAt, true, now);
    upstream.activeTries--;
    const observer = this.ctx.observer;
    if (observer.tryEnded !== undefined) observer.tryEnded(this.source, attempt);
    upstream.releasePermit(attempt);
    upstream.freePoolSlot();
    if (this.ctx.tracer !== null) this.ctx.tracer.tryEnded(attempt, 0, SpanEnd.cancelled);
  }

  private addUpstream(serviceIndex: number): Upstream {
    const ctx = this.ctx;
    const policy = this.policies[serviceIndex];
    const upstream = new Upstream(
      policy.service,
      policy,
      this.name,
      this.place,
      ctx.scheduler,
      ctx.observer,
    );
    this.upstreams[serviceIndex] = upstream;
    if (this.control !== null) this.control.attach(upstream);
    return upstream;
  }
}
