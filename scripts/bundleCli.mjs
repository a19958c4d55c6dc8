// The last step of `npm run build`: bundles the compiled CLI (dist/cli/main.js, which tsc has just
// written) with esbuild into dist/bin/, which bin/meshsim.js runs. About 25 chunks instead of ~370
// modules to a run's first event: Node resolves, reads and compiles far fewer files, and yaml's 45
// CommonJS files skip the CommonJS export scan, so a run starts in ~0.3 s of CPU instead of ~0.48 s
// (docs/package.md, docs/performance.md). Commands still import what they need when they run: each dynamic import
// becomes its own chunk. Packages off the start path (report, pools, queue, swarm) stay outside,
// loaded from node_modules as they are. The library (`exports`, dist/index.js) is not bundled.
// dist/bin/chunks.json lists the files each chunk holds (test/cli/lazyLoading.test.ts reads it).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const outdir = join(root, "dist/bin");
const distDir = join(root, "dist");

/** Loaded only by commands that need them (reports, pools, the queue, swarms): kept as they are. */
const EXTERNAL = [
  "vega",
  "vega-lite",
  "bullmq",
  "ioredis",
  "piscina",
  "cli-progress",
  "cli-table3",
  "fast-check",
  "tsx",
];

/**
 * Prometheus' PromQL grammar (@prometheus-io/lezer-promql and the @lezer packages under it),
 * which src/observe/alerts/promql/parser.ts requires (CommonJS, synchronously) the first time it
 * parses an expression, so a file without alert rules never loads it (21 of the 23 shipped
 * scenarios). Bundled on its own into dist/bin/promql.cjs, which the bundled parser requires
 * instead of the package: one file rather than four packages to resolve and read (~3 ms).
 */
const PROMQL = "@prometheus-io/lezer-promql";
const PROMQL_FILE = join(outdir, "promql.cjs");

/**
 * Every bundled module of dist/ keeps the URL of its own compiled file: `import.meta.url` becomes
 * that file's URL, found from the chunk's, so worker files (`new URL("./worker.js",
 * import.meta.url)`), package.json reads and the "running from sources?" checks work as unbundled.
 * Workers thus start from dist/'s files, in their own isolates, as before.
 */
const ownUrl = {
  name: "own-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(distDir + "/")) return undefined;
      let code = readFileSync(args.path, "utf8");
      if (code.includes(`(${JSON.stringify(PROMQL)})`)) {
        const bundled = relative(dirname(args.path), PROMQL_FILE).split("\\").join("/");
        code = code.replaceAll(`(${JSON.stringify(PROMQL)})`, `(${JSON.stringify(bundled)})`);
      }
      if (!code.includes("import.meta.url")) return { contents: code, loader: "js" };
      const fromChunk = relative(outdir, args.path).split("\\").join("/");
      const url = `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`;
      return {
        contents: code.replaceAll("import.meta.url", url),
        loader: "js",
        resolveDir: dirname(args.path),
      };
    });
  },
};

/**
 * zod's locale index (`z.locales`, 60-odd languages, ~370 kB of the bundle) is replaced by one
 * that holds English only: meshsim never calls `z.config(z.locales.xx())`, and zod's default
 * messages are English (classic/schemas.js imports locales/en.js itself). V8 parses every byte of a
 * loaded chunk, so the unused locales cost the start ~10 ms (docs/performance.md, 2026-12-07).
 */
const englishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";\n',
      loader: "js",
      resolveDir: dirname(args.path),
    }));
  },
};

const promql = await build({
  stdin: { contents: `module.exports = require(${JSON.stringify(PROMQL)});`, resolveDir: root },
  metafile: true,
  outfile: PROMQL_FILE,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  absWorkingDir: root,
  preserveSymlinks: true,
});

const result = await build({
  entryPoints: { main: join(distDir, "cli/main.js") },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: EXTERNAL,
  // Bundled CommonJS packages call require(); in an ES module it comes from createRequire.
  banner: {
    js: "import { createRequire as __meshsimRequire } from 'node:module'; const require = __meshsimRequire(import.meta.url);",
  },
  // No keepNames (it costs ~0.02 s of the start): meshsim's errors set their `name` explicitly,
  // and no bundled class that reads its own constructor's name (commander's errors) is renamed.
  metafile: true,
  logLevel: "warning",
  absWorkingDir: root,
  // Paths as seen from here even through a symlinked node_modules (the Dockerfile's dry run in
  // test/deploy links the repository's), so the chunks and their names are the same wherever built.
  preserveSymlinks: true,
  plugins: [ownUrl, englishOnly],
});
// Which files each chunk holds, paths relative to the repository (the same wherever it builds);
// promql.cjs among them.
const outputs = { ...result.metafile.outputs, ...promql.metafile.outputs };
const chunks = Object.fromEntries(
  Object.entries(outputs).map(([file, { inputs }]) => [
    relative(outdir, join(root, file)),
    Object.keys(inputs)
      .filter((input) => input !== "<stdin>")
      .sort(),
  ]),
);
writeFileSync(join(outdir, "chunks.json"), `${JSON.stringify(chunks, null, 1)}\n`);
