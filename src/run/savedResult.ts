// Reads a run result saved by `meshsim run --out` (result.json) back, for `meshsim report`. It
// checks the shape the reports read (the fields every meshsim result has had since the first
// one) and reports anything else as bad input, like a bad scenario: ScenarioError, exit 2.
// Fields added later (metrics, alerts, tracing, warmupMs) may be missing; the report says so.
import { readFileSync } from "node:fs";
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

export function readSavedResult(file: string): RunResult {
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
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.variants) && "seeds" in record) {
    throw problem(
      file,
      "this is a comparison (comparison.json), not a run result; `meshsim compare --out DIR` writes its report.html itself",
    );
  }
  const missing = REQUIRED.filter(([key]) => !(key in record)).map(([key]) => key);
  const mistyped = REQUIRED.filter(
    ([key, type]) => key in record && typeOf(record[key]) !== type,
  ).map(([key, type]) => `${key} is ${article(typeOf(record[key]))}, expected ${article(type)}`);
  const details = [...(missing.length > 0 ? [`missing ${missing.join(", ")}`] : []), ...mistyped];
  if (details.length > 0)
    throw problem(
      file,
      `not a meshsim run result (the result.json of \`meshsim run --out\`): ${details.join("; ")}`,
    );
  return value as RunResult;
}
