// Problems found in a scenario file, reported the way compilers do: `file:line:column: path: message`,
// one per line, all of them at once, sorted by position. ScenarioError is the only error the loader
// throws; the CLI maps it to exit code 2. Leaves out warnings and severities: every problem is fatal.

export interface ScenarioProblem {
  /** The file as the user named it (or a label such as "<stdin>"). */
  file: string;
  /** 1-based; null when the problem has no place in the text (e.g. the file cannot be read). */
  line: number | null;
  column: number | null;
  /** Where in the scenario, e.g. "services.server.operations.work.serviceTime" or "load[0].rate"; "" for the whole file. */
  path: string;
  message: string;
}

/** One problem as a line of text: `file:line:column: path: message`. */
export function formatProblem(problem: ScenarioProblem): string {
  const place =
    problem.line === null ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  const path = problem.path === "" ? "" : `${problem.path}: `;
  return `${place}: ${path}${problem.message}`;
}

/** Problems without a place first, then by line, column and path. */
export function compareProblems(a: ScenarioProblem, b: ScenarioProblem): number {
  return (
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
  readonly problems: ScenarioProblem[];
  constructor(problems: ScenarioProblem[]) {
    const sorted = [...problems].sort(compareProblems);
    super(sorted.map(formatProblem).join("\n"));
    this.problems = sorted;
  }
}
