// One end-user request: its load, when it was due, whether it is measured (after warm-up), the two
// seeds that key all its random draws, and its key and attributes for hashing and routing (each
// call made for it is a Call, call.ts). Also the Waiter that gets a call's answer, and the HTTP
// status codes calls end with (200 ok, 404 no route, 429, 500 error, 503 unavailable, 504 timeout).
/**
 * What a tracer keeps on a request or a call (their `trace` fields): its own record (an object, or
 * a number such as the index of a record in its own store, so a call needs no object of the
 * tracer's), which the model carries and never reads. Declared here, below the tracer
 * (observe/tracing/), which alone knows what it put there and reads it back; null when tracing is
 * off or the tracer has none for it.
 */
export type TraceSlot = object | number | null;

/**
 * What the model carries on a request for the transactions ledger (its `order` field): the ledger's
 * record of the request's order, which the model never reads; null until the order's first effect.
 */
export type OrderSlot = object | null;

/** The hashes of a load's keys, by key index (load/keys.ts's KeySpace, which caches them per key). */
export interface KeyHashes {
  /** How many keys the space has (indices are 0 to count - 1). */
  readonly count: number;
  /** xxHash64 of the key's text (e.g. "userId-42"), as Envoy's hash policies hash it: high and low words. */
  hashHigh(index: number): number;
  hashLow(index: number): number;
  /** 32-bit murmur3 of the key's text, for tables built with meshsim's former MURMUR3_32. */
  murmur3(index: number): number;
}

export class EndUserRequest {
  constructor(
    readonly id: number,
    readonly loadIndex: number,
    /** When the request was due to be sent (open load) or was sent (closed load). */
    readonly scheduledAt: number,
    /** False for requests that arrived during warm-up: statistics leave them out. */
    readonly measured: boolean,
    /** Key of every random draw made for this request (see kernel/keyedDraws.ts). */
    readonly seedA: number,
    readonly seedB: number,
  ) {}

  /** The name of the request's key (e.g. userId), or null if its load has no keys. */
  keyName: string | null = null;
  /** Identifies the key across loads (same name and index, same id), or -1. */
  keyId = -1;
  /**
   * Where the key's hashes are kept (its load's key space), or null if its load has no keys. They
   * are looked up only when a hashing balancer asks (the sidecar's pick step): a run whose tables
   * hash no key never touches them (reading three words per request from tables of 100,000 keys
   * was 7% of a plain checkout run, in cache misses).
   */
  keyHashes: KeyHashes | null = null;
  /** The key's index in `keyHashes` (-1 without a key). */
  keyIndex = -1;
  /** Attribute values by scenario-wide attribute index (undefined where this load sets none), or null. */
  attributes: (string | undefined)[] | null = null;
  /** The tracer's trace of this request, or null when tracing is off. */
  trace: TraceSlot = null;
  /** The transactions ledger's record of this request's order, or null (src/transactions/). */
  order: OrderSlot = null;
  /** The status the request ended with, once the ledger has seen it end (0 until then, or without a ledger). */
  outcome = 0;
}

/**
 * The call-site key of the first hop of every end-user request: the root of its call tree, whose
 * sites are childSite(parent, salt) below it (see kernel/keyedDraws.ts). The load's own draws for
 * a request (its key, attributes, think time) are keyed by it too.
 */
export const ROOT_SITE = 0x5eed;

/**
 * Whoever waits for a call's answer: the steps runner or parallel group that made the call, or the
 * load that issued the request. `branch` is the call's position in its parallel group (else 0).
 * (An object, not a closure per call: see the note in callGraph.ts.)
 */
export interface Waiter {
  answered(status: number, branch: number): void;
}

export const Status = {
  ok: 200,
  /** No route matched at the caller's sidecar (Envoy NR). */
  notFound: 404,
  /** A local rate limiter refused the call (Envoy local_ratelimit). */
  tooManyRequests: 429,
  serverError: 500,
  unavailable: 503,
  /** The caller's timeout fired first. */
  gatewayTimeout: 504,
} as const;

/** Any HTTP error fails the call that got it. */
export function isFailure(status: number): boolean {
  return status >= 400;
}
