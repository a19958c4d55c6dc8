// Whether a path that `--vary` or `--variant` puts a value at names something of this file: each
// key must be a field the format has (read off the JSON Schema generated from the zod schema), and
// each name that defines a service, version or operation, and each list index, must exist in the
// file, so a typo never creates a new service or load entry. Names that refer to things (the
// services of mesh.services) may be new: the loader checks them. The value itself is validated
// later, by parsing the file with the value in place.
import { type PathSegment, renderPath } from "./path.ts";
import { scenarioJsonSchema } from "./schema/jsonSchema.ts";

type SchemaNode = Record<string, unknown>;

/** The named maps whose entries define things, so setting a path under a new entry is a typo. */
const DEFINING_MAPS = [
  /^services$/,
  /^services\.[^.]+\.versions$/,
  /^services\.[^.]+\.operations$/,
];

let cached: SchemaNode | null = null;
function schema(): SchemaNode {
  cached ??= scenarioJsonSchema();
  return cached;
}

interface Miss {
  /** How many segments were accepted before this one failed. */
  depth: number;
  message: string;
}

/** Null when `path` names a place in `document` (the file as plain data), else what is wrong. */
export function overridePathProblem(
  document: unknown,
  path: readonly PathSegment[],
): string | null {
  if (path[0] === "compare" || path[0] === "sweep")
    return `${renderPath(path)} is part of the experiment's own settings, not of the scenario`;
  const root = schema();
  const miss = walk(root, document, path, 0, (root.$defs ?? {}) as Record<string, SchemaNode>);
  return miss === null ? null : miss.message;
}

function walk(
  node: SchemaNode,
  value: unknown,
  path: readonly PathSegment[],
  depth: number,
  defs: Record<string, SchemaNode>,
): Miss | null {
  if (depth === path.length) return null;
  if (typeof node.$ref === "string") {
    const target = defs[node.$ref.replace(/^#\/\$defs\//, "")];
    return target === undefined ? null : walk(target, value, path, depth, defs);
  }
  const branches = [node.anyOf, node.oneOf, node.allOf].find(Array.isArray) as
    | SchemaNode[]
    | undefined;
  if (branches !== undefined) return firstFit(branches, value, path, depth, defs);
  const here = renderPath(path.slice(0, depth)) || "the file";
  const segment = path[depth];
  const miss = (message: string): Miss => ({ depth, message });
  if (typeof segment === "number") {
    if (typeof node.items !== "object" || node.items === null)
      return miss(`${here} is not a list, so ${renderPath(path)} names nothing`);
    if (!Array.isArray(value))
      return miss(`${here} is not in the file, so it has no entry [${segment}]`);
    if (segment >= value.length)
      return miss(
        `${here} has ${value.length} ${value.length === 1 ? "entry" : "entries"}, so [${segment}] names none`,
      );
    return walk(node.items as SchemaNode, value[segment], path, depth + 1, defs);
  }
  const properties = (node.properties ?? {}) as Record<string, SchemaNode>;
  const child = isRecord(value) ? value[segment] : undefined;
  if (Object.hasOwn(properties, segment))
    return walk(properties[segment], child, path, depth + 1, defs);
  const named = node.additionalProperties;
  if (typeof named === "object" && named !== null) {
    const defining = DEFINING_MAPS.some((pattern) => pattern.test(path.slice(0, depth).join(".")));
    if (defining && (!isRecord(value) || !Object.hasOwn(value, segment))) {
      const names = isRecord(value) ? Object.keys(value) : [];
      const known = names.length === 0 ? "none" : names.join(", ");
      return miss(`${here} has no entry ${JSON.stringify(segment)} in the file (it has: ${known})`);
    }
    return walk(named as SchemaNode, child, path, depth + 1, defs);
  }
  const keys = Object.keys(properties);
  if (keys.length === 0)
    return miss(`${here} is a single value, so ${renderPath(path)} names nothing`);
  return miss(
    `${here} has no field ${JSON.stringify(segment)} (expected one of: ${keys.join(", ")})`,
  );
}

/** The branch that accepts the path, or the miss of the branch that got furthest. */
function firstFit(
  branches: readonly SchemaNode[],
  value: unknown,
  path: readonly PathSegment[],
  depth: number,
  defs: Record<string, SchemaNode>,
): Miss | null {
  let best: Miss | null = null;
  for (const branch of branches) {
    const miss = walk(branch, value, path, depth, defs);
    if (miss === null) return null;
    if (best === null || miss.depth > best.depth) best = miss;
  }
  return best;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether the field at `path` takes a number (any number or integer, not only a constant such as
 * a duration's bare 0), read off the schema alone; null when it does, else what it takes. For
 * `meshsim capacity`, whose --vary ranges only make sense on numeric fields.
 */
export function numericPathProblem(path: readonly PathSegment[]): string | null {
  const root = schema();
  const defs = (root.$defs ?? {}) as Record<string, SchemaNode>;
  const leaves: SchemaNode[] = [];
  collectLeaves(root, path, 0, defs, leaves);
  const numeric = leaves.some(
    (leaf) =>
      (leaf.type === "number" || leaf.type === "integer") &&
      leaf.const === undefined &&
      leaf.enum === undefined,
  );
  if (numeric) return null;
  const constants = leaves.flatMap((l) => (l.const === undefined ? [] : [JSON.stringify(l.const)]));
  const kinds = leaves.filter((l) => l.const === undefined).map(describeLeaf);
  if (constants.length > 0)
    kinds.push(`${constants.length === 1 ? "only " : "one of "}${constants.join(", ")}`);
  const takes = [...new Set(kinds)].join(" or ") || "no value";
  return `${renderPath(path)} is not a numeric field (it takes ${takes})`;
}

function collectLeaves(
  node: SchemaNode,
  path: readonly PathSegment[],
  depth: number,
  defs: Record<string, SchemaNode>,
  out: SchemaNode[],
): void {
  if (typeof node.$ref === "string") {
    const target = defs[node.$ref.replace(/^#\/\$defs\//, "")];
    if (target !== undefined) collectLeaves(target, path, depth, defs, out);
    return;
  }
  const branches = [node.anyOf, node.oneOf, node.allOf].find(Array.isArray) as
    | SchemaNode[]
    | undefined;
  if (branches !== undefined) {
    for (const branch of branches) collectLeaves(branch, path, depth, defs, out);
    return;
  }
  if (depth === path.length) {
    out.push(node);
    return;
  }
  const segment = path[depth];
  if (typeof segment === "number") {
    if (typeof node.items === "object" && node.items !== null)
      collectLeaves(node.items as SchemaNode, path, depth + 1, defs, out);
    return;
  }
  const properties = (node.properties ?? {}) as Record<string, SchemaNode>;
  if (Object.hasOwn(properties, segment)) {
    collectLeaves(properties[segment], path, depth + 1, defs, out);
    return;
  }
  const named = node.additionalProperties;
  if (typeof named === "object" && named !== null)
    collectLeaves(named as SchemaNode, path, depth + 1, defs, out);
}

function describeLeaf(leaf: SchemaNode): string {
  if (Array.isArray(leaf.enum))
    return `one of ${leaf.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if (leaf.type === "string") return "text";
  if (leaf.type === "object") return "an object";
  if (leaf.type === "array") return "a list";
  return typeof leaf.type === "string" ? leaf.type : "a value of another kind";
}
