// The operations' `saga` fields and their steps' `compensate:` → SagaSpecs (transactions/saga/).
// A step of a saga that calls an operation whose effects change the order (charge, reserve,
// create) must name its compensation: otherwise a later failure would leave that change standing.
// A `compensate:` outside a saga is refused too: nothing would ever run it.

import type { SagaSpec } from "../../transactions/saga/spec.ts";
import { ENVOY_RETRY_BACKOFF } from "../defaults.ts";
import type { PathSegment } from "../path.ts";
import type { RawCallStep, ScenarioFile } from "../schema/scenario.ts";
import type { Conversion } from "./context.ts";

/** Effects a saga step must be able to undo. */
const FORWARD_KINDS = new Set(["charge", "reserve", "create"]);

export function sagasOf(file: ScenarioFile, cx: Conversion): SagaSpec[] {
  const sagas: SagaSpec[] = [];
  for (const [service, raw] of cx.ordered(file.services, ["services"])) {
    const path = ["services", service, "operations"];
    for (const [operation, op] of cx.ordered(raw.operations, path)) {
      const calls: PathSegment[] = [...path, operation, "calls"];
      const saga = op.saga;
      if (saga === undefined) {
        for (const [, at] of callSteps(op.calls, calls).filter(([s]) => s.compensate !== undefined))
          cx.findings.push({
            path: [...at, "compensate"],
            at: "key",
            message: `runs only in a saga: declare \`saga: { timeout: ... }\` on services.${service}.operations.${operation}`,
          });
        continue;
      }
      const compensations = callSteps(op.calls, calls).map(([step, at]) => {
        if (step.compensate === undefined) {
          const changes = forwardEffects(file, step.call!);
          if (changes.length > 0)
            cx.findings.push({
              path: [...at, "compensate"],
              at: "key",
              message: `is missing: this saga step calls ${step.call}, whose effects (${changes.join(", ")}) change the order; expected the operation that undoes it, e.g. compensate: service.operation`,
            });
        }
        return step.compensate ?? null;
      });
      const backoff = saga.compensation.backoff;
      sagas.push({
        service,
        operation,
        timeoutMs: saga.timeout,
        compensateFailed: saga.compensateFailed,
        retry: {
          attempts: saga.compensation.attempts,
          backoff:
            backoff === "none"
              ? null
              : {
                  baseMs: backoff.base,
                  maxMs: backoff.max ?? ENVOY_RETRY_BACKOFF.maxPerBase * backoff.base,
                },
        },
        compensations,
      });
    }
  }
  return sagas;
}

/** The call steps of a call graph with their paths, depth first in file order (as the model resolves them). */
function callSteps(
  steps: readonly RawCallStep[],
  path: PathSegment[],
  into: [RawCallStep, PathSegment[]][] = [],
): [RawCallStep, PathSegment[]][] {
  steps.forEach((step, i) => {
    if (step.call !== undefined) into.push([step, [...path, i]]);
    else if (step.parallel !== undefined) callSteps(step.parallel, [...path, i, "parallel"], into);
  });
  return into;
}

/** The order-changing effect kinds of the operation `ref` (service.operation), in file order. */
function forwardEffects(file: ScenarioFile, ref: string): string[] {
  const dot = ref.indexOf(".");
  const target = file.services[ref.slice(0, dot)]?.operations[ref.slice(dot + 1)];
  const kinds = (target?.effects ?? []).map((e) => e.kind).filter((k) => FORWARD_KINDS.has(k));
  return [...new Set(kinds)];
}
