// Helpers for tracing tests: a scenario with a tracing section, a result without its tracing
// field, and the OTLP/JSON shape checker (every rule the tests hold traces.otlp.json to).

import type { OtlpTraces } from "../../src/report/exports/otlp.ts";
import type { RunResult } from "../../src/result/run.ts";
import { resultJson } from "../../src/run/files.ts";
import type { Scenario, TracingSpec } from "../../src/scenario/types.ts";

export const EPOCH_MS = Date.UTC(2026, 0, 1);

/** Every trace kept: the head sampler keeps all and the cap is out of reach. */
export const TRACE_EVERYTHING: TracingSpec = {
  sampler: "always_on",
  ratio: 1,
  keepErrors: true,
  keepSlowerThanMs: null,
  epochMs: EPOCH_MS,
  maxTraces: 10_000_000,
};

export function withTracing(scenario: Scenario, tracing: Partial<TracingSpec> | null): Scenario {
  return { ...scenario, tracing: tracing === null ? null : { ...TRACE_EVERYTHING, ...tracing } };
}

/** The result's JSON with the tracing field left out: what must not change when tracing is turned on. */
export function withoutTracing(result: RunResult): string {
  const { tracing: _tracing, ...rest } = result;
  return resultJson(rest as RunResult);
}

/** One span of an OTLP export with its resource's service and instance, and its attributes as a map. */
export interface FlatSpan {
  service: string;
  instance: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: number;
  start: bigint;
  end: bigint;
  status: { code: number; message?: string };
  attributes: Record<string, string | boolean>;
}

export function flatSpans(otlp: OtlpTraces): FlatSpan[] {
  const out: FlatSpan[] = [];
  for (const rs of otlp.resourceSpans) {
    const resource = Object.fromEntries(
      rs.resource.attributes.map((a) => [a.key, Object.values(a.value)[0]]),
    );
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        out.push({
          service: String(resource["service.name"]),
          instance: String(resource["service.instance.id"]),
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId,
          name: s.name,
          kind: s.kind,
          start: BigInt(s.startTimeUnixNano),
          end: BigInt(s.endTimeUnixNano),
          status: s.status,
          attributes: Object.fromEntries(
            s.attributes.map((a) => [a.key, Object.values(a.value)[0] as string | boolean]),
          ),
        });
      }
    }
  }
  return out;
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const DIGITS = /^(0|[1-9][0-9]*)$/;

/**
 * Every way `value` (parsed traces.otlp.json) breaks the OTLP/JSON shape or meshsim's trace rules:
 * ids of the right length, hex and not all zero; times as strings of digits, end >= start; every
 * parent in its trace; one root per trace, a load client's; server spans under the client span of
 * the try sent to their instance, client spans under a server span (or the root) of the instance
 * (or load client) whose sidecar sent them; children start within their parent and end within
 * it unless the parent ended without an answer (timeout, reset, cancelled: the child may run on)
 * or the child is a try of a hedged call (a losing copy the caller did not cancel may outlive it).
 */
