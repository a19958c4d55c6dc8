// What the model tells whoever measures it. The model never formats output: it reports events
// here, and observe/ turns them into statistics. One observer per run (compose if needed).
import type { Call } from "./call.ts";
import type { Instance } from "./instance.ts";

export interface ModelObserver {
  /** A proxy of caller `source` (a service or a load) sent `call` to `instance`. */
  callSent(source: EdgeSource, call: Call, instance: Instance): void;
  /** A call got a worker slot after waiting `waitMs` in the instance's queue. */
  callStarted(call: Call, waitMs: number): void;
  /** The instance answered a call it had admitted, with `status` (after its downstream calls). */
  callAnswered(call: Call, status: number): void;
  /** The instance turned a call away at once (full queue 503, rate limit 429, inbound abort). */
  callRejected(call: Call, status: number): void;
  /** A proxy of caller `source` did something worth counting with `call` (a try of it) on its edge. */
  proxyEvent(source: EdgeSource, call: Call, event: ProxyEventCode): void;
  /** A component changed state (a breaker, an ejection, an instance's life), at `atMs`. */
  stateChanged(atMs: number, component: string, from: string, to: string): void;
}

/** What proxies count per edge (Envoy's upstream_rq_* counters, in meshsim's words). */
export const ProxyEvent = {
  /** A try was sent to an instance (first tries, retries and hedges): counted by callSent. */
  try: 0,
  retry: 1,
  hedge: 2,
  /** A per-try or route timeout fired. */
  timeout: 3,
  /** The circuit breaker refused a try. */
  breakerRejected: 4,
  /** The proxy's own rate limit refused a call (429). */
  rateLimited: 5,
  /** The connection pool overflowed (503 UO). */
  overflow: 6,
  /** No healthy host (503 UH). */
  noHealthyUpstream: 7,
  /** A try could not connect (dead, failed, or partitioned host). */
  connectFailure: 8,
  /** A try was reset by its instance dying. */
  reset: 9,
  /** A retry was due but the budget or max_retries refused it (Envoy upstream_rq_retry_overflow). */
  retryOverflow: 10,
} as const;
export type ProxyEventCode = (typeof ProxyEvent)[keyof typeof ProxyEvent];
export const PROXY_EVENT_NAMES = [
  "tries",
  "retries",
  "hedges",
  "timeouts",
  "breakerRejections",
  "rateLimited",
  "overflows",
  "noHealthyUpstream",
  "connectFailures",
  "resets",
  "retryOverflows",
] as const;

/** Who sends on an edge: a calling service, or a load's clients. Dense index over both. */
export interface EdgeSource {
  readonly name: string;
  readonly index: number;
}
