// The metric families meshsim scrapes, named as Prometheus would (base units, `_total` on counter
// samples, snake case). Labels: `load`, `service`, `instance`, `source` and `target` (an edge from
// a caller, `load:<name>` for a load's clients, to a service), `status`, `quantile`, `le`.
import { PROXY_EVENT_CODES, PROXY_EVENT_NAMES } from "../../model/edge.ts";
import type { Family } from "./seriesStore.ts";

const family = (name: string, type: Family["type"], unit: string, help: string): Family => ({
  name,
  type,
  unit,
  help,
});

export const Families = {
  loadRequests: family(
    "meshsim_load_requests",
    "counter",
    "",
    "End-user requests the load offered.",
  ),
  loadCompleted: family(
    "meshsim_load_completed",
    "counter",
    "",
    "End-user requests that completed successfully.",
  ),
  loadFailed: family(
    "meshsim_load_failed",
    "counter",
    "",
    "End-user requests that failed, by HTTP status.",
  ),
  loadInFlight: family(
    "meshsim_load_in_flight",
    "gauge",
    "",
    "End-user requests offered and not yet finished.",
  ),
  loadDuration: family(
    "meshsim_load_request_duration_seconds",
    "histogram",
    "seconds",
    "End-to-end latency of completed requests, from the scheduled arrival.",
  ),
  loadLatencyWindow: family(
    "meshsim_load_latency_window_seconds",
    "summary",
    "seconds",
    "Quantiles of the end-to-end latency of requests completed since the previous stored sample (NaN when none).",
  ),
  requests: family(
    "meshsim_requests",
    "counter",
    "",
    "Calls an instance answered, rejections included.",
  ),
  requestErrors: family(
    "meshsim_request_errors",
    "counter",
    "",
    "Calls a service answered with an error, by HTTP status (500 error, 503 full queue, 429 rate limit, injected aborts).",
  ),
  requestDuration: family(
    "meshsim_request_duration_seconds",
    "histogram",
    "seconds",
    "Time calls spent at an instance of the service (queue, work, downstream calls).",
  ),
  latencyWindow: family(
    "meshsim_latency_window_seconds",
    "summary",
    "seconds",
    "Quantiles of the time at the service of calls answered since the previous stored sample (NaN when none).",
  ),
  inFlight: family(
    "meshsim_instance_in_flight",
    "gauge",
    "",
    "Calls present at the instance: queued, in service or waiting on downstream calls.",
  ),
  queueLength: family(
    "meshsim_instance_queue_length",
    "gauge",
    "",
    "Calls waiting for a worker slot.",
  ),
  busySeconds: family(
    "meshsim_instance_busy_seconds",
    "counter",
    "seconds",
    "Worker-slot seconds used (divide its rate by the concurrency for utilisation).",
  ),
  utilization: family(
    "meshsim_instance_utilization_ratio",
    "gauge",
    "ratio",
    "Fraction of the worker slots busy over the last scrape interval.",
  ),
  up: family(
    "meshsim_instance_up",
    "gauge",
    "",
    "1 while the instance runs, 0 while it is dead or failed.",
  ),
  liveInstances: family(
    "meshsim_service_live_instances",
    "gauge",
    "",
    "Instances of the service that are running.",
  ),
  breakersOpen: family(
    "meshsim_proxy_breakers_open",
    "gauge",
    "",
    "Caller proxies whose circuit breaker to the target is OPEN.",
  ),
  breakersHalfOpen: family(
    "meshsim_proxy_breakers_half_open",
    "gauge",
    "",
    "Caller proxies whose circuit breaker to the target is HALF_OPEN.",
  ),
  ejectedHosts: family(
    "meshsim_proxy_ejected_hosts",
    "gauge",
    "",
    "Target instances ejected by outlier detection, summed over the caller's proxies.",
  ),
  endpointsStale: family(
    "meshsim_proxy_endpoints_stale",
    "gauge",
    "",
    "Dead or unready target instances still in the caller's proxies' registry views, summed over the proxies.",
  ),
  endpointsUnknown: family(
    "meshsim_proxy_endpoints_unknown",
    "gauge",
    "",
    "Live, ready target instances missing from the caller's proxies' registry views, summed over the proxies.",
  ),
} as const;

/** One counter family per proxy event (tries, retries, timeouts, ...), e.g. meshsim_proxy_breaker_rejections. */
export const proxyEventFamilies: readonly Family[] = PROXY_EVENT_CODES.map((code) => {
  const event = PROXY_EVENT_NAMES[code];
  return family(
    `meshsim_proxy_${snakeCase(event)}`,
    "counter",
    "",
    `Caller proxies' ${event} on the edge (Envoy upstream_rq_* counters).`,
  );
});

/** The quantiles of the latency-window gauges. */
export const WINDOW_QUANTILES = [0.5, 0.9, 0.99] as const;

function snakeCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
