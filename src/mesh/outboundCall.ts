// A call as its sending sidecar keeps it: the model's Call (where it waits, runs and answers)
// plus the per-try state of Envoy's router for one upstream request: which upstream and subset it
// was routed to, the host it went to and when, the breaker permit it holds, whether the sidecar has
// accounted its end, and the retry state of its call. A retry or hedge is a new OutboundCall whose
// `first` is the call it is a try of; the first try is the call itself. Every field here is
// written by the sidecar's steps (sidecar.ts) and the exchange (exchange.ts) only.
import { childSite } from "../kernel/keyedDraws.ts";
import {
  type Call,
  CallEvent,
  type CallEventKind,
  type CallSender,
  Reason,
  type ReasonCode,
  runCallEvent,
  type Station,
} from "../model/call.ts";
import type { Instance } from "../model/instance.ts";
import type { Operation } from "../model/operation.ts";
import type { EndUserRequest, TraceSlot, Waiter } from "../model/request.ts";
import type { Cluster } from "./cluster.ts";
import type { PendingTry, PermitHolder, Upstream } from "./upstream.ts";

/** The sidecar as its tries and their exchange see it (Sidecar implements it): the per-try steps and their accounting. */
export interface TrySender extends CallSender {
  /** The answer (or failure) of `attempt` came back with `status` (its `answerReason` says how). */
  receive(attempt: OutboundCall, status: number): void;
  /** The answer event of `attempt` fired (its `answerStatus` and `answerReason`): as `receive`, then it may recycle the call. */
  answered(attempt: OutboundCall): void;
  /** Sends a retry or hedge through the per-try steps: breaker, pool, balance, network. */
  sendTry(attempt: OutboundCall): void;
  /** Balances and sends a try that holds a pool slot (one that waited for it, too). */
  dispatch(attempt: OutboundCall): void;
  /** Accounts the end of a dispatched try (counts, balancer feedback, pool slot, breaker, outlier detection). */
  endTry(attempt: OutboundCall, status: number, reason: ReasonCode): void;
  /** Accounts a dispatched try its caller cancelled: uncounted, no verdict for the breaker or outlier detection. */
  cancelTry(attempt: OutboundCall): void;
}

/**
 * A call's timeouts, retries and hedges (exchange.ts's Exchange, after Envoy's RetryState): what
 * the sidecar's steps tell it about each try.
 */
export interface RetryState {
  /** Whether its further tries are hedged copies (else they are retries). */
  readonly hedging: boolean;
  /** A try went on the wire to `member` (its per-try timer starts). */
  dispatched(attempt: OutboundCall): void;
  /** Whether some try of the call went to `member` (Istio's previous_hosts retry predicate). */
  triedHost(member: number): boolean;
  /** A try ended (answered, failed, timed out, refused locally): answer the caller, retry or hedge. */
  tryEnded(attempt: OutboundCall, status: number, reason: ReasonCode): void;
}

/** Salt of try k's call site: childSite(site, TRY_SALT + k). */
export const TRY_SALT = 0x7e7;

export class OutboundCall implements Call, PendingTry, PermitHolder {
  // The model's fields (model/call.ts says what each is for), as a new call has them.
  instance: Station | null = null;
  crossesZones = false;
  crossesRegions = false;
  arrivedAt = 0;
  pendingEvent: CallEventKind = CallEvent.arrive;
  answerStatus = 0;
  answerReason: ReasonCode = Reason.answer;
  trace: TraceSlot = null;
  cancelled = false;
  abandoned = false;
  prevPresent: Call | null = null;
  nextPresent: Call | null = null;
  // The sidecar's per-try state.
  /** On a call's first try: its timeouts, retries and hedges, when its sidecar tracks them; else null. */
  exchange: RetryState | null = null;
  /** Member index (in its cluster) of the host it was sent to, or -1 before it is sent. */
  member = -1;
  /** When the try was started, then when it was sent to its host. */
  sentAt = 0;
  /** The sidecar has accounted this try's end (answered, failed, timed out, cancelled); any later answer is ignored. */
  ended = false;
  /** The breaker state (its Upstream.breakerStates count) that permitted this try, or -1. */
  permit = -1;
  /**
   * The next call in its sidecar's list of spare calls while this one is spare (Sidecar.answered),
   * else null. A list through the calls themselves, not an array of them: the array and its
   * elements were two more objects to load on every call's way out (bench/loadMisses.mjs).
   */
  nextSpare: OutboundCall | null = null;

