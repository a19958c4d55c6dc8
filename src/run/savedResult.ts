// Reads a run result saved by `meshsim run --out` (result.json), or a comparison saved by `meshsim
// compare --out` (comparison.json), back, for `meshsim report`. It checks the shape the reports
// read (the fields every meshsim result has had since the first one) and reports anything else as
// bad input, like a bad scenario: ScenarioError, exit 2. Fields added later (metrics, alerts,
// tracing, warmupMs, pods) may be missing; the report says so.
import { readFileSync } from "node:fs";
import type { Comparison } from "../result/compare.ts";
import type { RunResult } from "../result/run.ts";
import { ScenarioError } from "../scenario/errors.ts";

/** The fields a result must have, and the JSON type of each. */
const REQUIRED: readonly [string, "string" | "number" | "object" | "array"][] = [
  ["scenario", "string"],
  ["seed", "number"],
  ["simulatedMs", "number"],
  ["events", "number"],
  ["load", "object"],
  ["services", "object"],
  ["stateChanges", "array"],
  ["faults", "array"],
  ["thresholds", "array"],
  ["edges", "object"],
];

function problem(file: string, message: string): ScenarioError {
  return new ScenarioError([{ file, line: null, column: null, path: "", message }]);
}

function article(type: string): string {
  return type === "null" ? "null" : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeOf(value: unknown): string {
  return Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
}

/** What `meshsim report` can re-render: one run, or a comparison of variants. */
export type SavedOutput =
  | { kind: "run"; result: RunResult }
  | { kind: "comparison"; comparison: Comparison };

/** A run result or a comparison, told apart by its fields (a comparison has variants and seeds). */
export function readSavedOutput(file: string): SavedOutput {
  const value = readJsonObject(file);
  if (Array.isArray(value.variants) && "seeds" in value)
    return { kind: "comparison", comparison: checkComparison(file, value) };
  return { kind: "run", result: checkRunResult(file, value) };
}

/** The fields of a comparison the reports read, each variant's results checked as run results. */
function checkComparison(file: string, record: Record<string, unknown>): Comparison {
  const fields: [string, string][] = [
    ["scenario", "string"],
    ["seeds", "array"],
    ["baseline", "string"],
  ];
  const bad = fields
    .filter(([key, type]) => typeOf(record[key]) !== type)
    .map(([key, type]) => `${key} is ${article(typeOf(record[key]))}, expected ${article(type)}`);
  (record.variants as unknown[]).forEach((variant, i) => {
    const v = (typeOf(variant) === "object" ? variant : {}) as Record<string, unknown>;
    for (const [key, type] of [
      ["name", "string"],
      ["loads", "array"],
      ["services", "object"],
      ["results", "array"],
    ])
      if (typeOf(v[key]) !== type)
        bad.push(`variants[${i}].${key} is ${article(typeOf(v[key]))}, expected ${article(type)}`);
    if (Array.isArray(v.results))
      v.results.forEach((r, j) => {
        const run = typeOf(r) === "object" ? (r as Record<string, unknown>) : {};
        checkRunResult(file, run, `variants[${i}].results[${j}]`);
      });
  });
  if (bad.length > 0)
    throw problem(
      file,
      `not a meshsim comparison (the comparison.json of \`meshsim compare --out\`): ${bad.join("; ")}`,
    );
  return record as unknown as Comparison;
}

export function readSavedResult(file: string): RunResult {
  const value = readJsonObject(file);
  if (Array.isArray(value.variants) && "seeds" in value) {
    throw problem(
      file,
      "this is a comparison (comparison.json), not a run result; `meshsim report` re-renders it, `meshsim compare --out DIR` writes its report.html itself",
    );
  }
  return checkRunResult(file, value);
}

function readJsonObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw problem(file, `cannot read the file: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw problem(file, `not a meshsim run result: not JSON (${(error as Error).message})`);
  }
  if (typeOf(value) !== "object")
    throw problem(file, `not a meshsim run result: expected a JSON object, found ${typeOf(value)}`);
  return value as Record<string, unknown>;
}

/** `where`: the place of a run result inside a comparison, for the message. */
function checkRunResult(file: string, record: Record<string, unknown>, where = ""): RunResult {
  const missing = REQUIRED.filter(([key]) => !(key in record)).map(([key]) => key);
  const mistyped = REQUIRED.filter(
    ([key, type]) => key in record && typeOf(record[key]) !== type,
  ).map(([key, type]) => `${key} is ${article(typeOf(record[key]))}, expected ${article(type)}`);
  const details = [...(missing.length > 0 ? [`missing ${missing.join(", ")}`] : []), ...mistyped];
  if (details.length > 0)
    throw problem(
      file,
      `${where === "" ? "" : `${where}: `}not a meshsim run result (the result.json of \`meshsim run --out\`): ${details.join("; ")}`,
    );
  return record as unknown as RunResult;
}
