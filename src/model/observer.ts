// What the model tells whoever measures it. The model never formats output: it reports events
// here, and observe/ turns them into statistics. One observer per run (compose if needed).
import type { Call } from "./call.ts";
import type { EdgeSource, ProxyEventCode } from "./edge.ts";
import type { Endpoint } from "./endpoint.ts";
import type { EndUserRequest } from "./request.ts";

export interface ModelObserver {
  /** A proxy of caller `source` (a service or a load) sent `call` to `instance`. */
  callSent(source: EdgeSource, call: Call, instance: Endpoint): void;
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
  /**
   * For watchers only (a run's statistics leave it out, so an unwatched run never builds its
   * arguments): the hosts one proxy's cluster of a service may send to now (its host set after
   * discovery, ejections, health checks and panic), when the cluster is built and at each change.
   * `cluster` identifies the cluster (one per DestinationRule subset); `panic` says whether some
   * priority level balances over all its hosts because too few are healthy (Envoy's panic mode).
   */
  hostsChanged?(
    atMs: number,
    proxy: string,
    service: string,
    cluster: object,
    hosts: readonly Endpoint[],
    panic: boolean,
  ): void;
  /** For watchers only: a try sent to an instance ended for its proxy (answered, timed out, cancelled). */
  tryEnded?(source: EdgeSource, call: Call): void;
  /**
   * For watchers only: a retry of `call` became active for its proxy's retry limit (`scheduled`:
   * Envoy counts it from the decision, back-off included) or stopped being (its try ended, or the
   * request ended during the back-off).
   */
  retryCounted?(source: EdgeSource, call: Call, scheduled: boolean): void;
}

/** What a load tells whoever measures it (load/issuer.ts): each request offered, and its end. */
export interface LoadObserver {
  offered(request: EndUserRequest): void;
  finished(request: EndUserRequest, status: number): void;
}

/**
 * Someone who watches a run as it happens besides its statistics (meshsim/testing's invariant
 * checkers, the way TigerBeetle's checkers watch the replicas): the model's events and each
 * end-user request's start and end, in the order they happen, every method optional. A watcher
 * only reads; it never draws a random number or schedules an event, so a watched run is the run.
 */
export interface RunWatcher extends Partial<ModelObserver> {
  /** Called once before the run starts, with the simulated clock (`now` in ms). */
  attach?(clock: { readonly now: number }): void;
  /** An end-user request was offered by its load. */
  requestOffered?(request: EndUserRequest): void;
  /** An end-user request ended with `status` (success, error, or a local refusal). */
  requestFinished?(request: EndUserRequest, status: number): void;
}
