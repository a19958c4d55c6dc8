// The `meshsim` command: argument parsing and printing only. Exit codes (shared/SCENARIO.md):
// 0 ok, 2 bad input (scenario or flags), 99 thresholds failed, 1 internal error. With --json,
// stdout carries the run result and nothing else; everything else goes to stderr.
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { ScenarioError } from "../scenario/errors.ts";
import { loadScenarioFile } from "../scenario/load.ts";
import { scenarioJsonSchema } from "../scenario/jsonSchema.ts";
import { runScenario } from "../run/runScenario.ts";
import { resultJson, runFiles } from "../run/files.ts";
import { writeOutputs } from "../run/writeOutputs.ts";
import { renderTerminalSummary } from "../report/terminal.ts";

const EXIT_OK = 0;
const EXIT_INTERNAL = 1;
const EXIT_BAD_INPUT = 2;
const EXIT_THRESHOLDS = 99;

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError(`expected a whole number >= 0, got "${text}"`);
  }
  return Number(text);
}

export function buildProgram(): Command {
  const program = new Command("meshsim")
    .description("Deterministic discrete-event simulator of microservice governance")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program
    .command("run")
    .description("run a scenario and print its summary (or its result JSON with --json)")
    .argument("<file>", "scenario file (YAML or JSON)")
    .option("--seed <n>", "override the scenario's seed", parseSeed)
    .option("--out <dir>", "write result.json and report.md into this folder")
    .option("--json", "print the run result as JSON on stdout and nothing else")
    .action((file: string, options: { seed?: number; out?: string; json?: boolean }) => {
      const scenario = loadScenarioFile(file);
      const started = performance.now();
      const result = runScenario(scenario, { seed: options.seed });
      const wallS = (performance.now() - started) / 1000;
      process.stderr.write(
        `meshsim: ${result.events} events in ${wallS.toFixed(2)} s wall (${Math.round(result.events / Math.max(wallS, 1e-9))} events/s)\n`,
      );
      if (options.out !== undefined) {
        writeOutputs(options.out, runFiles(result));
        process.stderr.write(`meshsim: wrote result.json and report.md to ${options.out}\n`);
      }
      if (options.json) process.stdout.write(resultJson(result));
      else process.stdout.write(renderTerminalSummary(result));
      if (result.thresholds.some((t) => !t.ok)) process.exitCode = EXIT_THRESHOLDS;
    });

  program
    .command("validate")
    .description("check a scenario file and report every problem, without running it")
    .argument("<file>", "scenario file (YAML or JSON)")
    .action((file: string) => {
      const scenario = loadScenarioFile(file);
      process.stdout.write(`${file}: ok (scenario ${scenario.name}, ${scenario.services.length} services, ${scenario.load.length} loads)\n`);
    });

  program
    .command("schema")
    .description("print the JSON Schema of scenario files (for editor autocompletion)")
    .action(() => {
      process.stdout.write(JSON.stringify(scenarioJsonSchema(), null, 2) + "\n");
    });

  return program;
}

export function main(argv: string[]): number {
  try {
    buildProgram().parse(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof ScenarioError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof CommanderError) {
      // Help and version are not errors; every other commander complaint is bad flags.
      return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    process.stderr.write(`meshsim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_INTERNAL;
  }
}

process.exitCode = main(process.argv.slice(2));
