// `meshsim swarm FILE`: the command's flags; the work is ../swarm.ts's runSwarmCommand, loaded
// only when the command runs.
import { type Command, InvalidArgumentError } from "commander";
import type { SwarmFlags } from "../swarm.ts";
import { EXIT_INVARIANT, parseSeed } from "./options.ts";

function parsePositive(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError(`expected a whole number >= 1, got "${text}"`);
  }
  return Number(text);
}

export function swarmCommand(program: Command): void {
  program
    .command("swarm")
    .description(
      "swarm-test a scenario: per seed, a random subset of fault kinds and a random timeline of them, every invariant checker on; shrink and write what breaks",
    )
    .argument("<file>", "scenario file (YAML or JSON)")
    .requiredOption("--seeds <n>", "seeds to try (each replays on its own)", parsePositive)
    .option("--seed <n>", "the first seed (default 0)", parseSeed)
    .option(
      "--faults <kinds>",
      "fault kinds a seed may switch on, comma-separated (default: every kind the scenario can take)",
    )
    .option("--max-faults <n>", "faults per timeline, at most (default 3)", parsePositive)
    .option(
      "--max-instances <n>",
      "a fault hits at most this many instances of a service",
      parsePositive,
    )
    .option(
      "--max-duration <d>",
      "a fault lasts at most this long, e.g. 2m (default: half the run)",
    )
    .option(
      "--time-budget <d>",
      "stop starting new seeds after this much wall-clock time, e.g. 10m",
    )
    .option(
      "--determinism-every <n>",
      "every n-th seed also runs twice, compared byte for byte (default 50)",
      parsePositive,
    )
    .option(
      "--max-violations <n>",
      "stop once this many seeds broke an invariant (default: try every seed)",
      parsePositive,
    )
    .option(
      "--workers <k>",
      "run seeds on this many worker threads (default 1; the output is the same)",
      parsePositive,
    )
    .option("--out <dir>", "write each minimal failing case there as a scenario file")
    .option(
      "--shard <I/N>",
      "run only seed s with (s − first) mod N = I − 1 (1-based; auto/N as for sweep) into --out, for meshsim merge",
    )
    .option(
      "--queue <url>",
      "enqueue the seeds on Redis (redis://HOST:PORT[/DB]) for meshsim worker processes, and collect them (the output is the same)",
    )
    .option(
      "--json",
      "print { seeds, violations, coverage, ... } as JSON on stdout and nothing else",
    )
    .action(async (file: string, options: SwarmFlags) => {
      const { runSwarmCommand } = await import("../swarm.ts");
      const broke = await runSwarmCommand(file, options);
      if (broke) process.exitCode = EXIT_INVARIANT;
    });
}
