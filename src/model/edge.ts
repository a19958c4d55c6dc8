// The caller's side of an edge (caller → service) and what its proxies count on it: Envoy's
// upstream_rq_* counters in meshsim's words, each code with its counter name in results.

/** Who sends on an edge: a calling service, or a load's clients. Dense index over both. */
export interface EdgeSource {
  readonly name: string;
  readonly index: number;
}

/** What proxies count per edge; the codes are dense from 0, as counters are arrays indexed by them. */
export const ProxyEvent = {
  /** A try was sent to an instance (first tries, retries and hedges): counted by callSent. */
  try: 0,
  /** A retry went out (after its back-off; one cancelled by the request's end is not counted). */
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

/** Each event's counter name in results, keyed by its code: the compiler checks there is one per code and no other. */
export const PROXY_EVENT_NAMES = {
  [ProxyEvent.try]: "tries",
  [ProxyEvent.retry]: "retries",
  [ProxyEvent.hedge]: "hedges",
  [ProxyEvent.timeout]: "timeouts",
  [ProxyEvent.breakerRejected]: "breakerRejections",
  [ProxyEvent.rateLimited]: "rateLimited",
  [ProxyEvent.overflow]: "overflows",
  [ProxyEvent.noHealthyUpstream]: "noHealthyUpstream",
  [ProxyEvent.connectFailure]: "connectFailures",
  [ProxyEvent.reset]: "resets",
  [ProxyEvent.retryOverflow]: "retryOverflows",
} as const satisfies { readonly [C in ProxyEventCode]: string };
export type ProxyEventName = (typeof PROXY_EVENT_NAMES)[ProxyEventCode];

/** Every code, in order (0, 1, ...): iterate counters with these, and size their arrays by its length. */
export const PROXY_EVENT_CODES: readonly ProxyEventCode[] = Object.values(ProxyEvent);
