// Every docs page names only scenario fields, meshsim commands and options, repository files and
// anchors that exist (references.ts says what counts as naming one), and the README's commands
// table and design.md's layer table say what the program and .dependency-cruiser.cjs do. The
// checker itself is shown to catch a made-up field, command, option, path and anchor, and to leave
// prose alone.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { beforeAll, describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "../../src/index.ts";
import { checkPage, type Problem, parsePage, type Reference, runResultTree } from "./references.ts";

const root = resolve(import.meta.dirname, "../..");

/** The pages the docs are made of. */
function pages(): string[] {
  const docs = readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => join(root, "docs", f));
  return [join(root, "README.md"), ...docs.sort(), join(root, "reports/README.md")];
}

/**
 * The commander program of src/cli/main.ts. Importing main.ts also runs it once with the process's
 * arguments, so they are set to `help` and its output is swallowed while it does.
 */
async function meshsimProgram(): Promise<Command> {
  const { argv, exitCode } = process;
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.argv = [argv[0], "meshsim", "help"];
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const { buildProgram } = await import("../../src/cli/main.ts");
    return buildProgram();
  } finally {
    process.argv = argv;
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = exitCode;
  }
}

let reference: Reference;
let program: Command;

beforeAll(async () => {
  program = await meshsimProgram();
  const commands = new Map<string, Set<string>>();
  for (const command of program.commands) {
    commands.set(command.name(), new Set(command.options.map((o) => o.long ?? "")));
  }
  commands.set("help", new Set());
  reference = {
    root,
    schema: scenarioJsonSchema(),
    result: runResultTree(root),
    commands,
  };
}, 60_000);

const anchorsOf = (file: string) => {
  try {
    return parsePage(readFileSync(file, "utf8")).anchors;
  } catch {
    return null;
  }
};

function check(text: string, file = join(root, "docs/example.md")): Problem[] {
  return checkPage(reference, file, text, anchorsOf);
}

const render = (problems: Problem[]) =>
  problems.map((p) => `${p.page}:${p.line}: ${p.what} ${p.name}: ${p.message}`);

describe("the docs name only what exists", () => {
  it.each(pages().map((p) => [p.slice(root.length + 1), p]))("%s", (_name, file) => {
    expect(render(check(readFileSync(file, "utf8"), file))).toEqual([]);
  });
});

describe("the checker", () => {
  it("catches a made-up scenario field, in a span, a field table and a YAML example", () => {
    const problems = check(
      [
        "Set `services.<name>.concurency` and `mesh.defaults.retries.attempts`.",
        "",
        "| field | meaning |",
        "| --- | --- |",
        "| `inFlite` | made up |",
        "| `load.<name>.offered / completed / faild` | one made up |",
        "",
        "```yaml",
        "services:",
        "  server: { instancez: 2, concurrency: 1 }",
        "```",
      ].join("\n"),
    );
    expect(problems.map((p) => [p.what, p.name])).toEqual([
      ["field", "services.<name>.concurency"],
      ["field", "inFlite"],
      ["field", "load.<name>.faild"],
      ["field", "services.server.instancez"],
    ]);
  });

  it("catches a made-up command and option, in a span and in a shell block", () => {
    const problems = check(
      [
        "Run `meshsim frobnicate x.yaml`, `meshsim run x.yaml --turbo` or `--warp`.",
        "```sh",
        "npx meshsim compare scenarios/mm1.yaml --seeds 2 --jsn   # a typo",
        "```",
      ].join("\n"),
    );
    expect(problems.map((p) => [p.what, p.name])).toEqual([
      ["command", "frobnicate"],
      ["option", "--turbo"],
      ["option", "--warp"],
      ["option", "--jsn"],
    ]);
  });

  it("catches a made-up file, link and anchor", () => {
    const problems = check(
      [
        "See `src/mesh/nothing.ts`, [the design](design.md#no-such-heading), [gone](gone.md)",
        "and [here](#nowhere).",
        "```sh",
        "npx tsx scripts/missing.ts",
        "```",
      ].join("\n"),
    );
    expect(problems.map((p) => [p.what, p.name])).toEqual([
      ["path", "src/mesh/nothing.ts"],
      ["path", "scripts/missing.ts"],
      ["link", "design.md#no-such-heading"],
      ["link", "gone.md"],
      ["link", "#nowhere"],
    ]);
  });

  it("leaves prose, outputs, values and real names alone", () => {
    const problems = check(
      [
        "# Notes",
        "The run's `seed`, `load:shoppers`, `report.md`, `metrics.prom`, `reports/latest/`,",
        "`meshsim_load_requests`, `kind: config-push`, `cluster.local`, `server.work`, `exp(20ms)`,",
        '`test/golden/<scenario>.json`, `scenarios/*.yaml`, `result.metrics`, `edges["caller->service"]`,',
        "`tracing.criticalPath.shoppers`, `meshsim run FILE --seed N --out DIR`, `npm run meshsim -- ...`,",
        "[up](#notes), [design](design.md#layers). meshsim frobnicates in prose, --turbo too.",
        "```",
        "bad.yaml:13:5: services.server.concurency: an error message quoted in a plain block",
        "```",
      ].join("\n"),
    );
    expect(render(problems)).toEqual([]);
  });
});

describe("the README's commands table", () => {
  it("lists every command of the program with every option", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Commands"), readme.indexOf("Exit codes"));
    for (const command of program.commands) {
      if (command.name() === "help") continue;
      const row = table
        .split("\n")
        .find((l) => new RegExp(`^\\| \`meshsim ${command.name()}[ \`]`).test(l));
      expect(
        row,
        `the README's commands table has no row for meshsim ${command.name()}`,
      ).toBeDefined();
      for (const option of command.options) {
        expect(row, `meshsim ${command.name()}'s row lacks ${option.long}`).toContain(
          `${option.long}`,
        );
      }
    }
  });
});

describe("design.md's layer table", () => {
  it("is the import rules .dependency-cruiser.cjs enforces", () => {
    const config = createRequire(import.meta.url)(join(root, ".dependency-cruiser.cjs")) as {
      forbidden: { name: string; to: { pathNot?: string[] } }[];
    };
    const rules = Object.fromEntries(
      config.forbidden
        .filter((r) => r.name.startsWith("layer-"))
        .map((r) => {
          const room = r.name.slice("layer-".length);
          const may = (r.to.pathNot ?? [])
            .map((p) => /^\^src\/\(([a-z]+)\)\/$/.exec(p)?.[1])
            .filter((x): x is string => x !== undefined);
          return [room, may.join(", ") || "nothing of ours"];
        }),
    );
    const design = readFileSync(join(root, "docs/design.md"), "utf8");
    const documented = Object.fromEntries(
      [...design.matchAll(/^\| `([a-z]+)` \| ([a-z, ]+) \|$/gm)].map((m) => [m[1], m[2]]),
    );
    expect(documented).toEqual(rules);
  });
});
