// Finished runs under DIR/runs/, one file per run named by a hash of what decides its bytes (the
// scenario text, the values put at paths, the seed, and this format's version), written as each
// run completes (to a temporary name, then renamed, so a file there is always whole). A re-run
// with the same --out reads them back instead of running them again: an interrupted sweep resumes.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Assignment, type RunResult, renderPath, type Source } from "./source.ts";

/** Bump when a run result's bytes change for the same scenario and seed, so old files are not reused. */
const FORMAT = "meshsim-run-1";

export function runKey(source: Source, set: readonly Assignment[], seed: number): string {
  const identity = JSON.stringify([
    FORMAT,
    source.text,
    set.map((a) => [renderPath(a.path), a.value]),
    seed,
  ]);
  return createHash("sha256").update(identity).digest("hex").slice(0, 24);
}

export interface RunStore {
  /** The stored result of this run, or null when it has not finished before. */
  read(key: string): RunResult | null;
  write(key: string, result: RunResult): void;
}

export function runStore(dir: string): RunStore {
  mkdirSync(dir, { recursive: true });
  const path = (key: string) => join(dir, `${key}.json`);
  return {
    read(key) {
      let text: string;
      try {
        text = readFileSync(path(key), "utf8");
      } catch {
        return null;
      }
      try {
        const result = JSON.parse(text) as RunResult;
        return result.histograms === undefined ? null : result;
      } catch {
        return null; // not ours or damaged: run it again and overwrite it
      }
    },
    write(key, result) {
      const temporary = join(dir, `.${key}.tmp-${process.pid}`);
      writeFileSync(temporary, `${JSON.stringify(result, null, 2)}\n`);
      renameSync(temporary, path(key));
    },
  };
}
