// Scenario text as a YAML document (the yaml package, which keeps every node's position): parse
// errors with file:line:column, a hint for the unquoted `mix(0.9: ...)` trap, a variant's overrides
// put into the document before validation, and the plain value the schema sees. A problem here
// stops the load, since nothing else can be checked. Leaves out YAML 1.1 quirks (yaml's 1.2 core).
import type { Document } from "yaml";
import { LineCounter, parseDocument } from "yaml";
import type { ScenarioProblem } from "./errors.ts";
import { tooLarge } from "./limits.ts";
import { type PathSegment, renderPath } from "./path.ts";
import { checkTextShape } from "./textShape.ts";

/** A value to put at a path of the document before validation (a compare variant's `set`). */
export interface Override {
  path: PathSegment[];
  value: unknown;
  /** Where the override came from, for messages: `variant random`. */
  origin: string;
}

/** Where an offset into the text is, 1-based. */
export type Place = (offset: number) => Pick<ScenarioProblem, "line" | "column">;

export interface ScenarioDocument {
  doc: Document;
  /** The document as plain data, overrides applied: what the schema validates. */
  raw: unknown;
  place: Place;
}

/** Parses `text` and applies `overrides`, or returns the problems that stop the load. */
export function readDocument(
  text: string,
  file: string,
  overrides: readonly Override[],
): ScenarioDocument | ScenarioProblem[] {
  const shape = checkTextShape(text);
  if (shape !== null) {
    const message = `the document's ${shape.what} ${tooLarge(shape.limit, shape.found)}`;
    return [{ file, line: shape.line, column: 1, path: "", message }];
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: counter,
    prettyErrors: false,
    logLevel: "error",
    uniqueKeys: true,
  });
  const place: Place = (offset) => {
    const { line, col } = counter.linePos(offset);
    return { line, column: col };
  };
  const yamlProblems = [...doc.errors, ...doc.warnings].map(
    (error): ScenarioProblem => ({
      file,
      ...place(error.pos[0]),
      path: "",
      message: `YAML: ${error.message}${colonHint(text, error.pos[0])}`,
    }),
  );
  if (yamlProblems.length > 0) return yamlProblems;
  for (const override of overrides) {
    try {
      doc.setIn(override.path, doc.createNode(override.value));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return [
        {
          file,
          line: null,
          column: null,
          path: renderPath(override.path),
          message: `${override.origin}: cannot set this path: ${reason}`,
        },
      ];
    }
  }
  try {
    return { doc, raw: doc.toJS({ maxAliasCount: 100 }), place };
  } catch (error) {
    return [
      {
        file,
        line: 1,
        column: 1,
        path: "",
        message: `YAML: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
}

/**
 * `serviceTime: mix(0.9: exp(2ms), 0.1: const(40ms))` is not valid YAML unquoted: ": " inside a
 * plain value starts a nested mapping. Say so, since the distribution syntax invites it.
 */
function colonHint(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const lineEnd = text.indexOf("\n", offset);
  const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  return /\w+\([^)]*: /.test(line)
    ? "; a value such as mix(0.9: exp(2ms), ...) contains \": \", so quote it: 'mix(...)'"
    : "";
}
