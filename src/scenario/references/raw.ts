// Reading the raw document (before or despite the schema) without trusting its shape: the
// reference checks run even when pass 1 failed, so they see a field only when it has the type
// they need and leave the rest to the schema's messages.
import type { Finding, PathSegment } from "../path.ts";
import { OPERATION_REF_PATTERN } from "../schema/patterns.ts";

export function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return !(value instanceof Uint8Array || value instanceof Set || value instanceof Map);
}

export function entriesOf(value: unknown): [string, unknown][] {
  return isPlainMap(value) ? Object.entries(value) : [];
}

export function itemsOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function fieldOf(value: unknown, key: string): unknown {
  return isPlainMap(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** zod's records skip a `__proto__` key without a word (it guards the objects it builds). */
export function noProto(map: unknown, path: PathSegment[], what: string): Finding[] {
  if (!isPlainMap(map) || !Object.hasOwn(map, "__proto__")) return [];
  return [{ path: [...path, "__proto__"], at: "key", message: `\`__proto__\` cannot be ${what}` }];
}

/** Names for a message, sorted so the text does not depend on how the map was built. */
export function list(names: Iterable<string>): string {
  const all = [...names].sort();
  return all.length === 0 ? "(none)" : all.join(", ");
}

/** Service name → its operation names, or null when the service is too broken to tell. */
export type Catalog = Map<string, Set<string> | null>;

export function catalogOf(raw: unknown): Catalog {
  const catalog: Catalog = new Map();
  for (const [service, spec] of entriesOf(fieldOf(raw, "services"))) {
    const operations = fieldOf(spec, "operations");
    catalog.set(service, isPlainMap(operations) ? new Set(Object.keys(operations)) : null);
  }
  return catalog;
}

/** Why `text` names no operation, or null when it does (or pass 1 reports it already). */
export function missingOperation(text: unknown, catalog: Catalog): string | null {
  const match = typeof text === "string" ? OPERATION_REF_PATTERN.exec(text) : null;
  if (match === null) return null;
  const [, service, operation] = match;
  if (!catalog.has(service))
    return `there is no service \`${service}\`; services are: ${list(catalog.keys())}`;
  const operations = catalog.get(service);
  if (operations === null || operations === undefined || operations.has(operation)) return null;
  return `service \`${service}\` has no operation \`${operation}\`; its operations are: ${list(operations)}`;
}
