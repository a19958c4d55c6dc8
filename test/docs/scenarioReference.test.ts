// docs/scenario.md's field tables are generated from the scenario format's JSON Schema by
// `npm run docs` (scripts/scenarioDocs.ts); this regenerates them and compares, so a field added,
// renamed or re-described in the zod schema cannot leave the page behind.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BEGIN,
  END,
  generatedReference,
  SCENARIO_DOC,
  withReference,
} from "../../scripts/scenarioDocs.ts";

describe("docs/scenario.md's field reference", () => {
  const page = readFileSync(SCENARIO_DOC, "utf8");

  it("is what npm run docs generates from the schema today", () => {
    expect(
      page,
      "docs/scenario.md's generated tables are out of date: run npm run docs and commit the result",
    ).toBe(withReference(page, generatedReference()));
  });

  it("lists every top-level field of the schema with its description", () => {
    const block = page.slice(page.indexOf(BEGIN), page.indexOf(END));
    for (const field of ["services", "load", "mesh", "faults", "registry", "changes"]) {
      expect(block).toContain(`| \`${field}\` |`);
    }
    expect(block).toContain("| `duration` | duration | **required** | Simulated time of the run");
  });
});
