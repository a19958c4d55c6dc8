// A fast look at scenario text before it is parsed: how many lines and commas it has (a bound
// on its items) and how deeply it nests (block indentation, `- ` entries and flow brackets), so a
// runaway or hostile document (a 10^5-deep list, a million-item list) is refused in milliseconds
// instead of after a long parse or a stack overflow. An estimate on the safe side: brackets inside
// quotes and block scalars are skipped, plain scalars holding brackets may count a level too many.
import { type Limit, TEXT_LIMITS } from "./limits.ts";

export interface ShapeProblem {
  /** 1-based line where the limit was passed. */
  line: number;
  limit: Limit;
  found: number;
  what: string;
}

/** The first limit `text` passes, or null. */
export function checkTextShape(text: string): ShapeProblem | null {
  const items = countItems(text);
  if (items > TEXT_LIMITS.items.max) {
    return { line: 1, limit: TEXT_LIMITS.items, found: items, what: "count of lines and commas" };
  }
  return deepestLine(text);
}

function countItems(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 44) n++;
  }
  return n;
}

const BLOCK_SCALAR = /:\s*[|>][-+0-9]*\s*(#.*)?$|^\s*-\s+[|>][-+0-9]*\s*(#.*)?$/;

function deepestLine(text: string): ShapeProblem | null {
  const indents: number[] = [];
  let flow = 0;
  let scalarIndent = -1;
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const indent = line.length - line.trimStart().length;
    const body = line.slice(indent);
    if (body === "" || body.startsWith("#")) continue;
    if (scalarIndent >= 0 && indent > scalarIndent) continue;
    scalarIndent = -1;
    let depth = flow;
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      depth = indents.length + leadingDashes(body);
    }
    const { deepest, after } = flowDepth(body, flow);
    flow = after;
    depth = Math.max(depth, (flow === 0 ? indents.length : 0) + deepest);
    if (depth > TEXT_LIMITS.depth.max) {
      return { line: n + 1, limit: TEXT_LIMITS.depth, found: depth, what: "nesting" };
    }
    if (BLOCK_SCALAR.test(line)) scalarIndent = indent;
  }
  return null;
}

function leadingDashes(body: string): number {
  let count = 0;
  let i = 0;
  while (body.startsWith("- ", i) || (i === body.length - 1 && body[i] === "-")) {
    count++;
    i += 2;
    while (body[i] === " ") i++;
  }
  return count;
}

/** Flow brackets on one line, outside quotes and comments: the deepest level and the level after. */
function flowDepth(body: string, start: number): { deepest: number; after: number } {
  let level = start;
  let deepest = start;
  let quote = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote !== "") {
      if (c === quote) quote = "";
      else if (c === "\\" && quote === '"') i++;
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || " [{,:".includes(body[i - 1]))) quote = c;
    else if (c === "#" && (i === 0 || body[i - 1] === " ")) break;
    else if (c === "[" || c === "{") deepest = Math.max(deepest, ++level);
    else if ((c === "]" || c === "}") && level > 0) level--;
  }
  return { deepest, after: level };
}
