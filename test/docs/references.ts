// The docs-reference checker: finds what a Markdown page names (scenario fields, `meshsim` commands
// and options, repository files, links and anchors) and says which do not exist. It reads only
// code (inline spans, fenced blocks) and links, never prose, and only what has an unmistakable
// shape, so it does not flag words:
// - a field path is a code span like `mesh.defaults.retries.attempts`, `load[0].rate` or
//   `services.<name>.lifecycle` whose first segment is a top-level key of the scenario or of the run
//   result (or `result.`); it must resolve in the scenario's JSON Schema or in the RunResult type;
// - in a table whose first header is `field`, each first-column span must be such a path or a
//   field name that occurs somewhere in the schema or the result;
// - a ```yaml block whose top-level keys are all scenario keys has every key checked, by path;
// - `meshsim <command> ... --option` in a code span or a shell block must be a command and options
//   the commander program has; a span that is just `--option` must be an option of some command;
// - a path starting with a repository folder (`src/`, `test/`, `docs/`, `scenarios/`, ...) or
//   `../shared/` must exist (`<placeholders>` and `*` match any name; `reports/` holds generated
//   output, so only its README is checked); a link's file and `#anchor` must exist.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { parse as parseYaml } from "yaml";

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema nodes are untyped JSON
type Node = Record<string, any>;

/** What a name may be checked against. */
export interface Reference {
  root: string;
  schema: Node;
  /** The RunResult type as a tree of field names; `*` is any key, `[]` an array's items. */
  result: Tree;
  /** Every `meshsim` command and its long options (`--seed`, `--no-progress`, ...). */
  commands: Map<string, Set<string>>;
}

export interface Tree {
  [name: string]: Tree;
}

export interface Problem {
  page: string;
  line: number;
  what: "field" | "command" | "option" | "path" | "link";
  name: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Markdown: code spans (with their line and table position), fenced blocks, links, headings.

interface Span {
  text: string;
  line: number;
  /** The span sits in the first column of a table whose first header cell is `field`. */
  fieldColumn: boolean;
}

interface Fence {
  lang: string;
  body: string;
  line: number;
}

interface Link {
  target: string;
  line: number;
}

export interface ParsedPage {
  spans: Span[];
  fences: Fence[];
  links: Link[];
  anchors: Set<string>;
}

export function parsePage(text: string): ParsedPage {
  const spans: Span[] = [];
  const fences: Fence[] = [];
  const links: Link[] = [];
  const headings: string[] = [];
  const lines = text.split("\n");
  let fence: Fence | null = null;
  let fieldTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const opener = /^\s*```(\S*)/.exec(line);
    if (fence !== null) {
      if (/^\s*```\s*$/.test(line)) {
        fences.push(fence);
        fence = null;
      } else fence.body += `${line}\n`;
      continue;
    }
    if (opener !== null) {
      fence = { lang: opener[1], body: "", line: i + 2 };
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading !== null) headings.push(heading[1]);
    if (!line.startsWith("|")) fieldTable = false;
    else if (/^\|\s*field\s*\|/.test(line)) fieldTable = true;
    const firstCell = line.startsWith("|") ? line.indexOf("|", 1) : -1;
    for (const m of line.matchAll(/`([^`]+)`/g)) {
      spans.push({
        text: m[1],
        line: i + 1,
        fieldColumn: fieldTable && firstCell > 0 && (m.index ?? 0) < firstCell,
      });
    }
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) links.push({ target: m[1], line: i + 1 });
  }
  return { spans, fences, links, anchors: anchorsOf(headings) };
}

/** GitHub's heading anchors: lower case, only letters, digits, spaces, `-` and `_`, spaces to `-`, repeats numbered. */
function anchorsOf(headings: string[]): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const heading of headings) {
    const base = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

// ---------------------------------------------------------------------------------------------
// Scenario fields and result fields.

type Segment = { kind: "key"; name: string } | { kind: "any" } | { kind: "item" };

const PATH_SHAPE = /^[A-Za-z][A-Za-z0-9]*(?:\[\d*\]|\["[^"]*"\]|\.(?:<[^>]+>|\*|[A-Za-z0-9_-]+))+$/;
const FILE_LIKE = /\.(md|json|om|prom|ts|js|cjs|yaml|yml|html|png|grit|csv)$/;

function segmentsOf(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const m of path.matchAll(/\[(\d*)\]|\["([^"]*)"\]|<[^>]+>|\*|[A-Za-z0-9_-]+/g)) {
    if (m[0].startsWith("[")) {
      segments.push(m[2] !== undefined ? { kind: "key", name: m[2] } : { kind: "item" });
    } else if (m[0].startsWith("<") || m[0] === "*") segments.push({ kind: "any" });
    else segments.push({ kind: "key", name: m[0] });
  }
  return segments;
}

function schemaChildren(root: Node, node: Node, segment: Segment): Node[] {
  if (typeof node.$ref === "string") node = root.$defs[node.$ref.split("/").pop() as string];
  const out: Node[] = [];
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    for (const alternative of (node[key] as Node[] | undefined) ?? [])
      out.push(...schemaChildren(root, alternative, segment));
  }
  if (segment.kind === "item") {
    if (node.items !== undefined) out.push(node.items);
    return out;
  }
  if (segment.kind === "key" && node.properties?.[segment.name] !== undefined) {
    out.push(node.properties[segment.name]);
  } else if (typeof node.additionalProperties === "object") {
    out.push(node.additionalProperties);
  }
  return out;
}

function inSchema(root: Node, segments: Segment[]): boolean {
  let nodes: Node[] = [root];
  for (const segment of segments) {
    nodes = nodes.flatMap((n) => schemaChildren(root, n, segment));
    if (nodes.length === 0) return false;
  }
  return true;
}

function inTree(tree: Tree, segments: Segment[]): boolean {
  let node: Tree | undefined = tree;
  for (const segment of segments) {
    if (node === undefined) return false;
    if (segment.kind === "item") node = node["[]"];
    else if (segment.kind === "key") node = node[segment.name] ?? node["*"];
    else node = node["*"];
  }
  return node !== undefined;
}

/** Every property name anywhere in the schema or the result tree. */
function vocabulary(reference: Reference): Set<string> {
  const names = new Set<string>();
  const walkSchema = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walkSchema);
    else if (node !== null && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if (k === "properties") for (const name of Object.keys(v as object)) names.add(name);
        walkSchema(v);
      }
    }
  };
  walkSchema(reference.schema);
  const walkTree = (tree: Tree, seen: Set<Tree>): void => {
    if (seen.has(tree)) return;
    seen.add(tree);
    for (const [k, v] of Object.entries(tree)) {
      if (k !== "*" && k !== "[]") names.add(k);
      walkTree(v, seen);
    }
  };
  walkTree(reference.result, new Set());
  return names;
}

function fieldProblem(reference: Reference, path: string): string | null {
  const stripped = path.startsWith("result.") ? path.slice("result.".length) : path;
  const segments = segmentsOf(stripped);
  if (inSchema(reference.schema, segments) || inTree(reference.result, segments)) return null;
  return `\`${path}\` is neither a scenario field (scripts' JSON Schema) nor a run-result field (RunResult)`;
}

