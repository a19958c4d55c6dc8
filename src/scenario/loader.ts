// The scenario loader: YAML or JSON text → typed, defaulted Scenario, or a ScenarioError listing
// every problem with file:line:column and path. Pass 1 is the zod schema (schema/: shapes, values,
// defaults); pass 2 checks cross-references (references/) and thresholds (thresholds.ts), and
// converts section by section (convert/), checking relations between fields on the way.
import type { Document } from "yaml";
import { toScenario } from "./convert/scenario.ts";
import type { ScenarioProblem } from "./errors.ts";
import { compareProblems, formatProblem, ScenarioError } from "./errors.ts";
import { readInputFile } from "./inputFile.ts";
import { findingsFromIssues } from "./issues.ts";
import { type Finding, renderPath } from "./path.ts";
import { inFileOrder, locate } from "./positions.ts";
import { checkReferences } from "./references/index.ts";
import { type RuleFile, readExternalRules } from "./ruleFile.ts";
import { scenarioFileSchema } from "./schema/scenario.ts";
import { parseThresholds } from "./thresholds.ts";
import type { Scenario } from "./types.ts";
import { type Override, type Place, readDocument } from "./yaml.ts";

export { defaultResilience } from "./convert/resilience.ts";
export { type PathSegment, parseOverridePath, renderPath } from "./path.ts";
export type { Override } from "./yaml.ts";

/**
 * zod 4 compiles a fast path for each object schema (`new Function`) the first time it parses
 * one; a scenario file is parsed a handful of times per process, so the compiling costs more than
 * it saves (~12 ms of checkout's 0.29 s start, docs/performance.md 2026-12-07). Same results and
 * issues.
 */
const SCHEMA_PARSE = { jitless: true } as const;

/** Reads and parses a scenario file. `path` is used as given in every problem. */
export function loadScenarioFile(path: string): Scenario {
  return parseScenario(readInputFile(path), path);
}

/**
 * Parses scenario text (YAML, or JSON, which is YAML too), after applying `overrides` to the
 * document, so a variant's own values are validated like the file's. Bad input throws ScenarioError.
 */
export function parseScenario(
  text: string,
  file: string,
  overrides: readonly Override[] = [],
): Scenario {
  // Anything else thrown here is a bug of ours, not of the file: it goes up as it is, so the CLI
  // reports an internal error (exit 1) rather than dressing it as bad input.
  const outcome = parseOrCollect(String(text), file, overrides);
  if (Array.isArray(outcome)) throw new ScenarioError(outcome);
  return outcome;
}

/** `withVersions`: also parse each config push's version (off while parsing one, so it does not recurse). */
function parseOrCollect(
  text: string,
  file: string,
  overrides: readonly Override[],
  withVersions = true,
): Scenario | ScenarioProblem[] {
  const read = readDocument(text, file, overrides);
  if (Array.isArray(read)) return read;
  const { doc, raw, place } = read;

  const parsed = scenarioFileSchema.safeParse(raw, SCHEMA_PARSE);
  const findings = parsed.success ? [] : findingsFromIssues(parsed.error.issues);
  const rules = parsed.success ? readExternalRules(parsed.data, file) : null;
  findings.push(...checkReferences(raw));
  const thresholds = parseThresholds(raw);
  findings.push(...thresholds.findings);
  let scenario: Scenario | null = null;
  if (parsed.success) {
    const cx = {
      findings,
      ordered: <T>(map: Record<string, T>, path: readonly (string | number)[]) =>
        inFileOrder(map, doc, path),
    };
    const reparse = withVersions
      ? (set: readonly Override[]) => parseOrCollect(text, file, [...overrides, ...set], false)
      : null;
    scenario = toScenario(parsed.data, thresholds.specs, reparse, cx);
  }
  if (findings.length === 0 && scenario !== null && (rules?.problems.length ?? 0) === 0)
    return scenario;
  return problemsOf(findings, doc, place, file, rules);
}

/**
 * Each finding placed in the text (the rule file's, for findings in the rule file `alerts.file`
 * names), after the rule file's own problems; duplicates dropped, sorted by position.
 */
function problemsOf(
  findings: readonly Finding[],
  doc: Document,
  place: Place,
  file: string,
  rules: RuleFile | null,
): ScenarioProblem[] {
  const seen = new Set<string>();
  const problems: ScenarioProblem[] = [...(rules?.problems ?? [])];
  for (const finding of findings) {
    const problem = {
      ...(finding.inRuleFile === true && rules !== null
        ? { file: rules.file, ...rules.place(finding.path, finding.at) }
        : { file, ...place(locate(doc, finding.path, finding.at)) }),
      path: renderPath(finding.path),
      message: finding.message,
    };
    const key = formatProblem(problem);
    if (!seen.has(key)) problems.push(problem);
    seen.add(key);
  }
  return problems.sort(compareProblems);
}
