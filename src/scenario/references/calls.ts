// Call graphs: every `call` names an operation that exists, and calls never form a cycle (a
// request on a cycle would never finish). One finding per distinct cycle, at the call closing it.
import type { Finding, PathSegment } from "../path.ts";
import { OPERATION_REF_PATTERN } from "../schema/patterns.ts";
import { type Catalog, entriesOf, fieldOf, itemsOf, missingOperation, noProto } from "./raw.ts";

interface CallEdge {
  to: string;
  path: PathSegment[];
}

export function checkCalls(raw: unknown, catalog: Catalog): Finding[] {
  const findings: Finding[] = [];
  const edges = new Map<string, CallEdge[]>();
  const visitSteps = (from: string, steps: unknown, path: PathSegment[]): void => {
    itemsOf(steps).forEach((step, index) => {
      const call = fieldOf(step, "call");
      const callPath = [...path, index, "call"];
      const missing = missingOperation(call, catalog);
      if (missing !== null) findings.push({ path: callPath, at: "value", message: missing });
      else if (typeof call === "string" && OPERATION_REF_PATTERN.test(call))
        edges.get(from)?.push({ to: call, path: callPath });
      visitSteps(from, fieldOf(step, "parallel"), [...path, index, "parallel"]);
    });
  };
  const services = entriesOf(fieldOf(raw, "services"));
  for (const [service, spec] of services) {
    const path = ["services", service, "operations"];
    findings.push(...noProto(fieldOf(spec, "operations"), path, "an operation name"));
    for (const [operation] of entriesOf(fieldOf(spec, "operations")))
      edges.set(`${service}.${operation}`, []);
  }
  for (const [service, spec] of services) {
    for (const [operation, op] of entriesOf(fieldOf(spec, "operations"))) {
      const path = ["services", service, "operations", operation, "calls"];
      visitSteps(`${service}.${operation}`, fieldOf(op, "calls"), path);
    }
  }
  findings.push(...findCycles(edges));
  return findings;
}

/** One finding per distinct cycle, at the call that closes it: "a.x → b.y → a.x". */
function findCycles(edges: Map<string, CallEdge[]>): Finding[] {
  const findings: Finding[] = [];
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (node: string): void => {
    state.set(node, "active");
    stack.push(node);
    for (const edge of edges.get(node) ?? []) {
      const seen = state.get(edge.to);
      if (seen === undefined) {
        visit(edge.to);
      } else if (seen === "active") {
        const cycle = stack.slice(stack.indexOf(edge.to));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)].join(" ");
        if (!reported.has(canonical)) {
          reported.add(canonical);
          const shown = [...cycle, edge.to].join(" → ");
          findings.push({
            path: edge.path,
            at: "value",
            message: `calls form a cycle: ${shown}; a request would never finish`,
          });
        }
      }
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return findings;
}