/** Whether a span is a field path this checker recognises (see the header). */
function isFieldPath(reference: Reference, text: string): boolean {
  if (!PATH_SHAPE.test(text) || FILE_LIKE.test(text)) return false;
  const first = /^[A-Za-z0-9]+/.exec(text)?.[0] ?? "";
  return (
    first === "result" ||
    reference.schema.properties[first] !== undefined ||
    reference.result[first] !== undefined
  );
}

/** `load.<name>.offered / completed / failed` → the path and its siblings. */
function expandSiblings(text: string): string[] {
  const [first, ...rest] = text.split(/\s*\/\s*|,\s*/);
  const parent = first.includes(".") ? first.slice(0, first.lastIndexOf(".") + 1) : "";
  return [first, ...rest.map((name) => (/^[A-Za-z0-9_]+$/.test(name) ? parent + name : name))];
}

function checkYamlKeys(
  reference: Reference,
  value: unknown,
  path: Segment[],
  report: (name: string) => void,
): void {
  if (Array.isArray(value)) {
    for (const item of value) checkYamlKeys(reference, item, [...path, { kind: "item" }], report);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, inner] of Object.entries(value)) {
    const next: Segment[] = [...path, { kind: "key", name: key }];
    if (!inSchema(reference.schema, next)) {
      report(renderSegments(next));
      continue;
    }
    // Values under a map of anything (a compare variant's or config push's `set`) are paths, not keys.
    const anything = (n: Node) =>
      typeof n.additionalProperties === "object" &&
      n.additionalProperties !== null &&
      Object.keys(n.additionalProperties).length === 0;
    if (nodesAt(reference.schema, next).some(anything)) continue;
    checkYamlKeys(reference, inner, next, report);
  }
}

