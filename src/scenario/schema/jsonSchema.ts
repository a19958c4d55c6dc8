// The JSON Schema (draft 2020-12) of scenario files, generated from the zod schema with
// z.toJSONSchema, so editors (yaml-language-server, VS Code) autocomplete keys and flag unknown
// ones. It describes the input as written; what it cannot say (a duration's grammar, call
// targets, cycles) only the loader checks.
import { z } from "zod";
import { scenarioFileSchema } from "./scenario.ts";

/** A fresh JSON Schema object for scenario files. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioFileSchema, {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: "meshsim scenario",
    description:
      "A meshsim scenario file (see SCENARIO.md): services, their call graph, k6-style load and thresholds.",
    ...rest,
  };
}