  // Written again only by `reuse` (a call's sidecar recycles it once it is over).
  constructor(
    public request: EndUserRequest,
    public operation: Operation,
    /** Call-site key for keyed draws (model/call.ts). */
    public site: number,
    /** Who gets the answer, and as which branch of its parallel group. */
    public waiter: Waiter,
    public branch: number,
    /** The sidecar that sends it and gets its answer. */
    readonly sender: TrySender,
    /** The sidecar's state for the target service when the call was made (a config push replaces it for later calls only). */
    public upstream: Upstream,
    /** The hosts and balancer of the subset the route step chose, in `upstream`. */
    public cluster: Cluster<Instance>,
    /** For a retry or hedge: the call it is a try of; null for the call itself (its first try). */
    readonly first: OutboundCall | null,
  ) {}

  /**
   * Makes this call, whose sidecar recycled it (Sidecar.answered says when that is safe), a new
   * first try from `sender`: every field as the constructor leaves it.
   */
  reuse(
    request: EndUserRequest,
    operation: Operation,
    site: number,
    waiter: Waiter,
    branch: number,
    upstream: Upstream,
    cluster: Cluster<Instance>,
  ): OutboundCall {
    this.request = request;
    this.operation = operation;
    this.site = site;
    this.waiter = waiter;
    this.branch = branch;
    this.upstream = upstream;
    this.cluster = cluster;
    this.instance = null;
    this.crossesZones = false;
    this.crossesRegions = false;
    this.arrivedAt = 0;
    this.pendingEvent = CallEvent.arrive;
    this.answerStatus = 0;
    this.answerReason = Reason.answer;
    this.trace = null;
    this.cancelled = false;
    this.abandoned = false;
    this.prevPresent = null;
    this.nextPresent = null;
    this.exchange = null;
    this.member = -1;
    this.sentAt = 0;
    this.ended = false;
    this.permit = -1;
    this.nextSpare = null;
    return this;
  }

  /** Gives the call's answer to its waiter. */
  reply(status: number): void {
    this.waiter.answered(status, this.branch);
  }

  /** Runs its pending event (it is posted to the scheduler as its own event). */
  fire(): void {
    // The answer goes to the sidecar by its own door: only there may it recycle the call.
    if (this.pendingEvent === CallEvent.answer) this.sender.answered(this);
    else runCallEvent(this);
  }

  /** The retry state of the call this is a try of (null when its sidecar tracks no tries for it). */
  get retryState(): RetryState | null {
    return this.first === null ? this.exchange : this.first.exchange;
  }

  /** Whether an earlier try of its call went to `member`. */
  triedHost(member: number): boolean {
    const state = this.retryState;
    return state !== null && state.triedHost(member);
  }

  /** Makes the `k`-th try (k >= 1) of this call: a new call at its own site, so its draws are its own. */
  nextTry(k: number): OutboundCall {
    const attempt = new OutboundCall(
      this.request,
      this.operation,
      childSite(this.site, TRY_SALT + k),
      this.waiter,
      this.branch,
      this.sender,
      this.upstream,
      this.cluster,
      this,
    );
    return attempt;
  }

  receive(status: number): void {
    this.sender.receive(this, status);
  }

  /** A pool slot freed up for this waiting try. */
  resume(): void {
    this.sender.dispatch(this);
  }
}