function nodesAt(root: Node, segments: Segment[]): Node[] {
  let nodes: Node[] = [root];
  for (const segment of segments) nodes = nodes.flatMap((n) => schemaChildren(root, n, segment));
  return nodes.map((n) =>
    typeof n.$ref === "string" ? root.$defs[n.$ref.split("/").pop() as string] : n,
  );
}

function renderSegments(segments: Segment[]): string {
  let out = "";
  for (const s of segments) {
    if (s.kind === "item") out += "[]";
    else if (s.kind === "any") out += ".*";
    else out += out === "" ? s.name : `.${s.name}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Commands and options.

/** Every `meshsim <command> <args...>` in a piece of code (a span, or a shell block's line). */
function commandsIn(code: string): { command: string; options: string[] }[] {
  const found: { command: string; options: string[] }[] = [];
  for (const m of code.matchAll(/(?:^|[\s(`'"])meshsim\s+(?:--\s+)?([^\s|;&#)]+)([^|;&#\n]*)/g)) {
    const command = m[1];
    if (!/^[a-z][a-z-]*$/.test(command)) continue; // `meshsim ...`, `meshsim FILE`
    const options = [...m[2].matchAll(/(?:^|\s)(--?[A-Za-z][A-Za-z-]*)/g)].map((o) => o[1]);
    found.push({ command, options });
  }
  return found;
}