export function otlpViolations(value: unknown): string[] {
  const problems: string[] = [];
  const otlp = value as OtlpTraces;
  if (!Array.isArray(otlp?.resourceSpans)) return ["resourceSpans is not a list"];
  for (const [i, rs] of otlp.resourceSpans.entries()) {
    const keys = (rs.resource?.attributes ?? []).map((a) => a.key);
    if (!keys.includes("service.name") || !keys.includes("service.instance.id"))
      problems.push(`resourceSpans[${i}] lacks service.name or service.instance.id`);
    if (
      !Array.isArray(rs.scopeSpans) ||
      rs.scopeSpans.some((ss) => ss.scope?.name !== "meshsim" || !Array.isArray(ss.spans))
    ) {
      problems.push(
        `resourceSpans[${i}].scopeSpans is not [{ scope: { name: "meshsim" }, spans: [...] }]`,
      );
    }
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const where = `span ${s.spanId} of trace ${s.traceId}`;
        if (!HEX32.test(s.traceId) || /^0+$/.test(s.traceId))
          problems.push(`${where}: bad traceId`);
        if (!HEX16.test(s.spanId) || /^0+$/.test(s.spanId)) problems.push(`${where}: bad spanId`);
        if (
          s.parentSpanId !== undefined &&
          (!HEX16.test(s.parentSpanId) || /^0+$/.test(s.parentSpanId))
        )
          problems.push(`${where}: bad parentSpanId`);
        if (typeof s.startTimeUnixNano !== "string" || !DIGITS.test(s.startTimeUnixNano))
          problems.push(`${where}: startTimeUnixNano is not a string of digits`);
        if (typeof s.endTimeUnixNano !== "string" || !DIGITS.test(s.endTimeUnixNano))
          problems.push(`${where}: endTimeUnixNano is not a string of digits`);
        if (s.kind !== 2 && s.kind !== 3)
          problems.push(`${where}: kind ${s.kind} is neither SERVER (2) nor CLIENT (3)`);
        if (typeof s.name !== "string" || s.name === "") problems.push(`${where}: no name`);
        if (
          !(s.status?.code === 0 || (s.status?.code === 2 && typeof s.status.message === "string"))
        )
          problems.push(`${where}: bad status`);
        for (const a of s.attributes ?? []) {
          const kinds = Object.keys(a.value ?? {});
          const v = Object.values(a.value ?? {})[0];
          const ok =
            kinds.length === 1 &&
            ((kinds[0] === "stringValue" && typeof v === "string") ||
              (kinds[0] === "intValue" && typeof v === "string" && DIGITS.test(v)));
          if (!ok)
            problems.push(
              `${where}: attribute ${a.key} is not { stringValue } or { intValue: "digits" }`,
            );
        }
      }
    }
  }
  if (problems.length > 0) return problems;
  const spans = flatSpans(otlp);
  const byId = new Map<string, FlatSpan>();
  for (const s of spans) {
    const key = `${s.traceId}/${s.spanId}`;
    if (byId.has(key)) problems.push(`span ${key} appears twice`);
    byId.set(key, s);
    if (s.end < s.start) problems.push(`span ${key} ends before it starts`);
  }
  const roots = new Map<string, number>();
  const hedged = new Set<string>();
  for (const s of spans)
    if (s.attributes["meshsim.try"] === "hedge")
      hedged.add(`${s.traceId}/${s.parentSpanId}/${s.name}`);
  for (const s of spans) {
    const key = `${s.traceId}/${s.spanId}`;
    if (s.parentSpanId === undefined) {
      roots.set(s.traceId, (roots.get(s.traceId) ?? 0) + 1);
      if (s.kind !== 3 || !s.service.startsWith("load:"))
        problems.push(`root ${key} is not a load client's client span`);
      continue;
    }
    const parent = byId.get(`${s.traceId}/${s.parentSpanId}`);
    if (parent === undefined) {
      problems.push(`span ${key}: parent ${s.parentSpanId} is not in its trace`);
      continue;
    }
    if (s.kind === 2 && parent.kind !== 3)
      problems.push(`server span ${key} is not under a client span`);
    if (s.kind === 3 && parent.kind !== 2 && parent.parentSpanId !== undefined)
      problems.push(`client span ${key} is under a client span that is not the root`);
    if (s.kind === 3 && (s.service !== parent.service || s.instance !== parent.instance))
      problems.push(
        `client span ${key} is not emitted where its parent is (${s.instance} under ${parent.instance})`,
      );
    if (s.kind === 2 && s.instance !== parent.attributes["server.address"])
      problems.push(
        `server span ${key} at ${s.instance} is under a try sent to ${parent.attributes["server.address"]}`,
      );
    if (s.start < parent.start) problems.push(`span ${key} starts before its parent`);
    const mayOutlive =
      parent.attributes["meshsim.outcome"] !== undefined ||
      hedged.has(`${s.traceId}/${s.parentSpanId}/${s.name}`);
    if (s.end > parent.end && !mayOutlive)
      problems.push(`span ${key} ends after its parent, which answered`);
  }
  for (const s of spans) if (!roots.has(s.traceId)) problems.push(`trace ${s.traceId} has no root`);
  for (const [trace, count] of roots)
    if (count !== 1) problems.push(`trace ${trace} has ${count} roots`);
  return [...new Set(problems)];
}
