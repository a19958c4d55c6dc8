// Paths of a scenario document mapped back to the text: where a finding's key or value starts
// (else the nearest enclosing node that exists), and a map's entries in the order the file writes
// them. Reads the yaml package's document nodes; knows nothing of the scenario's fields.
import type { Document } from "yaml";
import { isAlias, isMap, isNode, isScalar, isSeq } from "yaml";
import type { PathSegment } from "./path.ts";

/** A map key as the yaml package names it in a plain JS object (null → "", numbers → String). */
function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  return key.value === null ? "" : typeof key.value === "object" ? undefined : String(key.value);
}

function startOf(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}

interface Walk {
  /** The node at the whole path, or undefined when the path leaves the document. */
  node: unknown;
  /** The key node of the last map step taken on a whole path. */
  key: unknown;
  /** Offset of the deepest key or list item reached: where to point when the path runs out. */
  anchor: number | undefined;
}

function walk(doc: Document, path: readonly PathSegment[]): Walk {
  let node: unknown = doc.contents;
  let key: unknown;
  let anchor = startOf(node);
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (pair === undefined) return { node: undefined, key: undefined, anchor };
      key = pair.key;
      node = pair.value;
      anchor = startOf(pair.key) ?? anchor;
    } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
      key = undefined;
      node = node.items[segment];
      anchor = startOf(node) ?? anchor;
    } else {
      return { node: undefined, key: undefined, anchor };
    }
  }
  return { node: isAlias(node) ? (node.resolve(doc) ?? node) : node, key, anchor };
}

/** Offset of the key or value at `path`, else of the nearest enclosing node that exists. */
export function locate(doc: Document, path: readonly PathSegment[], at: "key" | "value"): number {
  const found = walk(doc, path);
  const keyStart = startOf(found.key);
  if (at === "key" && keyStart !== undefined) return keyStart;
  // An empty value (`serviceTime:`) has a zero-width range just after the colon; the key reads better.
  const range = isScalar(found.node) ? found.node.range : undefined;
  const empty = range !== undefined && range !== null && range[0] === range[1];
  const valueStart = empty ? undefined : startOf(found.node);
  return valueStart ?? keyStart ?? found.anchor ?? 0;
}

/** The entries of `map` in the order their keys appear in the file (a JS object puts "1" before "a"). */
export function inFileOrder<T>(
  map: Record<string, T>,
  doc: Document,
  path: readonly PathSegment[],
): [string, T][] {
  const node = walk(doc, path).node;
  const rank = new Map<string, number>();
  if (isMap(node)) {
    node.items.forEach((pair, index) => {
      const key = keyText(pair.key);
      if (key !== undefined && !rank.has(key)) rank.set(key, index);
    });
  }
  return Object.entries(map)
    .map((entry, index) => ({ entry, rank: rank.get(entry[0]) ?? Infinity, index }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ entry }) => entry);
}
