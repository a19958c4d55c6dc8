// The published package, as a user gets it: `npm pack` makes the tarball, a scratch project outside
// the repository installs it with `npm ci --offline` (its lockfile lists the tarball and the
// package's runtime dependencies as the repository's lockfile pins them, so npm takes every
// tarball from the cache that `npm ci` filled: no network), then imports every entry of the
// `exports` map, runs a scenario through the library API, type-checks a consumer against the
// shipped .d.ts, and runs the installed `meshsim` bin. dist/ is fresh (test/helpers/buildDist.ts).
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultJson } from "../../src/run/files.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/loader.ts";

const root = resolve(import.meta.dirname, "../..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const TINY = `version: 1
name: tiny
seed: 3
duration: 200s
warmup: 0s
network:
  latency: 0ms
services:
  server:
    instances: 2
    concurrency: 1
    operations:
      work:
        serviceTime: exp(1s)
load:
  - name: customers
    executor: constant-arrival-rate
    rate: 1.2
    timeUnit: 1s
    target: server.work
`;

/** The library API from outside: every export path imported, then a run of tiny.yaml printed as result JSON. */
const SMOKE = `import { readFileSync } from "node:fs";
import * as meshsim from "meshsim";
const pkg = JSON.parse(readFileSync(new URL("./node_modules/meshsim/package.json", import.meta.url), "utf8"));
const entries = {};
for (const path of Object.keys(pkg.exports)) {
  if (path.endsWith(".json")) continue;
  const specifier = path === "." ? "meshsim" : \`meshsim/\${path.slice(2)}\`;
  entries[specifier] = Object.keys(await import(specifier)).length;
}
process.stderr.write(JSON.stringify(entries) + "\\n");
const scenario = meshsim.parseScenario(readFileSync("tiny.yaml", "utf8"), "tiny.yaml");
process.stdout.write(\`\${JSON.stringify(meshsim.runScenario(scenario), null, 2)}\\n\`);
`;

/** A TypeScript consumer: the `types` condition must resolve, and the result type must be the real one. */
const CONSUMER_TS = `import { parseScenario, runScenario } from "meshsim";
import { type Invariant, runChecked } from "meshsim/testing";
const result = runScenario(parseScenario("version: 1", "inline.yaml"));
const mine: Invariant = { name: "mine", watch: () => ({ end: (r) => (r.events > 0 ? null : { message: "no events" }) }) };
const checked = runChecked(parseScenario("version: 1", "inline.yaml"), { invariants: [mine] });
const broken: string | undefined = checked.violation?.invariant;
const offered: number = result.load["customers"].offered;
// @ts-expect-error: the result is typed, so a field that does not exist is an error
result.noSuchField;
export { offered, broken };
`;

/** npm as a user runs it: none of the npm_* settings of the \`npm test\` that may have started us, except where the cache is. */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(cache|userconfig|globalconfig|cafile|registry)$/i;
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || keep.test(key)),
  );
}

function sh(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, env: npmEnv(), encoding: "utf8", maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout ?? "", stderr: `${r.stderr ?? ""}${r.error ?? ""}` };
}

/** The scratch project's lockfile: the tarball, and the repository's pins of everything it needs at run time. */
function scratchLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
  const packages: Record<string, unknown> = {
    "": { name: "scratch", dependencies: { meshsim: `file:${tarball}` } },
    "node_modules/meshsim": {
      version: manifest.version,
      resolved: `file:${tarball}`,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages as Record<string, { dev?: boolean }>)) {
    if (path !== "" && entry.dev !== true) packages[path] = entry;
  }
  return { name: "scratch", lockfileVersion: 3, requires: true, packages };
}

