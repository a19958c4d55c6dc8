// `meshsim validate FILE`: checks a scenario file and its budget estimate without running it.
import type { Command } from "commander";
import { type BudgetOptions, checkBudget } from "../guards.ts";
import { withBudget } from "./options.ts";

/** `1 load`, `2 loads`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

export function validateCommand(program: Command): void {
  withBudget(program.command("validate"))
    .description("check a scenario file and report every problem, without running it")
    .argument("<file>", "scenario file (YAML or JSON)")
    .action(async (file: string, options: BudgetOptions) => {
      const { loadScenarioFile } = await import("../../scenario/loader.ts");
      const scenario = loadScenarioFile(file);
      process.stderr.write(`meshsim: ${await checkBudget(file, scenario, options)}\n`);
      process.stdout.write(
        `${file}: ok (scenario ${scenario.name}, ${plural(scenario.services.length, "service")}, ${plural(scenario.load.length, "load")})\n`,
      );
    });
}
