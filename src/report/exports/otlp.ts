// Kept traces as OTLP/JSON: one ExportTraceServiceRequest (resourceSpans → scopeSpans → spans),
// written on one line, so an OpenTelemetry Collector's otlpjsonfile receiver reads the file as it
// is and `POST /v1/traces` (Content-Type: application/json) of an OTLP/HTTP endpoint accepts it.
// Follows the OTLP protobuf JSON mapping: hex trace and span ids, enum values as integers, 64-bit
// integers (times, intValue) as decimal strings. Times are the tracing epoch plus simulated time,
// in nanoseconds, so the bytes depend only on the scenario and seed. One resource per instance
// (service.name, service.instance.id, cloud.availability_zone) or load client. Attributes follow
// OTel's HTTP conventions (http.response.status_code; on a client span server.address, and
// http.request.resend_count on a retry or hedge, which meshsim.try tells apart); meshsim.outcome
// says how a span ended when it was not an answer (timeout, reset, connect-failure, overflow,
// breaker-open, no-healthy-upstream, rate-limited, no-route, cancelled, unfinished).
import {
  type ExportedSpan,
  SpanKind,
  type SpanResource,
  spanIdHex,
  type TraceExport,
} from "../../result/tracing.ts";

export type OtlpValue = { stringValue: string } | { intValue: string } | { boolValue: boolean };
export interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status: { code: 0 | 2; message?: string };
}

export interface OtlpTraces {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

/** OTLP status codes. */
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;

export function renderOtlp(traces: TraceExport): string {
  return JSON.stringify(toOtlp(traces)) + "\n";
}

export function toOtlp(traces: TraceExport): OtlpTraces {
  const epochNs = BigInt(traces.epochMs) * 1_000_000n;
  const byResource = new Map<string, { resource: SpanResource; spans: OtlpSpan[] }>();
  for (const trace of traces.traces) {
    const traceId = trace.id.hex;
    for (const span of trace.spans()) {
      const key = `${span.resource.serviceName}\u0000${span.resource.instanceId}`;
      let group = byResource.get(key);
      if (group === undefined)
        byResource.set(key, (group = { resource: span.resource, spans: [] }));
      group.spans.push(otlpSpan(span, traceId, trace.requestId, epochNs));
    }
  }
  const groups = [...byResource.values()].sort(
    (a, b) =>
      compareText(a.resource.serviceName, b.resource.serviceName) ||
      compareText(a.resource.instanceId, b.resource.instanceId),
  );
  return {
    resourceSpans: groups.map(({ resource, spans }) => ({
      resource: { attributes: resourceAttributes(resource) },
      scopeSpans: [{ scope: { name: "meshsim" }, spans }],
    })),
  };
}

function resourceAttributes(resource: SpanResource): OtlpAttribute[] {
  const attributes = [
    text("service.name", resource.serviceName),
    text("service.instance.id", resource.instanceId),
  ];
  if (resource.zone !== null) attributes.push(text("cloud.availability_zone", resource.zone));
  return attributes;
}

function otlpSpan(
  span: ExportedSpan,
  traceId: string,
  requestId: number,
  epochNs: bigint,
): OtlpSpan {
  const outcome = span.outcome;
  const attributes: OtlpAttribute[] = [];
  if (span.status !== 0) attributes.push(int("http.response.status_code", span.status));
  if (span.parent === null) attributes.push(int("meshsim.request_id", requestId));
  else if (span.kind === SpanKind.client) {
    if (span.attempt > 0) {
      attributes.push(int("http.request.resend_count", span.attempt));
      attributes.push(text("meshsim.try", span.hedge ? "hedge" : "retry"));
    }
    if (span.peer !== null) attributes.push(text("server.address", span.peer));
  }
  if (!span.answered) attributes.push(text("meshsim.outcome", outcome));
  if (span.error)
    attributes.push(text("error.type", span.answered ? String(span.status) : outcome));
  return {
    traceId,
    spanId: spanIdHex(span.id),
    ...(span.parent === null ? {} : { parentSpanId: spanIdHex(span.parent.id) }),
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: nanos(epochNs, span.startMs),
    endTimeUnixNano: nanos(epochNs, span.endMs),
    attributes,
    status: span.error
      ? { code: STATUS_ERROR, message: statusMessage(span, outcome) }
      : { code: STATUS_UNSET },
  };
}

function statusMessage(span: ExportedSpan, outcome: string): string {
  if (span.answered) return `HTTP ${span.status}`;
  return span.status !== 0 ? `HTTP ${span.status} (${outcome})` : outcome;
}

/** Unix nanoseconds as a decimal string: the epoch plus simulated ms, rounded to the nanosecond. */
function nanos(epochNs: bigint, ms: number): string {
  return (epochNs + BigInt(Math.round(ms * 1e6))).toString();
}

function text(key: string, value: string): OtlpAttribute {
  return { key, value: { stringValue: value } };
}

function int(key: string, value: number): OtlpAttribute {
  return { key, value: { intValue: String(value) } };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
