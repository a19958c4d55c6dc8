// The run result's `tracing` (sampling counts and the critical-path breakdown) and the kept traces
// as the OTLP writer reads them: the shapes observe/tracing/ produces, so report/ needs nothing of
// the tracer itself. Also the vocabulary both sides share: OTel's sampler names, OTLP's SpanKind
// values, the hex form of span ids, and the default epoch that simulated time 0 stands for in
// exported files.

/**
 * OTel's OTEL_TRACES_SAMPLER names; every trace starts at a load client, so parentbased_* act as
 * their root sampler.
 */
export type TracingSampler =
  | "always_on"
  | "always_off"
  | "traceidratio"
  | "parentbased_always_on"
  | "parentbased_always_off"
  | "parentbased_traceidratio";

/**
 * RFC 3339 instant of simulated time 0 when the scenario names none (`tracing.epoch`'s default):
 * OTLP span times and OpenMetrics timestamps count from it, so both exports share a time axis.
 */
export const DEFAULT_TRACING_EPOCH = "2026-01-01T00:00:00Z";

/** What a run reports about its tracing (RunResult.tracing). */
export interface TracingResult {
  sampler: TracingSampler;
  ratio: number;
  keepErrors: boolean;
  keepSlowerThanMs: number | null;
  maxTraces: number;
  /** End-user requests that ended during the run: each one's trace was decided. */
  requests: number;
  /** Of those, traces the head sampler chose. */
  headSampled: number;
  /** Of those, traces tail sampling kept that the head sampler had not chosen (errored or slow). */
  tailSampled: number;
  /** Traces that qualified but did not fit under maxTraces. */
  overCap: number;
  /** Traces kept (written to traces.otlp.json), and their spans. */
  traces: number;
  spans: number;
  /**
   * Per load: each service's (and the network's) self time on the critical path of its completed
   * measured requests.
   */
  criticalPath: Record<string, LoadCriticalPath>;
}

/** One bucket's contribution to end-to-end latency over the requests recorded. */
export interface CriticalPathEntry {
  /**
   * Quantiles of its self time on the critical path per request (0 where it was not on the path).
   */
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /**
   * Its total self time on the path over the total end-to-end time: the shares of a load sum to 1.
   */
  share: number;
}

export interface LoadCriticalPath {
  /** Completed (successful) measured requests whose path was taken. */
  requests: number;
  /** Their mean end-to-end latency, which the buckets' meanMs add up to. */
  meanMs: number;
  services: Record<string, CriticalPathEntry>;
  /** Network legs and sidecars: time in client spans not covered by their server span. */
  network: CriticalPathEntry;
  /** The load client's own time: before its first try and between its tries (back-off). */
  client: CriticalPathEntry;
}

/** OTLP SpanKind values. */
export const SpanKind = { server: 2, client: 3 } as const;
export type SpanKindCode = (typeof SpanKind)[keyof typeof SpanKind];

/** What emits spans: an instance (with its sidecar) or a load client, as an OTel resource. */
export interface SpanResource {
  readonly serviceName: string;
  readonly instanceId: string;
  readonly zone: string | null;
}

/**
 * A kept span as the OTLP writer reads it (observe/tracing/span.ts's Span). Times are simulated ms.
 */
export interface ExportedSpan {
  /** From the run's span counter, 1, 2, 3, ... */
  readonly id: number;
  readonly parent: { readonly id: number } | null;
  readonly kind: SpanKindCode;
  readonly resource: SpanResource;
  /** The operation, e.g. order.create. */
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
  /** The HTTP status it ended with, or 0 (cancelled, or unanswered). */
  readonly status: number;
  readonly error: boolean;
  /** Which try of its logical call (0 = the first); 0 for server and root spans. */
  readonly attempt: number;
  readonly hedge: boolean;
  /** For a client span, the instance the try went to (null if it never left the proxy). */
  readonly peer: string | null;
  /** How it ended, as the `meshsim.outcome` attribute names it. */
  readonly outcome: string;
  /**
   * It ended with an answer from an instance (whatever its status), not a timeout, reset or
   * refusal.
   */
  readonly answered: boolean;
}

/** One kept trace: an end-user request's spans. */
export interface ExportedTrace {
  readonly requestId: number;
  /** The W3C trace id; `hex` is its 32 lowercase hex digits. */
  readonly id: { readonly hex: string };
  /** Every span of the trace in the order they were made (ascending ids). */
  spans(): readonly ExportedSpan[];
}

/** The kept traces, for the OTLP writer. */
export interface TraceExport {
  /** OTLP times are this unix epoch (ms) plus simulated time. */
  epochMs: number;
  /** In request order; spans in the order they started (ids ascending). */
  traces: readonly ExportedTrace[];
}

/**
 * A span id as OTLP/JSON writes it: ids are 1, 2, 3, ... per run, so 16 hex digits, never all zero.
 */
export function spanIdHex(id: number): string {
  return hex8(Math.floor(id / 2 ** 32) >>> 0) + hex8(id >>> 0);
}

function hex8(word: number): string {
  return (word >>> 0).toString(16).padStart(8, "0");
}
