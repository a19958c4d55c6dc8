// Reads the Prometheus rule file a scenario's `alerts: { file: rules.yaml }` names (relative to the
// scenario file), as Prometheus' rulefmt reads one: YAML, strict fields, `groups` of rules. Its
// problems come out as the loader's, with the rule file's own name, line and column, and so do
// later findings about its rules (located with `place`).
import { dirname, join } from "node:path";
import { ScenarioError, type ScenarioProblem } from "./errors.ts";
import { readInputFile } from "./inputFile.ts";
import { findingsFromIssues } from "./issues.ts";
import { type PathSegment, renderPath } from "./path.ts";
import { locate } from "./positions.ts";
import { type RawRuleGroup, ruleFileSchema } from "./schema/alerts.ts";
import type { ScenarioFile } from "./schema/scenario.ts";
import { readDocument } from "./yaml.ts";

export interface RuleFile {
  /** The file as problems name it: the scenario's directory joined with the path given. */
  file: string;
  /** The groups, or null when the file could not be read or is not a valid rule file. */
  groups: RawRuleGroup[] | null;
  problems: ScenarioProblem[];
  /** Line and column of the key or value at `path` in the rule file. */
  place(path: readonly PathSegment[], at: "key" | "value"): { line: number; column: number };
}

/**
 * `alerts: { file }`: reads the rule file and puts its groups in place in `data` (none when it has
 * problems); null when the scenario names no rule file.
 */
export function readExternalRules(data: ScenarioFile, scenarioFile: string): RuleFile | null {
  const alerts = data.alerts;
  if (Array.isArray(alerts) || alerts.file === undefined) return null;
  const rules = readRuleFile(alerts.file, scenarioFile);
  data.alerts = { file: alerts.file, groups: rules.groups ?? [] };
  return rules;
}

/** Reads `ref` relative to `scenarioFile`'s directory (the working directory for stdin). */
export function readRuleFile(ref: string, scenarioFile: string): RuleFile {
  const file = scenarioFile.startsWith("<") ? ref : join(dirname(scenarioFile), ref);
  const nowhere = () => ({ line: 1, column: 1 });
  let text: string;
  try {
    // As a scenario is read: a regular file only, at most MAX_SCENARIO_BYTES (no FIFO, no device).
    text = readInputFile(file);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const problems = error.problems.map((problem) => ({
      ...problem,
      message: problem.message.replace(/^cannot read the file/, "cannot read the rule file"),
    }));
    return { file, groups: null, problems, place: nowhere };
  }
  const read = readDocument(text, file, []);
  if (Array.isArray(read)) return { file, groups: null, problems: read, place: nowhere };
  const { doc, raw, place: at } = read;
  const place = (path: readonly PathSegment[], where: "key" | "value") => {
    const { line, column } = at(locate(doc, path, where));
    return { line: line ?? 1, column: column ?? 1 };
  };
  const parsed = ruleFileSchema.safeParse(raw);
  if (parsed.success) return { file, groups: parsed.data.groups, problems: [], place };
  const problems = findingsFromIssues(parsed.error.issues).map(
    (finding): ScenarioProblem => ({
      file,
      ...place(finding.path, finding.at),
      path: renderPath(finding.path),
      message: finding.message,
    }),
  );
  return { file, groups: null, problems, place };
}
