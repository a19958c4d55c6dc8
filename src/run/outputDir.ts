// Writes an output folder (--out DIR) all or nothing: the files go into a fresh staging folder
// beside DIR, then the folder as a whole is renamed into place. A previous DIR is first moved
// aside and removed only once the new one is in place, and put back if the rename fails, so a
// reader finds either the previous set or the complete new one, never a mix. The staging folder
// is removed on every failure path; abortOutputWrite() does the same from a signal handler. What
// a SIGKILL leaves beside DIR is swept by the next write to DIR (sweepLeftovers). No fsync.
import {
  accessSync,
  constants,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** Steps of a write, in order; a test may pause at each (see the CLI's MESHSIM_TEST_PAUSE_AT). */
export const WRITE_STAGES = ["staging", "staged", "moved-aside", "renamed"] as const;
export type WriteStage = (typeof WRITE_STAGES)[number];

export interface WriteHooks {
  /** Awaited at each stage; the CLI's tests pause there to kill the process. */
  pause?: (stage: WriteStage) => Promise<void>;
  /**
   * Keep DIR's other files and folders: `meshsim report` re-renders two files beside a run's
   * result.json, and sweep/compare/capacity write their summaries beside the runs/ they stored.
   * They are hard-linked into the staging folder (copied where links fail), not copied byte by byte.
   */
  keepOthers?: boolean;
  /** Called as the write starts; what it returns is called when it ends (the CLI traps signals between). */
  guard?: (dir: string) => () => void;
}

let defaults: Pick<WriteHooks, "pause" | "guard"> = {};

/** Pause and guard hooks every later write uses unless it passes its own (the CLI sets them once). */
export function setWriteDefaults(hooks: Pick<WriteHooks, "pause" | "guard">): void {
  defaults = hooks;
}

/**
 * A leftover whose owning process is gone is swept at once; one whose pid is alive (or unknown,
 * from an older meshsim) only after this long, since that pid may belong to another process now
 * or the write may still be going on.
 */
export const LEFTOVER_MAX_AGE_MS = 24 * 60 * 60 * 1000;

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

/** `.DIR.staging-PID-XXXXXX` and `.DIR.previous-PID-XXXXXX`: the pid says whose they are. */
function leftoverPrefix(target: string, kind: "staging" | "previous", pid?: number): string {
  return `.${basename(target)}.${kind}-${pid === undefined ? "" : `${pid}-`}`;
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Removes the staging and moved-aside folders that earlier writes to `dir` left behind (a SIGKILL,
 * a power cut): those whose pid is gone, or older than LEFTOVER_MAX_AGE_MS. A moved-aside folder
 * is the previous complete set: when DIR itself is missing (killed between the two renames), the
 * newest one is put back as DIR instead of being removed. `now` is in the file system's time (a
 * fresh file's mtime), as the leftovers' ages are. Returns the names it swept.
 */
export function sweepLeftovers(dir: string, now: number): string[] {
  const target = resolve(dir);
  const parent = dirname(target);
  if (!existsSync(parent)) return [];
  const kinds = ["staging", "previous"] as const;
  const stale: { name: string; kind: (typeof kinds)[number]; mtimeMs: number }[] = [];
  for (const name of readdirSync(parent)) {
    const kind = kinds.find((k) => name.startsWith(leftoverPrefix(target, k)));
    if (kind === undefined) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(leftoverPrefix(target, kind).length))?.[1]);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(join(parent, name)).mtimeMs;
    } catch {
      continue; // removed meanwhile by its owner
    }
    const owned = Number.isSafeInteger(pid) && pid !== process.pid && processGone(pid);
    if (owned || now - mtimeMs > LEFTOVER_MAX_AGE_MS) stale.push({ name, kind, mtimeMs });
  }
  const previous = stale.filter((s) => s.kind === "previous").sort((a, b) => b.mtimeMs - a.mtimeMs);
  if (!existsSync(target) && previous.length > 0) {
    renameSync(join(parent, previous[0].name), target);
    previous.shift();
  }
  const removed = stale.filter((s) => s.kind === "staging").concat(previous);
  for (const s of removed) rmSync(join(parent, s.name), { recursive: true, force: true });
  return stale.map((s) => s.name);
}

/** `from`'s entries into `to`, hard-linked (copied where a link fails), leaving out `skip`'s top-level names. */
function linkTree(from: string, to: string, skip: ReadonlySet<string> = new Set()): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const source = join(from, entry.name);
    const copy = join(to, entry.name);
    if (entry.isDirectory()) {
      mkdirSync(copy);
      linkTree(source, copy);
    } else if (entry.isSymbolicLink()) {
      symlinkSync(readlinkSync(source), copy);
    } else {
      try {
        linkSync(source, copy);
      } catch {
        copyFileSync(source, copy);
      }
    }
  }
}

export async function writeOutputDir(
  dir: string,
  files: Record<string, string>,
  hooks: WriteHooks = {},
): Promise<void> {
  const pause = hooks.pause ?? defaults.pause ?? (async () => {});
  const release = (hooks.guard ?? defaults.guard)?.(dir) ?? (() => {});
  const target = resolve(dir);
  const parent = dirname(target);
  try {
    mkdirSync(parent, { recursive: true });
    const staging = mkdtempSync(join(parent, leftoverPrefix(target, "staging", process.pid)));
    sweepLeftovers(target, statSync(staging).mtimeMs);
    const state: Pending = { target, staging, aside: null, renamed: false };
    pending = state;
    try {
      await pause("staging");
      if (hooks.keepOthers === true && existsSync(target)) {
        linkTree(target, staging, new Set(Object.keys(files)));
      }
      for (const [name, content] of Object.entries(files))
        writeFileSync(join(staging, name), content);
      await pause("staged");
      if (existsSync(target)) {
        const aside = join(
          parent,
          basename(staging).replace(
            leftoverPrefix(target, "staging"),
            leftoverPrefix(target, "previous"),
          ),
        );
        renameSync(target, aside);
        state.aside = aside;
        await pause("moved-aside");
      }
      renameSync(staging, target);
      state.renamed = true;
      await pause("renamed");
      if (state.aside !== null) rmSync(state.aside, { recursive: true, force: true });
      pending = null;
    } catch (error) {
      if (pending === state) abortOutputWrite();
      throw error;
    }
  } finally {
    release();
  }
}
