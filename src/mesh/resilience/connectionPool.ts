// Request admission by one proxy to one cluster under Envoy's circuit-breaker thresholds
// max_requests and max_pending_requests (circuit_breaker.proto), following the connection pool's
// order of checks (source/common/conn_pool/conn_pool_base.cc: newStreamImpl, attachStreamToClient,
// onUpstreamReady). Overflow is a local 503 with response flag UO, never retried (see retryOn.ts).
//
// Semantics kept from Envoy's source, and what is simplified:
// - A request goes straight to a connection that has a free stream; there it needs active <
//   maxRequests, or it overflows at once. It does NOT queue: in Envoy, pending requests are only
//   those waiting for a connection stream. So under HTTP/2 with Envoy's default 2^31 - 1 streams per
//   connection, requests beyond maxRequests overflow and maxPendingRequests never comes into play.
// - Only when every stream is busy (active >= streamCapacity) does a request wait, if pending <
//   maxPendingRequests, else it overflows. A finished request frees a stream for the oldest waiter
//   (FIFO, as Envoy attaches from the back of pending_streams_), which then passes the maxRequests
//   check (active <= maxRequests always holds, so it always passes here).
// - streamCapacity stands for connections x streams per connection: Infinity for HTTP/2 (default),
//   max_connections for HTTP/1.1, where one request holds one connection. Connection set-up time,
//   during which Envoy also queues, is not modelled, nor per-host pools: counts are per cluster.
// - Istio sets every threshold to 2^32 - 1, so nothing overflows unless a DestinationRule sets
//   http2MaxRequests (max_requests), http1MaxPendingRequests (max_pending_requests), maxConnections.

export type Admission = "send" | "queue" | "overflow";

export interface ConnectionPoolConfig {
  /** Envoy max_requests: active requests to the cluster, an integer in [0, 2^32 - 1]. */
  maxRequests: number;
  /** Envoy max_pending_requests: requests waiting for a stream, an integer in [0, 2^32 - 1]. */
  maxPendingRequests: number;
  /** Streams the proxy's connections can carry at once: an integer >= 1 or Infinity (default, HTTP/2). */
  streamCapacity?: number;
}

/**
 * The largest value of Envoy's uint32 circuit-breaker thresholds (max_requests, max_retries, ...):
 * Istio sets it to mean unlimited (cluster_traffic_policy.go getDefaultCircuitBreakerThresholds).
 */
export const ENVOY_UNLIMITED = 2 ** 32 - 1;

export class ConnectionPool {
  private readonly maxRequests: number;
  private readonly maxPendingRequests: number;
  private readonly streamCapacity: number;
  private activeCount = 0;
  private pendingCount = 0;
  /** Envoy counters, as plain data: sent directly, queued, sent from the queue, overflowed, given up. */
  readonly stats = { sent: 0, queued: 0, dequeued: 0, overflowed: 0, cancelled: 0 };

  constructor(config: ConnectionPoolConfig) {
    const streamCapacity = config.streamCapacity ?? Infinity;
    checkThreshold("maxRequests", config.maxRequests);
    checkThreshold("maxPendingRequests", config.maxPendingRequests);
    if (
      !(
        streamCapacity === Infinity ||
        (Number.isSafeInteger(streamCapacity) && streamCapacity >= 1)
      )
    ) {
      throw new RangeError(
        `connection pool streamCapacity must be an integer >= 1 or Infinity, got ${streamCapacity}`,
      );
    }
    this.maxRequests = config.maxRequests;
    this.maxPendingRequests = config.maxPendingRequests;
    this.streamCapacity = streamCapacity;
  }

  /** Requests on a stream now (Envoy `requests` resource). */
  get active(): number {
    return this.activeCount;
  }

  /** Requests waiting for a stream (Envoy `pending_requests` resource). */
  get pending(): number {
    return this.pendingCount;
  }

  /** Admits one new request: send it now, let it wait, or refuse it (local 503, flag UO). */
  tryAdmit(): Admission {
    if (this.activeCount < this.streamCapacity) {
      if (this.activeCount < this.maxRequests) {
        this.activeCount++;
        this.stats.sent++;
        return "send";
      }
    } else if (this.pendingCount < this.maxPendingRequests) {
      this.pendingCount++;
      this.stats.queued++;
      return "queue";
    }
    this.stats.overflowed++;
    return "overflow";
  }

  /** An active request ended. True if the oldest waiting request now holds its stream: send it. */
  onFinished(): boolean {
    if (this.activeCount === 0)
      throw new Error("connection pool: a request finished but none was active");
    this.activeCount--;
    if (this.pendingCount > 0 && this.activeCount < this.streamCapacity) {
      this.pendingCount--;
      this.activeCount++;
      this.stats.dequeued++;
      return true;
    }
    return false;
  }

  /** A waiting request gave up (e.g. its route timeout fired) and leaves the queue. */
  cancelPending(): void {
    if (this.pendingCount === 0)
      throw new Error("connection pool: a pending request was cancelled but none was waiting");
    this.pendingCount--;
    this.stats.cancelled++;
  }
}

function checkThreshold(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value >= 0 && value <= ENVOY_UNLIMITED)) {
    throw new RangeError(
      `connection pool ${name} must be an integer in [0, 2^32 - 1], got ${value}`,
    );
  }
}
