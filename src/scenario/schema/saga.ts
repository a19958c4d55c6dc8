// The `saga` field of an operation: its call graph runs as an orchestrated saga (steps name their
// compensation with `compensate:`), with a timeout and the retry policy of its compensations
// (Envoy's jittered exponential back-off, or `none`: retry at once, the compensation storm).
// Built when a file has this section (deferred.ts), so other files never pay for it.
import { z } from "zod";
import { ENVOY_RETRY_BACKOFF } from "../defaults.ts";
import { LIMITS } from "../limits.ts";
import { deferred } from "./deferred.ts";
import { boundedInteger, duration, expecting, fields, written } from "./leaves.ts";

const backoff = deferred(() =>
  fields("a compensation back-off", {
    base: duration("positive")
      .prefault(written(ENVOY_RETRY_BACKOFF.baseMs))
      .describe("Retry n waits U[0, min((2^n − 1)·base, max)) (Envoy's jittered back-off)."),
    max: duration("positive").optional().describe("The cap on the wait; default 10 × base."),
  }),
);

export const compensationSchema = deferred(() =>
  fields("a compensation policy", {
    attempts: boundedInteger(1, LIMITS.compensationAttempts, "an integer ≥ 1")
      .default(1)
      .describe("Tries of each compensation, the first included."),
    backoff: z
      .union([z.literal("none"), backoff], {
        error: expecting("none or a back-off { base, max }"),
      })
      .prefault({})
      .describe("The wait between tries; none retries at once (the compensation storm)."),
  }),
);

export const sagaSchema = deferred(() =>
  fields("a saga", {
    timeout: duration("positive").describe(
      "After this long a saga that has not ended is timed out: it stops and compensates.",
    ),
    compensateFailed: z
      .boolean({ error: expecting("true or false") })
      .default(false)
      .describe(
        "Also compensate the step that failed (Temporal's pattern: a failed call may have done its work); false: only completed steps.",
      ),
    compensation: compensationSchema
      .prefault({})
      .describe("How each compensation is retried when it fails."),
  }),
);
