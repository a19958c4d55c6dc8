// The operations' `effects` and `idempotency` fields → the TransactionsSpec (src/transactions/),
// or null when no operation declares either (such a run builds no ledger). An idempotency key
// that names an attribute must name one some load sets: otherwise every try would have no key.

import type {
  IdempotencySpec,
  OperationTransactionSpec,
  TransactionsSpec,
} from "../../transactions/spec.ts";
import type { ScenarioFile } from "../schema/scenario.ts";
import type { Conversion } from "./context.ts";
import { messagingOf } from "./messaging.ts";
import { sagasOf } from "./sagas.ts";
import { tccOf } from "./tcc.ts";

type RawOperation = ScenarioFile["services"][string]["operations"][string];

export function transactionsOf(file: ScenarioFile, cx: Conversion): TransactionsSpec | null {
  const attributes = new Set(file.load.flatMap((l) => Object.keys(l.attributes)));
  const operations: OperationTransactionSpec[] = [];
  for (const [service, raw] of cx.ordered(file.services, ["services"])) {
    const path = ["services", service, "operations"];
    for (const [operation, op] of cx.ordered(raw.operations, path)) {
      if (op.effects === undefined && op.idempotency === undefined) continue;
      operations.push({
        service,
        operation,
        effects: op.effects ?? [],
        idempotency: idempotencyOf(op, attributes, [...path, operation, "idempotency"], cx),
      });
    }
  }
  const sagas = sagasOf(file, cx);
  const tcc = tccOf(file, cx);
  const messaging = messagingOf(file, cx);
  if (operations.length === 0 && sagas.length === 0 && tcc.length === 0 && messaging === null)
    return null;
  return {
    operations,
    ...(sagas.length === 0 ? {} : { sagas }),
    ...(tcc.length === 0 ? {} : { tcc }),
    messaging,
  };
}

function idempotencyOf(
  op: RawOperation,
  attributes: Set<string>,
  path: string[],
  cx: Conversion,
): IdempotencySpec | null {
  const raw = op.idempotency;
  if (raw === undefined) return null;
  if (raw.key !== "request" && !attributes.has(raw.key)) {
    const known = [...attributes].sort();
    cx.findings.push({
      path: [...path, "key"],
      at: "value",
      message:
        `names attribute ${JSON.stringify(raw.key)}, which no load sets; expected \`request\`` +
        (known.length > 0 ? ` or one of: ${known.join(", ")}` : " (no load sets attributes)"),
    });
  }
  return {
    key: raw.key === "request" ? { kind: "request" } : { kind: "attribute", name: raw.key },
    scope: raw.scope,
    retentionMs: raw.retention,
    concurrent: raw.concurrent,
  };
}