let scratch = "";
const app = () => join(scratch, "app");

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "meshsim-pack-"));
  // --ignore-scripts: "prepare" would rebuild the dist/ that the global setup just made current.
  const packed = sh(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch],
    root,
  );
  expect(packed.code, packed.stderr).toBe(0);
  const [{ filename }] = JSON.parse(packed.stdout) as { filename: string }[];
  const tarball = `../${filename}`;
  mkdirSync(app());
  const write = (name: string, text: string) => writeFileSync(join(app(), name), text);
  write(
    "package.json",
    JSON.stringify({
      name: "scratch",
      private: true,
      type: "module",
      dependencies: { meshsim: `file:${tarball}` },
    }),
  );
  write("package-lock.json", JSON.stringify(scratchLock(tarball), null, 2));
  write("tiny.yaml", TINY);
  write("smoke.mjs", SMOKE);
  write("consumer.ts", CONSUMER_TS);
  // The CI example (examples/ci-property-test/): its property test and the scenario it checks.
  for (const file of ["checkout.property.test.ts", "checkout.yaml"])
    cpSync(join(root, "examples/ci-property-test", file), join(app(), file), { dereference: true });
  write(
    "tsconfig.json",
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      files: ["consumer.ts"],
    }),
  );
  const installed = sh("npm", ["ci", "--offline", "--no-audit", "--no-fund"], app());
  expect(installed.code, installed.stderr).toBe(0);
}, 300_000);

afterAll(() => {
  if (scratch !== "") rmSync(scratch, { recursive: true, force: true });
}, 120_000);

/** The run result of tiny.yaml, from the sources in this process: what the package must reproduce to the byte. */
const expected = () => resultJson(runScenario(parseScenario(TINY, "tiny.yaml")));

describe("the packed meshsim, installed offline into a scratch project", () => {
  it("ships the compiled JavaScript, its types and the bin, and leaves tsx and the tests behind", () => {
    const installed = join(app(), "node_modules");
    for (const file of [
      "meshsim/dist/index.js",
      "meshsim/dist/index.d.ts",
      "meshsim/bin/meshsim.js",
    ]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    expect(existsSync(join(installed, "meshsim/test"))).toBe(false);
    expect(existsSync(join(installed, "tsx"))).toBe(false);
    expect(existsSync(join(installed, "typescript"))).toBe(false);
  });

  it("imports every entry of the exports map and runs a scenario with the library, byte for byte as the sources do", () => {
    const r = sh(process.execPath, ["smoke.mjs"], app());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(expected());
    expect(JSON.parse(r.stdout).load.customers.offered).toBeGreaterThan(150);
  });

  it("runs the CI example's property test against meshsim/testing from the tarball", () => {
    const vitest = join(root, "node_modules/vitest/vitest.mjs");
    const r = sh(
      process.execPath,
      [vitest, "run", "--root", app(), "checkout.property.test.ts"],
      app(),
    );
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/1 passed/);
    const testing = sh(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'import("meshsim/testing").then((t) => console.log(Object.keys(t).sort().join(",")))',
      ],
      app(),
    );
    expect(testing.stdout).toMatch(/(^|,)swarm(,|$)/);
    expect(testing.stdout).toMatch(/(^|,)faultTimeline(,|$)/);
    expect(testing.stdout).toMatch(/(^|,)check(,|$)/);
  }, 300_000);

  it("type-checks a TypeScript consumer against the shipped declarations", () => {
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    const r = sh(process.execPath, [tsc, "-p", "tsconfig.json"], app());
    expect(`${r.stdout}${r.stderr}`).toBe("");
    expect(r.code).toBe(0);
  });

  it("runs the installed meshsim command: help, validate, run --json and run --out with its HTML report", () => {
    const bin = join(app(), "node_modules/.bin/meshsim");
    const help = sh(bin, ["--help"], app());
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: meshsim/);
    const valid = sh(bin, ["validate", "tiny.yaml"], app());
    expect(valid.stdout).toBe("tiny.yaml: ok (scenario tiny, 1 service, 1 load)\n");
    const run = sh(bin, ["run", "tiny.yaml", "--json", "--no-progress"], app());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(expected());
    const out = sh(bin, ["run", "tiny.yaml", "--out", "out", "--no-progress"], app());
    expect(out.code, out.stderr).toBe(0);
    expect(readFileSync(join(app(), "out/report.html"), "utf8")).toContain("<svg");
  });
});
