// The command loads the HTML report's renderers (vega, vega-lite: about 0.25 s of CPU) only when it
// writes a report, and the loader only for commands that read a scenario. Checked by the modules a
// process resolves (a module.register hook lists them on stderr), never by timing. The command runs
// the bundle in dist/bin/: each chunk it resolves stands for the files dist/bin/chunks.json lists.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { bin, root } from "../helpers/cli.ts";

const scratch = mkdtempSync(join(tmpdir(), "meshsim-lazy-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const MARK = "meshsim-test-resolved ";
const tiny = join(scratch, "tiny.yaml");
writeFileSync(
  tiny,
  `version: 1
name: tiny
seed: 1
duration: 60s
services:
  server:
    instances: 1
    concurrency: 1
    operations:
      work:
        serviceTime: exp(100ms)
load:
  - name: customers
    executor: constant-arrival-rate
    rate: 5
    target: server.work
`,
);
writeFileSync(
  join(scratch, "hooks.mjs"),
  `export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  process.stderr.write(${JSON.stringify(MARK)} + resolved.url + "\\n");
  return resolved;
}
`,
);
writeFileSync(
  join(scratch, "register.mjs"),
  `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`,
);

/** The files each chunk of the bundle holds (scripts/bundleCli.mjs writes the list). */
const chunks = JSON.parse(readFileSync(join(root, "dist/bin/chunks.json"), "utf8")) as Record<
  string,
  string[]
>;

/**
 * The files and packages a `meshsim` process resolved, as paths relative to the repository: a
 * chunk of the bundle as the files it holds, a package outside the bundle as itself.
 */
function resolvedBy(...args: string[]): string[] {
  return resolvedFiles(...args).flatMap((path) =>
    path.startsWith("dist/bin/") ? bundled(path.slice(9)) : [path],
  );
}

// The CommonJS files a process required (the module hooks above see ES imports only), at its exit.
writeFileSync(
  join(scratch, "required.mjs"),
  `import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
const cache = createRequire(import.meta.url).cache;
process.on("exit", () => {
  for (const file of Object.keys(cache))
    process.stderr.write(${JSON.stringify(MARK)} + pathToFileURL(file).href + "\\n");
});
`,
);

/** The files a `meshsim` process resolved, as they are on disk (chunks of the bundle as chunks). */
function resolvedFiles(...args: string[]): string[] {
  const register = pathToFileURL(join(scratch, "register.mjs")).href;
  const required = pathToFileURL(join(scratch, "required.mjs")).href;
  const preload = ["--import", register, "--import", required];
  const r = spawnSync(process.execPath, [...preload, bin, ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  expect(r.status, r.stderr).toBe(0);
  const prefix = `${pathToFileURL(root).href}/`;
  return r.stderr
    .split("\n")
    .filter((line) => line.startsWith(MARK))
    .map((line) => line.slice(MARK.length).replace(prefix, ""));
}

function bundled(chunk: string): string[] {
  const files = chunks[chunk];
  expect(files, `${chunk} is not in dist/bin/chunks.json`).toBeDefined();
  return files;
}

const vega = (paths: string[]) =>
  paths.filter((p) => /^node_modules\/vega(-lite)?\//.test(p) || p.startsWith("dist/report/html/"));

describe("what each meshsim command loads", () => {
  it("runs the bundle: no module of dist/ outside it", () => {
    const files = resolvedFiles("run", tiny, "--json", "--no-progress");
    expect(files).toContain("dist/bin/main.js");
    expect(files.filter((p) => p.startsWith("dist/") && !p.startsWith("dist/bin/"))).toEqual([]);
  });

  it("--help loads neither the scenario loader nor the simulator nor any renderer", () => {
    const paths = resolvedBy("--help");
    expect(paths).toContain("dist/cli/main.js");
    expect(paths.filter((p) => /^dist\/(scenario\/loader|run|report)\b/.test(p))).toEqual([]);
    expect(paths.filter((p) => p.startsWith("node_modules/zod/"))).toEqual([]);
  });

  it("validate and run --json load the loader and the simulator but no chart code", () => {
    const validate = resolvedBy("validate", tiny);
    expect(validate).toContain("dist/scenario/loader.js");
    expect(vega(validate)).toEqual([]);
    const run = resolvedBy("run", tiny, "--json", "--no-progress");
    expect(run).toContain("dist/run/runScenario.js");
    expect(vega(run)).toEqual([]);
  });

  it("loads Prometheus' PromQL grammar only for a file with alert rules", () => {
    const grammar = (paths: string[]) => paths.filter((p) => p.includes("lezer-promql"));
    expect(grammar(resolvedBy("validate", tiny))).toEqual([]);
    // The bundle's own copy (scripts/bundleCli.mjs), not the package's four files.
    const checkout = resolvedFiles("validate", join(root, "scenarios/checkout.yaml"));
    expect(checkout).toContain("dist/bin/promql.cjs");
    expect(grammar(checkout)).toEqual([]);
    expect(grammar(bundled("promql.cjs"))).toEqual([
      "node_modules/@prometheus-io/lezer-promql/dist/index.cjs",
    ]);
  });

  it("run --out loads vega and the HTML report, which it writes", () => {
    const out = join(scratch, "out");
    const paths = resolvedBy("run", tiny, "--out", out, "--no-progress");
    expect(paths).toContain("dist/report/html/runReport.js");
    expect(paths.filter((p) => p.startsWith("node_modules/vega/"))).not.toEqual([]);
    expect(existsSync(join(out, "report.html"))).toBe(true);
  });
});
