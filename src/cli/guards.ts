// The CLI's guards around a run, and how an internal error is told apart from bad input: the cost budget (--max-events, --max-memory, --force) checked
// against the up-front estimate before anything is built, the --out folder checked before the
// run, and the write of --out undone on SIGINT/SIGTERM. The test-only pause points of the write
// (MESHSIM_TEST_PAUSE_AT=<stage>) are read here and nowhere else: simulation code never sees them.
import { InvalidArgumentError } from "commander";
import type { WriteHooks, WriteStage } from "../run/outputDir.ts";
import { ScenarioError } from "../scenario/errors.ts";
import type { Scenario } from "../scenario/types.ts";

/** Default budgets: a billion events is 10–30 minutes here; 4 GiB is a laptop's fair share. */
export const DEFAULT_MAX_EVENTS = 1_000_000_000;
export const DEFAULT_MAX_MEMORY_MB = 4096;

export interface BudgetOptions {
  maxEvents: number;
  maxMemory: number;
  force?: boolean;
}

/** A whole number ≥ 1, written plainly or as 1e9. */
export function parseCount(text: string): number {
  const n = Number(text);
  if (!/^\d+(e\d+)?$/i.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(
      `expected a whole number >= 1 such as 5000000 or 1e9, got "${text}"`,
    );
  }
  return n;
}

/** Refuses (exit 2) a scenario estimated above the budget, unless --force. */
export async function checkBudget(
  file: string,
  scenario: Scenario,
  options: BudgetOptions,
): Promise<string> {
  const { estimateCost, overBudget } = await import("../scenario/cost.ts");
  const estimate = estimateCost(scenario);
  const summary = `estimated ${estimate.requests} requests, ${estimate.cappedEvents} events, ${estimate.memoryMB} MiB`;
  const over = overBudget(estimate, { events: options.maxEvents, memoryMB: options.maxMemory });
  if (over !== null && options.force !== true) {
    throw new ScenarioError([
      {
        file,
        line: null,
        column: null,
        path: "",
        message: `${over}; raise the budget, lower maxEvents, or pass --force to run it anyway`,
      },
    ]);
  }
  return summary;
}

/** Refuses (exit 2) an --out folder that cannot be written, before the run. */
export async function checkOutDir(dir: string | undefined): Promise<void> {
  if (dir === undefined) return;
  const { outputDirProblem } = await import("../run/outputDir.ts");
  const problem = outputDirProblem(dir);
  if (problem !== null) {
    throw new ScenarioError([
      {
        file: "--out",
        line: null,
        column: null,
        path: "",
        message: `cannot write the outputs: ${problem}`,
      },
    ]);
  }
}

/** Test hook: with MESHSIM_TEST_PAUSE_AT=<stage>, a write says so on stderr and waits there (to be killed). */
function pauseAt(at: string | undefined): WriteHooks["pause"] {
  if (at === undefined || at === "") return undefined;
  return async (stage: WriteStage) => {
    if (stage !== at) return;
    process.stderr.write(`meshsim: paused at ${stage}\n`);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  };
}

/** While a write of `dir` is in progress, SIGINT or SIGTERM undoes it and exits. */
function trapSignals(dir: string, abort: () => "previous" | "new" | null): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    const holds = abort();
    const what = holds === "new" ? "the new outputs, complete" : "what it held before";
    process.stderr.write(`meshsim: ${signal} while writing ${dir}; it holds ${what}\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  // `on`, not `once`: a second signal while the first is handled must not kill the process midway.
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

/**
 * Before a command that writes --out (run, report, and the experiments, which write through the
 * library): the folder checked (exit 2 before any work), and every write of it from then on
 * guarded against SIGINT/SIGTERM and paused at MESHSIM_TEST_PAUSE_AT.
 */
export async function prepareOutDir(dir: string | undefined): Promise<void> {
  if (dir === undefined) return;
  await checkOutDir(dir);
  const { abortOutputWrite, setWriteDefaults } = await import("../run/outputDir.ts");
  setWriteDefaults({
    pause: pauseAt(process.env.MESHSIM_TEST_PAUSE_AT),
    guard: (target) => trapSignals(target, abortOutputWrite),
  });
}

/** Writes `files` into `dir` all or nothing, with the guards prepareOutDir set. */
export async function writeOut(
  dir: string,
  files: Record<string, string>,
  keepOthers = false,
): Promise<void> {
  const { writeOutputDir } = await import("../run/outputDir.ts");
  await writeOutputDir(dir, files, { keepOthers });
}

/**
 * A bug of ours, not bad input: a short message and where to report it. The stack trace only with
 * MESHSIM_DEBUG=1 (a user's terminal is no place for it; a bug report is).
 */
export function internalErrorMessage(
  error: unknown,
  debug = process.env.MESHSIM_DEBUG === "1",
): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stack = error instanceof Error && debug ? `\n${error.stack}` : "";
  return (
    `meshsim: internal error: ${message.split("\n")[0]}${stack}\n` +
    "meshsim: this is a bug in meshsim, not in your input: please report it with the command " +
    "and the scenario file (MESHSIM_DEBUG=1 shows the stack trace)\n"
  );
}
