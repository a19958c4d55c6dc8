import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/scenario/errors.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

const mm1 = readFileSync(resolve(import.meta.dirname, "../../scenarios/mm1.yaml"), "utf8");

function problems(text: string): string[] {
  try {
    parseScenario(text, "s.yaml");
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("the sweep: section", () => {
  it("reads paths and values in file order, lists and ranges alike", () => {
    const text = `${mm1}\nsweep:\n  seeds: 4\n  vary:\n    load[0].rate: 0.5..0.8:0.1\n    services.server.concurrency: [1, 2]\n`;
    expect(parseScenario(text, "s.yaml").sweep).toEqual({
      seeds: 4,
      zip: false,
      vary: [
        { path: ["load", 0, "rate"], values: [0.5, 0.6, 0.7, 0.8] },
        { path: ["services", "server", "concurrency"], values: [1, 2] },
      ],
    });
    expect(parseScenario(mm1, "s.yaml").sweep).toBeNull();
  });

  it("reports a range with no values and an empty vary at their place", () => {
    const bad = `${mm1}\nsweep:\n  vary:\n    load[0].rate: 0.8..0.5\n`;
    expect(problems(bad)).toEqual([
      'sweep.vary["load[0].rate"]: the range 0.8..0.5 has no values: its end is below its start',
    ]);
    expect(problems(`${mm1}\nsweep:\n  vary: {}\n`)).toEqual(["sweep.vary: names no path to vary"]);
  });
});
