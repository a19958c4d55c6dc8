// Writes an output folder (--out DIR) all or nothing: the files go into a fresh staging folder
// beside DIR, then the folder as a whole is renamed into place. A previous DIR is first moved
// aside and removed only once the new one is in place, and put back if the rename fails, so a
// reader finds either the previous set or the complete new one, never a mix. The staging folder
// is removed on every failure path; abortOutputWrite() does the same from a signal handler.
// Leaves out power loss (no fsync) and SIGKILL, after which a dot-folder may be left beside DIR.
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";

/** Steps of a write, in order; a test may pause at each (see the CLI's MESHSIM_TEST_PAUSE_AT). */
export const WRITE_STAGES = ["staging", "staged", "moved-aside", "renamed"] as const;
export type WriteStage = (typeof WRITE_STAGES)[number];

export interface WriteHooks {
  /** Awaited at each stage; the CLI's tests pause there to kill the process. */
  pause?: (stage: WriteStage) => Promise<void>;
  /** Keep DIR's other files (`meshsim report` re-renders two files beside a run's result.json). */
  keepOthers?: boolean;
}

/** Why `dir` cannot take a run's outputs, or null: checked before a run, so no work is lost. */
export function outputDirProblem(dir: string): string | null {
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory()) {
    return `${dir} exists and is not a folder`;
  }
  // The folder is renamed into place: its parent (or the nearest existing ancestor, which the
  // parents are made in) must be a writable folder.
  let parent = dirname(target);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  if (!statSync(parent).isDirectory()) return `${parent} is not a folder`;
  try {
    accessSync(parent, constants.W_OK | constants.X_OK);
  } catch {
    return `cannot write into ${parent} (permission denied)`;
  }
  return null;
}

/** What a write in progress has made, so a signal handler can undo it. */
interface Pending {
  target: string;
  staging: string;
  aside: string | null;
  /** The staging folder is DIR now. */
  renamed: boolean;
}

let pending: Pending | null = null;

/**
 * Undoes the write in progress, if any (synchronous, for SIGINT/SIGTERM handlers): says what DIR
 * holds afterwards, the previous outputs (or none) or, once the rename is done, the new ones.
 */
export function abortOutputWrite(): "previous" | "new" | null {
  if (pending === null) return null;
  const { target, staging, aside } = pending;
  const { renamed } = pending;
  pending = null;
  rmSync(staging, { recursive: true, force: true });
  if (aside !== null) {
    if (existsSync(target)) rmSync(aside, { recursive: true, force: true });
    else renameSync(aside, target);
  }
  return renamed ? "new" : "previous";
}

export async function writeOutputDir(
  dir: string,
  files: Record<string, string>,
  hooks: WriteHooks = {},
): Promise<void> {
  const pause = hooks.pause ?? (async () => {});
  const target = resolve(dir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const state: Pending = {
    target,
    staging: mkdtempSync(join(parent, `.${basename(target)}.staging-`)),
    aside: null,
    renamed: false,
  };
  pending = state;
  try {
    await pause("staging");
    if (hooks.keepOthers === true && existsSync(target)) {
      cpSync(target, state.staging, {
        recursive: true,
        filter: (from) => !Object.hasOwn(files, relative(target, from)),
      });
    }
    for (const [name, content] of Object.entries(files))
      writeFileSync(join(state.staging, name), content);
    await pause("staged");
    if (existsSync(target)) {
      const aside = `${state.staging.replace(".staging-", ".previous-")}`;
      renameSync(target, aside);
      state.aside = aside;
      await pause("moved-aside");
    }
    renameSync(state.staging, target);
    state.renamed = true;
    await pause("renamed");
    if (state.aside !== null) rmSync(state.aside, { recursive: true, force: true });
    pending = null;
  } catch (error) {
    if (pending === state) abortOutputWrite();
    throw error;
  }
}
