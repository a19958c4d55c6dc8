// What makes two processes parts of the same experiment: the command, the scenario's text and the
// options that decide the runs and the output (points or variants, seeds, precision), hashed. A
// shard writes it into its shard.json so `meshsim merge` can check the parts and replay the
// experiment on their runs; the queue names its jobs by the hash. Equivalent but different flags
// (--seeds 5 against the default 5) make another experiment: merge refuses rather than guesses.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

/** The commands that can be sharded and merged: the experiments (also queued), and the swarm. */
export type ExperimentCommand = "sweep" | "compare" | "capacity" | "swarm";

export interface ExperimentDefinition {
  command: ExperimentCommand;
  /** The scenario file as named on the command line (for messages; not hashed). */
  file: string;
  text: string;
  /** The command's options as plain data (no workers, out or callbacks). */
  options: Record<string, unknown>;
}

const FORMAT = "meshsim-experiment-1";

/** Options that say where or how the runs execute, not what they are. */
const EXECUTION = new Set(["workers", "out", "onProgress", "text", "store"]);

export function definition(
  command: ExperimentCommand,
  file: string,
  text: string,
  options: object,
): ExperimentDefinition {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options))
    if (value !== undefined && !EXECUTION.has(key)) plain[key] = JSON.parse(JSON.stringify(value));
  return { command, file, text, options: plain };
}

/** JSON with every object's keys sorted, so equal data hashes equally whatever built it. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** 24 hex digits (96 bits) of SHA-256 over the command, the text and the options. */
export function experimentHash(def: ExperimentDefinition): string {
  return sha256(canonicalJson([FORMAT, def.command, def.text, def.options])).slice(0, 24);
}

/** What differs between two definitions, for a message: "the scenario text", "seeds (5 vs 8)". */
export function differences(a: ExperimentDefinition, b: ExperimentDefinition): string[] {
  const found: string[] = [];
  if (a.command !== b.command) found.push(`the command (${a.command} vs ${b.command})`);
  if (a.text !== b.text)
    found.push(
      `the scenario text (sha256 ${sha256(a.text).slice(0, 12)} vs ${sha256(b.text).slice(0, 12)})`,
    );
  const keys = [...new Set([...Object.keys(a.options), ...Object.keys(b.options)])].sort();
  for (const key of keys) {
    const x = a.options[key] === undefined ? "unset" : canonicalJson(a.options[key]);
    const y = b.options[key] === undefined ? "unset" : canonicalJson(b.options[key]);
    if (x !== y) found.push(`${key} (${abbreviate(x)} vs ${abbreviate(y)})`);
  }
  return found;
}

function abbreviate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** This meshsim's version (package.json, three folders up from src/ or dist/experiment/scaleout). */
export function meshsimVersion(): string {
  return (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;
}
