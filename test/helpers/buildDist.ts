// Vitest global setup: the CLI tests run the real `meshsim` command (bin/meshsim.js, which runs the
// compiled dist/), so dist/ must match the sources. It is rebuilt (`npm run build`) when any file
// under src/, a tsconfig or package.json is newer than dist/bin/main.js, so a test never runs
// stale JavaScript, and an up-to-date dist/ (as `npm ci` leaves it) costs nothing.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
// The bundle is written last (scripts/bundleCli.mjs, after tsc).
const BUILT = join(root, "dist/bin/main.js");
const INPUTS = ["src", "tsconfig.json", "tsconfig.build.json", "package.json"];

/** The newest modification time under `path`, directories included (a deleted file changes its folder's). */
function newestMtimeMs(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path))
    newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

export function distIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  return INPUTS.some((input) => newestMtimeMs(join(root, input)) > built);
}

export default function setup(): void {
  if (!distIsStale()) return;
  const build = spawnSync("npm", ["run", "-s", "build"], { cwd: root, encoding: "utf8" });
  if (build.status === 0) return;
  // tsc emits despite type errors; `npm test` reports those in its type-check step, so a test run
  // of unrelated files goes on with a warning. Without the compiled CLI it cannot.
  const output = `${build.stdout ?? ""}${build.stderr ?? ""}${build.error?.message ?? ""}`;
  if (!existsSync(BUILT)) throw new Error(`npm run build failed and left no dist/:\n${output}`);
  console.warn(`npm run build reported errors (dist/ was emitted anyway):\n${output}`);
}
