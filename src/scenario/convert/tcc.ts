// The operations' `tcc` fields → TccSpecs (transactions/tcc/). A TCC operation's participants are
// its call graph, so it may not declare `calls` (nor be a saga too); every participant operation
// must exist (checked here, on the typed file: the reference pass knows only `call` steps).
import type { TccSpec } from "../../transactions/tcc/spec.ts";
import { ENVOY_RETRY_BACKOFF } from "../defaults.ts";
import type { ScenarioFile } from "../schema/scenario.ts";
import type { Conversion } from "./context.ts";

export function tccOf(file: ScenarioFile, cx: Conversion): TccSpec[] {
  const specs: TccSpec[] = [];
  for (const [service, raw] of cx.ordered(file.services, ["services"])) {
    const path = ["services", service, "operations"];
    for (const [operation, op] of cx.ordered(raw.operations, path)) {
      const tcc = op.tcc;
      if (tcc === undefined) continue;
      const at = [...path, operation];
      if (op.calls.length > 0)
        cx.findings.push({
          path: [...at, "calls"],
          at: "key",
          message: "a TCC operation calls its participants only; expected no `calls` beside `tcc`",
        });
      if (op.saga !== undefined)
        cx.findings.push({
          path: [...at, "saga"],
          at: "key",
          message: "an operation is a saga or a TCC transaction, not both",
        });
      tcc.participants.forEach((p, i) => {
        for (const phase of ["try", "confirm", "cancel"] as const) {
          const ref = p[phase];
          const dot = ref.indexOf(".");
          const target = file.services[ref.slice(0, dot)]?.operations[ref.slice(dot + 1)];
          if (target === undefined)
            cx.findings.push({
              path: [...at, "tcc", "participants", i, phase],
              at: "value",
              message: `names ${ref}, which is not an operation of this scenario`,
            });
        }
      });
      const backoff = tcc.retry.backoff;
      specs.push({
        service,
        operation,
        timeoutMs: tcc.timeout,
        participants: tcc.participants.map((p) => ({ ...p })),
        safeguards: { ...tcc.safeguards },
        retry: {
          attempts: tcc.retry.attempts,
          backoff:
            backoff === "none"
              ? null
              : {
                  baseMs: backoff.base,
                  maxMs: backoff.max ?? ENVOY_RETRY_BACKOFF.maxPerBase * backoff.base,
                },
        },
      });
    }
  }
  return specs;
}
