// Writes a run's files under --out DIR all or nothing: everything is first written into a fresh
// temporary folder beside DIR, then each file is renamed into place, so a failed run or a crash
// mid-write never leaves a half-written result.json behind.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export function writeOutputs(dir: string, files: Record<string, string>): void {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  mkdirSync(target, { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.tmp-`));
  try {
    for (const [name, content] of Object.entries(files))
      writeFileSync(join(staging, name), content);
    for (const name of Object.keys(files)) renameSync(join(staging, name), join(target, name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
