// A user's own scenario file with parts overridden, as the property tests and the swarm use it:
// `fromFile("checkout.yaml").with("mesh.services.payment.retries.attempts", 0).withFaults(t)`.
// Overrides go into the YAML document before it is validated, so a bad override is reported like
// a bad file (file:line:column, field path, what was expected), and `text()` writes the file with
// them applied, comments kept: what a replayable minimal case is.
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { ScenarioError } from "../scenario/errors.ts";
import { type Override, parseOverridePath, parseScenario } from "../scenario/loader.ts";
import type { Scenario } from "../scenario/types.ts";

export class ScenarioSource {
  private cached: Scenario | null = null;

  constructor(
    /** The file's text (YAML or JSON). */
    readonly baseText: string,
    /** Names the file in problems. */
    readonly file: string,
    readonly overrides: readonly Override[] = [],
  ) {}

  /** The same file with `value` put at `path` (e.g. `mesh.services.payment.retries`), or several at once. */
  with(path: string, value: unknown): ScenarioSource;
  with(values: Record<string, unknown>): ScenarioSource;
  with(pathOrValues: string | Record<string, unknown>, value?: unknown): ScenarioSource {
    const entries =
      typeof pathOrValues === "string"
        ? [[pathOrValues, value] as const]
        : Object.entries(pathOrValues);
    const added = entries.map(([text, v]): Override => {
      const path = parseOverridePath(text);
      if (path === null) throw new RangeError(`not a path into a scenario: "${text}"`);
      return { path, value: v, origin: `override ${text}` };
    });
    return new ScenarioSource(this.baseText, this.file, [...this.overrides, ...added]);
  }

  /** The same file with its `faults:` replaced by `faults` (fault documents, e.g. a faultTimeline's). */
  withFaults(faults: readonly unknown[]): ScenarioSource {
    return this.with("faults", faults);
  }

  /** The typed, validated scenario; throws ScenarioError with every problem. */
  scenario(): Scenario {
    this.cached ??= parseScenario(this.baseText, this.file, this.overrides);
    return this.cached;
  }

  /** The file's text with the overrides applied (comments and key order kept). */
  text(): string {
    const doc = parseDocument(this.baseText);
    for (const { path, value } of this.overrides) doc.setIn(path, doc.createNode(value));
    return doc.toString({ lineWidth: 0 });
  }
}

/** A scenario file on disk; an unreadable file is a ScenarioError, as the loader reports it. */
export function fromFile(path: string): ScenarioSource {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScenarioError([
      {
        file: path,
        line: null,
        column: null,
        path: "",
        message: `cannot read the file: ${reason}`,
      },
    ]);
  }
  return new ScenarioSource(text, path);
}

/** A scenario given as a plain object (e.g. what the `scenario()` arbitrary generates). */
export function fromDocument(document: unknown, name = "<generated>"): ScenarioSource {
  return new ScenarioSource(JSON.stringify(document, null, 2), name);
}
