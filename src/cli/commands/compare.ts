// `meshsim compare FILE`: the scenario once per variant on the same seeds, with the experiment
// and scale-out flags, --variant, --baseline, --only and --no-file-variants.
import { type Command, InvalidArgumentError } from "commander";
import { parse as parseYaml } from "yaml";
import { parseOverridePath } from "../../scenario/path.ts";
import type { VariantSpec } from "../../scenario/types.ts";
import { type ExperimentFlags, experimentFlags, experimentOptions } from "../experimentFlags.ts";
import { runScaled, type ScaleOutFlags, scaleOutOptions } from "../scaleout.ts";

/** `NAME=path.to.key=value`, the value read as YAML (so `3`, `round-robin` and `{ policy: random }` work). */
function collectVariant(text: string, previous: VariantSpec[]): VariantSpec[] {
  const first = text.indexOf("=");
  const second = first < 0 ? -1 : text.indexOf("=", first + 1);
  const name = text.slice(0, first);
  const path = second < 0 ? null : parseOverridePath(text.slice(first + 1, second));
  if (first <= 0 || second < 0 || path === null || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new InvalidArgumentError(
      `expected NAME=path.to.key=value, e.g. rr=mesh.defaults.loadBalancer.policy=round-robin, got "${text}"`,
    );
  }
  let value: unknown;
  try {
    value = parseYaml(text.slice(second + 1));
  } catch (error) {
    throw new InvalidArgumentError(
      `the value of variant ${name} is not valid YAML: ${(error as Error).message}`,
    );
  }
  const existing = previous.find((v) => v.name === name);
  if (existing !== undefined) {
    existing.set.push({ path, value });
    return previous;
  }
  return [...previous, { name, set: [{ path, value }] }];
}

/** A comma-separated list of names, e.g. `--only rr,p2c`. */
function parseNames(text: string): string[] {
  const names = text.split(",").map((n) => n.trim());
  if (names.some((n) => n === ""))
    throw new InvalidArgumentError(`expected NAME,NAME,..., got "${text}"`);
  return names;
}

export function compareCommand(program: Command): void {
  scaleOutOptions(
    experimentOptions(
      program
        .command("compare")
        .description(
          "run the scenario once per variant on the same seeds: each figure with its 95% interval, and paired differences against the baseline",
        )
        .argument("<file>", "scenario file (YAML or JSON); its compare: section lists variants")
        .option(
          "--variant <name=path=value>",
          "a variant: a value put at a path, e.g. rr=mesh.defaults.loadBalancer.policy=round-robin (repeatable)",
          collectVariant,
          [],
        )
        .option(
          "--baseline <name>",
          "the variant the others are compared with (default: the first)",
        )
        .option(
          "--only <names>",
          "run only these variants, comma-separated (of the file's and --variant's)",
          parseNames,
        )
        .option(
          "--no-file-variants",
          "leave out the file's own compare: variants (run --variant alone)",
        ),
      "runs per variant, seeds seed..seed+k-1 (default: compare.seeds or 1)",
      "comparison.json, compare.md, compare.csv, report.html and runs/",
    ),
  ).action(
    async (
      file: string,
      options: ExperimentFlags &
        ScaleOutFlags & {
          variant: VariantSpec[];
          baseline?: string;
          only?: string[];
          fileVariants: boolean;
        },
    ) => {
      const [{ compare }, { experimentJson }, flags, { withProgressAsync }] = await Promise.all([
        import("../../experiment/compare.ts"),
        import("../../experiment/outputs.ts"),
        import("../experimentFlags.ts"),
        import("../progress.ts"),
      ]);
      const started = performance.now();
      const comparison = await withProgressAsync(
        options.progress,
        flags.experimentProgress,
        (onProgress) =>
          runScaled(
            "compare",
            file,
            options,
            {
              ...experimentFlags(options),
              variants: options.variant,
              baseline: options.baseline,
              only: options.only,
              fileVariants: options.fileVariants,
              onProgress,
            },
            compare,
          ),
      );
      if (comparison === null) return; // one shard's part: nothing to print
      const runs = comparison.variants.length * comparison.seeds.length;
      process.stderr.write(
        `meshsim: ${runs} runs in ${((performance.now() - started) / 1000).toFixed(2)} s wall\n`,
      );
      if (options.out !== undefined)
        process.stderr.write(
          `meshsim: wrote comparison.json, compare.md, compare.csv, report.html and runs/ to ${options.out}\n`,
        );
      const { renderCompareTable } = await import("../../report/terminal/compareTable.ts");
      process.stdout.write(
        options.json ? experimentJson(comparison) : renderCompareTable(comparison),
      );
      process.exitCode = flags.precisionExitCode(comparison.variants.map((v) => v.precision));
    },
  );
}
