// The problems the scenario loader reports for a text that must not parse: the test fails when it
// parses, or when it throws anything but a ScenarioError.
import { expect } from "vitest";
import { ScenarioError, type ScenarioProblem } from "../../src/scenario/errors.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

/** The problems parseScenario reports for `text`; fails the test if it parses. */
export function problemsOf(text: string, file = "s.yaml"): ScenarioProblem[] {
  try {
    parseScenario(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems;
  }
  throw new Error("expected a ScenarioError, but the scenario parsed");
}

/** The only problem for `text`. */
export function problemOf(text: string): ScenarioProblem {
  const problems = problemsOf(text);
  expect(problems.map((p) => `${p.path}: ${p.message}`)).toHaveLength(1);
  return problems[0];
}

/** A problem as `line:column path: message`. */
export const shown = (p: ScenarioProblem): string =>
  `${p.line}:${p.column} ${p.path}: ${p.message}`;
