// The experiment layer's one door into scenario/ and run/: a scenario file's text, a point of the
// experiment parsed as a scenario of its own (its values put at their paths, every path checked
// against the file first), and one replication run with its mergeable histograms; for capacity
// planning, the file's own value at a path, whether a path is numeric, and bad input placed at a
// path's line and column.
import { readFileSync } from "node:fs";
import { isNode, LineCounter, parseDocument, parse as parseYaml } from "yaml";
import type { RunResult } from "../result/run.ts";
import type { RunProgress } from "../run/progress.ts";
import { runScenario } from "../run/runScenario.ts";
import { ScenarioError, type ScenarioProblem } from "../scenario/errors.ts";
import { type Override, parseScenario } from "../scenario/loader.ts";
import { type PathSegment, renderPath } from "../scenario/path.ts";
import { numericPathProblem, overridePathProblem } from "../scenario/pathCheck.ts";
import type { Scenario } from "../scenario/types.ts";

export type { RunResult } from "../result/run.ts";
export { writeOutputDir } from "../run/outputDir.ts";
export { type Budget, estimateCost, overBudget } from "../scenario/cost.ts";
export { ScenarioError } from "../scenario/errors.ts";
export type { PathSegment } from "../scenario/path.ts";
export { parseOverridePath, renderPath } from "../scenario/path.ts";
export type { LoadSpec, OperationSpec, Scenario, ServiceSpec } from "../scenario/types.ts";

/** A scenario file as read once: every point and worker parses this text, never the file again. */
export interface Source {
  file: string;
  text: string;
}

/** A value put at a path of the file. */
export interface Assignment {
  path: PathSegment[];
  value: unknown;
}

export function badInput(file: string, message: string, path = ""): ScenarioError {
  return new ScenarioError([{ file, line: null, column: null, path, message }]);
}

/**
 * Bad input about a place in the file: file:line:column of `at` (or of the nearest enclosing
 * node the file has), the path rendered, and the message.
 */
export function badInputAt(
  source: Source,
  message: string,
  at: readonly PathSegment[],
): ScenarioError {
  const counter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter: counter, logLevel: "silent" });
  let line: number | null = null;
  let column: number | null = null;
  for (let n = at.length; n >= 0 && line === null; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(at.slice(0, n), true);
    if (isNode(node) && node.range) {
      const pos = counter.linePos(node.range[0]);
      line = pos.line;
      column = pos.col;
    }
  }
  return new ScenarioError([{ file: source.file, line, column, path: renderPath(at), message }]);
}

export function readSource(file: string): Source {
  try {
    return { file, text: readFileSync(file, "utf8") };
  } catch (error) {
    throw badInput(file, `cannot read the file: ${(error as Error).message}`);
  }
}

/** The file as written, parsed with no values put in. */
export function parseBase(source: Source): Scenario {
  return parseScenario(source.text, source.file);
}

const documents = new WeakMap<Source, unknown>();

function documentOf(source: Source): unknown {
  let document = documents.get(source);
  if (document === undefined) {
    document = parseYaml(source.text);
    documents.set(source, document);
  }
  return document;
}

/** The file's own value at `path` (as written, before defaults), or undefined when it has none. */
export function valueAt(source: Source, path: readonly PathSegment[]): unknown {
  let node = documentOf(source);
  for (const segment of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** Null when `path` names a place in the file that takes a number, else what is wrong with it. */
export function numericPathCheck(source: Source, path: readonly PathSegment[]): string | null {
  return overridePathProblem(documentOf(source), path) ?? numericPathProblem(path);
}

/**
 * The scenario of one point: `set` put at its paths, then validated like a file of its own. A
 * path that names nothing of the file, or a value that makes it invalid, is a ScenarioError
 * whose every message starts `in <label>:`. `pathsChecked` skips the path check, for a pool
 * worker handed points the main thread has parsed already: the check reads a JSON Schema that
 * zod generates on first use, about 50 ms of CPU a worker would pay for nothing.
 */
export function parsePoint(
  source: Source,
  set: readonly Assignment[],
  label: string,
  pathsChecked = false,
): Scenario {
  const wrongPaths = pathsChecked ? [] : pathProblems(source, set, label);
  if (wrongPaths.length > 0) throw new ScenarioError(wrongPaths);
  const overrides: Override[] = set.map((a) => ({ path: a.path, value: a.value, origin: label }));
  try {
    return parseScenario(source.text, source.file, overrides);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    throw new ScenarioError(
      error.problems.map((p) => ({ ...p, message: `in ${label}: ${p.message}` })),
    );
  }
}

function pathProblems(
  source: Source,
  set: readonly Assignment[],
  label: string,
): ScenarioProblem[] {
  const document = documentOf(source);
  return set.flatMap((a): ScenarioProblem[] => {
    const problem = overridePathProblem(document, a.path);
    return problem === null
      ? []
      : [
          {
            file: source.file,
            line: null,
            column: null,
            path: renderPath(a.path),
            message: `in ${label}: unknown path: ${problem}`,
          },
        ];
  });
}

/** One replication: the scenario on `seed`, its result with mergeable histograms. */
export function runReplication(
  scenario: Scenario,
  seed: number,
  onProgress?: (progress: RunProgress) => void,
): RunResult {
  return runScenario(scenario, { seed, histograms: true, onProgress });
}
