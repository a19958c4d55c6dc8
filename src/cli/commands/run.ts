// `meshsim run FILE`: one run of a scenario (with --set/--duration overrides, its budget checked
// first), its summary or result JSON, --out's files, and the file's own invariants watching it.
import { type Command, InvalidArgumentError } from "commander";
import { parse as parseYaml } from "yaml";
import { parseOverridePath } from "../../scenario/path.ts";
import type { Scenario } from "../../scenario/types.ts";
import type { Override } from "../../scenario/yaml.ts";
import { type BudgetOptions, checkBudget, checkOutDir, writeOut } from "../guards.ts";
import { EXIT_INVARIANT, parseSeed, withBudget } from "./options.ts";

const EXIT_THRESHOLDS = 99;

/** `PATH=VALUE` of `run --set`, the value read as YAML, with --variant's path syntax. */
function collectSet(text: string, previous: Override[]): Override[] {
  const equals = text.indexOf("=");
  const path = equals <= 0 ? null : parseOverridePath(text.slice(0, equals));
  if (path === null)
    throw new InvalidArgumentError(
      `expected PATH=VALUE, e.g. services.payment.instances=4 or mesh.defaults.loadBalancer.policy=round-robin, got "${text}"`,
    );
  let value: unknown;
  try {
    value = parseYaml(text.slice(equals + 1));
  } catch (error) {
    throw new InvalidArgumentError(
      `the value of --set ${text.slice(0, equals)} is not valid YAML: ${(error as Error).message}`,
    );
  }
  return [...previous, { path, value, origin: `--set ${text.slice(0, equals)}` }];
}

export function runCommand(program: Command): void {
  withBudget(program.command("run"))
    .description("run a scenario and print its summary (or its result JSON with --json)")
    .argument("<file>", "scenario file (YAML or JSON)")
    .option("--seed <n>", "override the scenario's seed", parseSeed)
    .option(
      "--set <path=value>",
      "put a value at a path of the scenario before running it, e.g. services.payment.instances=4 (repeatable; the value is YAML, the path as in --variant)",
      collectSet,
      [],
    )
    .option("--duration <d>", "override the scenario's duration, e.g. 2m (as --set duration=2m)")
    .option(
      "--out <dir>",
      "write result.json and report.md (and traces.otlp.json with tracing on) into this folder",
    )
    .option("--json", "print the run result as JSON on stdout and nothing else")
    .option("--no-progress", "no progress bar (or progress lines) on stderr")
    .action(
      async (
        file: string,
        options: BudgetOptions & {
          seed?: number;
          set: Override[];
          duration?: string;
          out?: string;
          json?: boolean;
          progress: boolean;
        },
      ) => {
        await checkOutDir(options.out);
        const [loader, { readInputFile }, { runScenarioWithArtefacts }, progress] =
          await Promise.all([
            import("../../scenario/loader.ts"),
            import("../../scenario/inputFile.ts"),
            import("../../run/runScenario.ts"),
            import("../progress.ts"),
          ]);
        const { runSnapshot, withProgress } = progress;
        const overrides = [
          ...(options.duration === undefined
            ? []
            : [{ path: ["duration"], value: options.duration, origin: "--duration" }]),
          ...options.set,
        ];
        const scenario =
          overrides.length === 0
            ? loader.loadScenarioFile(file)
            : loader.parseScenario(readInputFile(file), file, overrides);
        // A file that names invariants (a swarm's minimal case) runs with those checkers watching.
        const check = scenario.invariants.length === 0 ? null : await invariantCheck(scenario);
        await checkBudget(file, scenario, options);
        const started = performance.now();
        const { result, traces } = withProgress(options.progress, runSnapshot, (onProgress) =>
          runScenarioWithArtefacts(scenario, {
            seed: options.seed,
            onProgress,
            watcher: check?.watcher,
          }),
        );
        const wallS = (performance.now() - started) / 1000;
        process.stderr.write(
          `meshsim: ${result.events} events in ${wallS.toFixed(2)} s wall (${Math.round(result.events / Math.max(wallS, 1e-9))} events/s)\n`,
        );
        const { resultJson, runFiles } = await import("../../run/files.ts");
        if (options.out !== undefined) {
          const files = await runFiles(result, traces);
          await writeOut(options.out, files);
          process.stderr.write(
            `meshsim: wrote ${Object.keys(files).join(", ")} to ${options.out}\n`,
          );
        }
        if (options.json) process.stdout.write(resultJson(result));
        else {
          const { renderTerminalSummary } = await import("../../report/terminal/runSummary.ts");
          process.stdout.write(renderTerminalSummary(result));
        }
        if (result.thresholds.some((t) => !t.ok)) process.exitCode = EXIT_THRESHOLDS;
        const violation = check?.end(result).violation ?? null;
        if (violation !== null) {
          const { formatViolation } = await import("../../testing/format.ts");
          process.stderr.write(`meshsim: ${formatViolation(violation)}\n`);
          process.exitCode = EXIT_INVARIANT;
        }
      },
    );
}

/** The checkers a file's `invariants:` names, watching one run (loaded only when a file names some). */
async function invariantCheck(scenario: Scenario) {
  const [{ createCheck }, { BUILT_IN_INVARIANTS }] = await Promise.all([
    import("../../testing/checkedRun.ts"),
    import("../../testing/checkers/index.ts"),
  ]);
  const invariants = scenario.invariants.map((name) => BUILT_IN_INVARIANTS[name]);
  return createCheck(scenario, { invariants, probes: [], stopAtFirst: false });
}
