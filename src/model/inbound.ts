// The steps a call meets at an instance before its queue, as the interfaces the instance calls
// and others implement: the inbound sidecar's mTLS and authorization (mesh/security/inbound.ts),
// the fault timeline's delay and abort rules (inboundFaults.ts) and the sidecar's local rate limit
// (mesh/resilience/tokenBucket.ts), and what a step may do with the call's instance.
import type { Call } from "./call.ts";

/** What an inbound step may do with the instance it guards (Instance implements it). */
export interface InboundTarget {
  /** Whether a connection to the instance succeeds now. */
  readonly reachable: boolean;
  /** Past the inbound steps: the rate limit, then a slot, the queue, or a 503. */
  admit(call: Call): void;
  /** Goes on with a call a step held (a handshake): the remaining steps, then admission. */
  resume(call: Call): void;
  /** Closes the call's connection before any request is read: a connect failure (503). */
  refuse(call: Call): void;
  /** Answers the call at once, before the queue (an abort, an authorization denial). */
  answerAtOnce(call: Call, status: number): void;
}

/** The inbound sidecar's mTLS and authorization, ahead of everything else. */
export interface InboundSecurity {
  /** True when it took the call over (refused, denied, or held for a handshake; it resumes it itself). */
  intercept(call: Call, instance: InboundTarget): boolean;
  /** The instance went down: its connections are gone, so the next call from each proxy opens a new one. */
  connectionsLost(): void;
}

/** The fault timeline's inbound delay and abort rules at an instance. */
export interface InboundRules {
  /** True when the rules took the call over (it is delayed, or answered at once). */
  intercept(call: Call, instance: InboundTarget): boolean;
}

/** Admission control in front of the queue (a local rate limiter of the instance's sidecar). */
export interface InboundLimiter {
  tryConsume(nowMs: number): boolean;
}
