// The `meshsim` command: argument parsing and printing only. Exit codes (shared/SCENARIO.md):
// 0 ok, 2 bad input (scenario or flags), 99 thresholds failed (`capacity`: nothing meets them), 3
// an invariant broke (`swarm`, or `run` on a file whose `invariants:` list one that broke), 4 an
// experiment's point did not reach the precision asked for (`sweep`, `compare`; `capacity`: the
// search could not decide), 1 internal error. With --json, stdout carries the
// result and nothing else; everything else goes to stderr.
// Each command is defined in its own module under commands/ (merge and worker in scaleout.ts);
// each imports what it needs when it runs (dynamic import), so `--help` loads commander
// alone, `validate` the loader, and `run` the renderers only after the simulation: the HTML
// reports' vega and vega-lite cost about 0.25 s of CPU to load, the loader about 0.1 s.
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { ScenarioError } from "../scenario/errors.ts";
import { capacityCommand } from "./commands/capacity.ts";
import { compareCommand } from "./commands/compare.ts";
import { reportCommand } from "./commands/report.ts";
import { runCommand } from "./commands/run.ts";
import { schemaCommand } from "./commands/schema.ts";
import { swarmCommand } from "./commands/swarm.ts";
import { sweepCommand } from "./commands/sweep.ts";
import { validateCommand } from "./commands/validate.ts";
import { internalErrorMessage, prepareOutDir } from "./guards.ts";
import { addScaleOutCommands } from "./scaleout.ts";

const EXIT_OK = 0;
const EXIT_INTERNAL = 1;
const EXIT_BAD_INPUT = 2;

/** The package's version, from the package.json two folders up (src/cli/ and dist/cli/ alike). */
function packageVersion(): string {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

export function buildProgram(): Command {
  const program = new Command("meshsim")
    .description("Deterministic discrete-event simulator of microservice governance")
    .version(packageVersion(), "-V, --version", "print meshsim's version")
    .addHelpText(
      "after",
      "\nExit codes: 0 ok; 1 internal error (also Redis unreachable or lost, with --queue and worker); 2 bad input (scenario or flags); 3 swarm or run: an invariant broke; 4 sweep/compare/merge: some point did not reach --precision within --max-seeds, capacity: the search could not decide; 75 merge: the precision rule wants another wave of the shards; 99 run: a threshold failed, capacity: nothing meets the thresholds.",
    )
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      writeOut: (s) => process.stdout.write(s),
    })
    // Every command's --out: checked before any work, and its writes guarded (guards.ts).
    .hook("preAction", async (_program, command) => {
      const out: unknown = command.opts().out;
      await prepareOutDir(typeof out === "string" ? out : undefined);
    });

  runCommand(program);
  swarmCommand(program);
  compareCommand(program);
  sweepCommand(program);
  capacityCommand(program);
  reportCommand(program);
  validateCommand(program);
  schemaCommand(program);
  addScaleOutCommands(program);
  return program;
}

/** experiment/engine.ts's ExperimentRunError, recognised by name so --help need not load the engine. */
function isExperimentRunError(
  error: unknown,
): error is Error & { failures: { label: string; seed: number; message: string }[] } {
  return error instanceof Error && error.name === "ExperimentRunError" && "failures" in error;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof ScenarioError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (isExperimentRunError(error)) {
      for (const f of error.failures)
        process.stderr.write(
          `meshsim: internal error in ${f.label} seed ${f.seed}: ${f.message}\n`,
        );
      process.stderr.write(
        `meshsim: ${error.failures.length} run(s) failed; the others finished (and with --out are kept in runs/)\n`,
      );
      return EXIT_INTERNAL;
    }
    if (error instanceof Error && error.name === "QueueUnavailable") {
      process.stderr.write(`meshsim: ${error.message}\n`);
      return EXIT_INTERNAL;
    }
    if (error instanceof CommanderError) {
      // Help and version are not errors; every other commander complaint is bad flags.
      return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    process.stderr.write(internalErrorMessage(error));
    return EXIT_INTERNAL;
  }
}

// A reader that stops early (`meshsim schema | head`) closes the pipe: Node reports EPIPE on the
// next write, which would surface as an internal error. Like a command killed by SIGPIPE, stop at
// once and quietly; the output went everywhere it was wanted (files under --out are written first).
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(typeof process.exitCode === "number" ? process.exitCode : EXIT_OK);
});

process.exitCode = await main(process.argv.slice(2));
