// The `tracing:` section (optional; absent = tracing off): OpenTelemetry head sampling by trace id
// (the OTEL_TRACES_SAMPLER names and ratio), tail sampling of errored and slow traces, the cap on
// kept traces, and the fixed epoch OTLP times count from, so the exported file is deterministic.
// Shapes and values only; convert/sections.ts turns the epoch into unix milliseconds.
import { z } from "zod";
import { MAX_TRACES, TRACING, TRACING_EPOCH } from "../defaults.ts";
import { duration, errorMessage, expecting, fields, integer, probability } from "./leaves.ts";

export const TRACING_SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;

/** An RFC 3339 instant with a date, a time and an offset, e.g. 2026-01-01T00:00:00Z. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const EPOCH_WHAT = "an RFC 3339 instant such as 2026-01-01T00:00:00Z";

/** Days in a month of the proleptic Gregorian calendar (month 1..12; 0 outside that range). */
function daysInGregorianMonth(year: number, month: number): number {
  if (month < 1 || month > 12) return 0;
  if (month !== 2) return [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}

/** Unix milliseconds of an RFC 3339 instant, or an Error saying what is wrong. */
export function parseEpoch(text: string): number {
  if (!RFC3339.test(text)) throw new Error(`expected ${EPOCH_WHAT}, found ${JSON.stringify(text)}`);
  const [year, month, day] = text.slice(0, 10).split("-").map(Number);
  const daysInMonth = daysInGregorianMonth(year, month);
  const ms = Date.parse(text);
  // Date.parse rolls 2026-02-30 over into March; an epoch should say what it means.
  if (!Number.isFinite(ms) || month < 1 || month > 12 || day < 1 || day > daysInMonth) {
    throw new Error(`${JSON.stringify(text)} is not a real date and time`);
  }
  if (ms < 0)
    throw new Error(
      `the epoch must not be before 1970-01-01T00:00:00Z (OTLP times are unsigned), found ${JSON.stringify(text)}`,
    );
  return ms;
}

const epoch = z.string({ error: expecting(EPOCH_WHAT) }).superRefine((text, ctx) => {
  try {
    parseEpoch(text);
  } catch (error) {
    ctx.addIssue({ code: "custom", input: text, message: errorMessage(error) });
  }
});

export const tracingSchema = fields("tracing", {
  sampler: z
    .enum(TRACING_SAMPLERS, {
      error: expecting(`a sampler, one of ${TRACING_SAMPLERS.join(", ")}`),
    })
    .default(TRACING.sampler)
    .describe("OTel head sampler (OTEL_TRACES_SAMPLER names), decided from the trace id."),
  ratio: probability()
    .default(TRACING.ratio)
    .describe("TraceIdRatioBased ratio: the share of traces the head sampler keeps."),
  keepErrors: z
    .boolean({ error: expecting("true or false (keep every trace with an error span)") })
    .default(true)
    .describe("Tail sampling: keep every trace in which some span ended in error."),
  keepSlowerThan: duration("positive")
    .optional()
    .describe("Tail sampling: keep every trace whose request took longer than this."),
  epoch: epoch
    .default(TRACING_EPOCH)
    .describe("OTLP timestamps are this instant plus simulated time."),
  maxTraces: integer(0, "an integer ≥ 0")
    .default(MAX_TRACES)
    .describe("At most this many traces are kept: errored or slow ones first, then by trace id."),
});
