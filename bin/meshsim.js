#!/usr/bin/env node
// Entry point of the `meshsim` command: runs the compiled CLI in dist/ (`npm run build`, which
// `npm ci`, `npm pack` and `npm test` run). Developers run the TypeScript sources with
// `npm run meshsim -- ...` (tsx) instead; users never need tsx.
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    "meshsim: dist/cli/main.js is missing: run `npm run build` first (or `npm run meshsim -- ...` to run the sources)\n",
  );
  process.exit(1);
}
await import(main.href);