function commandProblems(
  reference: Reference,
  code: string,
  report: (what: "command" | "option", name: string, message: string) => void,
): void {
  for (const { command, options } of commandsIn(code)) {
    const known = reference.commands.get(command);
    if (known === undefined) {
      report("command", command, `\`meshsim ${command}\` is not a command of the meshsim program`);
      continue;
    }
    for (const option of options) {
      if (option === "--help" || option === "-h" || known.has(option)) continue;
      report("option", option, `\`meshsim ${command}\` has no option ${option}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Repository paths and links.

const REPO_DIRS = [
  "src",
  "test",
  "docs",
  "scenarios",
  "bench",
  "scripts",
  "lint",
  "bin",
  "reports",
  ".ci",
  "deploy",
];
const REPO_PATH = new RegExp(
  `^(?:\\.\\./shared/|(?:${REPO_DIRS.map((d) => d.replace(".", "\\.")).join("|")})/)`,
);

/** Whether `path` (relative to `base`, `<x>` and `*` matching one name) exists. */
function pathExists(base: string, path: string): boolean {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  let candidates = [base];
  for (const part of parts) {
    if (part === "..") {
      candidates = candidates.map((c) => dirname(c));
      continue;
    }
    const wild = part.includes("<") || part.includes("*");
    const pattern = new RegExp(
      `^${part
        .split(/(<[^>]+>|\*)/)
        .map((piece) =>
          piece.startsWith("<") || piece === "*"
            ? ".+"
            : piece.replace(/[.+?^${}()|[\]\\]/g, "\\$&"),
        )
        .join("")}$`,
    );
    const next: string[] = [];
    for (const dir of candidates) {
      if (!wild) {
        const p = join(dir, part);
        if (existsSync(p)) next.push(p);
        continue;
      }
      if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
      for (const entry of readdirSync(dir)) if (pattern.test(entry)) next.push(join(dir, entry));
    }
    candidates = next;
    if (candidates.length === 0) return false;
  }
  return true;
}

function repoPathProblem(root: string, raw: string): string | null {
  const path = raw
    .replace(/^@/, "")
    .replace(/^\.\//, "")
    .replace(/[:,.;)]+$/, "")
    .replace(/:\d+(?::\d+)?$/, "");
  if (!REPO_PATH.test(path) || /\s/.test(path)) return null;
  if (path.startsWith("reports/") && path !== "reports/README.md") return null;
  // ../shared/ holds the team's design notes beside the repository, not in it: a clone elsewhere
  // (CI) does not have it, so such a path cannot be checked from the repository.
  if (path.startsWith("../")) return null;
  return pathExists(root, path) ? null : `\`${path}\` does not exist in the repository`;
}

// ---------------------------------------------------------------------------------------------
// A page.

export function checkPage(
  reference: Reference,
  pageFile: string,
  text: string,
  anchorsOfPage: (file: string) => Set<string> | null,
): Problem[] {
  const page = relative(reference.root, pageFile);
  const problems: Problem[] = [];
  const add = (line: number, what: Problem["what"], name: string, message: string): void => {
    problems.push({ page, line, what, name, message });
  };
  const parsed = parsePage(text);
  const names = vocabulary(reference);
  for (const span of parsed.spans) {
    const candidates = span.fieldColumn ? expandSiblings(span.text) : [span.text];
    for (const text of candidates) {
      if (isFieldPath(reference, text)) {
        const problem = fieldProblem(reference, text);
        if (problem !== null) add(span.line, "field", text, problem);
      } else if (span.fieldColumn && /^[A-Za-z][A-Za-z0-9]*$/.test(text) && !names.has(text)) {
        add(
          span.line,
          "field",
          text,
          `\`${text}\` is in a field table but no scenario or result field has that name`,
        );
      }
    }
    commandProblems(reference, span.text, (what, name, message) =>
      add(span.line, what, name, message),
    );
    const option = /^(--[a-z][a-z-]*)(?:[ =]|$)/.exec(span.text);
    if (option !== null && ![...reference.commands.values()].some((o) => o.has(option[1])))
      add(span.line, "option", option[1], `no meshsim command has the option ${option[1]}`);
    const path = repoPathProblem(reference.root, span.text);
    if (path !== null) add(span.line, "path", span.text, path);
  }
  for (const fence of parsed.fences) {
    if (fence.lang === "yaml") {
      let value: unknown;
      try {
        value = parseYaml(fence.body);
      } catch {
        value = null;
      }
      const keys =
        value !== null && typeof value === "object" && !Array.isArray(value)
          ? Object.keys(value)
          : [];
      if (keys.length > 0 && keys.every((k) => reference.schema.properties[k] !== undefined)) {
        checkYamlKeys(reference, value, [], (name) =>
          add(
            fence.line,
            "field",
            name,
            `\`${name}\` (a key of this YAML example) is not a scenario field`,
          ),
        );
      }
    }
    if (fence.lang === "sh" || fence.lang === "bash" || fence.lang === "") {
      fence.body.split("\n").forEach((line, i) => {
        const code = line.replace(/\s#.*$/, "");
        commandProblems(reference, code, (what, name, message) =>
          add(fence.line + i, what, name, message),
        );
        for (const token of code.split(/\s+/)) {
          const path = repoPathProblem(reference.root, token);
          if (path !== null) add(fence.line + i, "path", token, path);
        }
      });
    }
  }
  for (const link of parsed.links) {
    if (/^[a-z]+:/.test(link.target)) continue; // http:, https:, mailto:
    const [file, anchor] = link.target.split("#");
    const target = file === "" ? pageFile : resolve(dirname(pageFile), file);
    if (file !== "" && !existsSync(target)) {
      add(
        link.line,
        "link",
        link.target,
        `the link's file ${relative(reference.root, target)} does not exist`,
      );
      continue;
    }
    if (anchor === undefined) continue;
    const anchors = file === "" ? parsed.anchors : anchorsOfPage(target);
    if (anchors !== null && !anchors.has(anchor))
      add(
        link.line,
        "link",
        link.target,
        `no heading of ${relative(reference.root, target)} has the anchor #${anchor}`,
      );
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The RunResult type as a tree, read with the TypeScript compiler from src/index.ts.

export function runResultTree(root: string): Tree {
  const index = join(root, "src/index.ts");
  const program = ts.createProgram([index], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(index);
  const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  const exported = module === undefined ? [] : checker.getExportsOfModule(module);
  const symbol = exported.find((s) => s.name === "RunResult");
  if (symbol === undefined) throw new Error("src/index.ts does not export RunResult");
  const type = checker.getDeclaredTypeOfSymbol(checker.getAliasedSymbol(symbol));
  const memo = new Map<ts.Type, Tree>();
  const treeOf = (t: ts.Type, depth: number): Tree => {
    const known = memo.get(t);
    if (known !== undefined) return known;
    const tree: Tree = {};
    memo.set(t, tree);
    if (depth > 12) return tree;
    const parts = t.isUnion() ? t.types : [t];
    for (const part of parts) {
      if (part.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)) continue;
      if (checker.isArrayType(part) || checker.isTupleType(part)) {
        const [element] = checker.getTypeArguments(part as ts.TypeReference);
        if (element !== undefined) tree["[]"] = treeOf(element, depth + 1);
        continue;
      }
      if (!(part.flags & ts.TypeFlags.Object)) continue;
      for (const info of checker.getIndexInfosOfType(part))
        tree["*"] = treeOf(info.type, depth + 1);
      for (const property of checker.getPropertiesOfType(part)) {
        const declaration = property.valueDeclaration ?? property.declarations?.[0];
        if (declaration === undefined) continue;
        tree[property.name] = treeOf(
          checker.getTypeOfSymbolAtLocation(property, declaration),
          depth + 1,
        );
      }
    }
    return tree;
  };
  return treeOf(type, 0);
}
