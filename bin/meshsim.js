#!/usr/bin/env node
// Entry point of the `meshsim` command: runs the compiled CLI, bundled into dist/bin/ (`npm run
// build`: tsc into dist/, then scripts/bundleCli.mjs; `npm ci`, `npm pack` and `npm test` run it).
// Developers run the TypeScript sources with `npm run meshsim -- ...` (tsx) instead; users never
// need tsx.
import { existsSync } from "node:fs";

const main = new URL("../dist/bin/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    "meshsim: dist/bin/main.js is missing: run `npm run build` first (or `npm run meshsim -- ...` to run the sources)\n",
  );
  process.exit(1);
}
await import(main.href);
