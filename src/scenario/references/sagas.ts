// Saga steps: every `compensate:` names an operation that exists (the rest of a saga's rules,
// which need the typed file, are convert/sagas.ts's).
import type { Finding, PathSegment } from "../path.ts";
import { type Catalog, entriesOf, fieldOf, itemsOf, missingOperation } from "./raw.ts";

export function checkCompensations(raw: unknown, catalog: Catalog): Finding[] {
  const findings: Finding[] = [];
  const visit = (steps: unknown, path: PathSegment[]): void => {
    itemsOf(steps).forEach((step, index) => {
      const missing = missingOperation(fieldOf(step, "compensate"), catalog);
      if (missing !== null)
        findings.push({ path: [...path, index, "compensate"], at: "value", message: missing });
      visit(fieldOf(step, "parallel"), [...path, index, "parallel"]);
    });
  };
  for (const [service, spec] of entriesOf(fieldOf(raw, "services")))
    for (const [operation, op] of entriesOf(fieldOf(spec, "operations")))
      visit(fieldOf(op, "calls"), ["services", service, "operations", operation, "calls"]);
  return findings;
}
