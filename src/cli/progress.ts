// Progress of long runs on stderr: a cli-progress bar (simulated time, events/s, ETA) when stderr
// is a terminal, otherwise a plain line every 5 s of wall time, so only runs longer than that
// print any. The only module that reads the wall clock and `isTTY`; the simulation hands it
// snapshots between slices of events (src/run/progress.ts) and never sees a wall-clock value.
import { createRequire } from "node:module";
import type cliProgress from "cli-progress";
import type { RunProgress } from "../run/progress.ts";

/** What the renderers show: one run, or an experiment's runs together. */
export interface ProgressSnapshot {
  /** `runs 3/12`, or empty for a single run. */
  label: string;
  /** Fraction of the whole command done, 0 to 1. */
  fraction: number;
  nowMs: number;
  durationMs: number;
  /** Events of the whole command so far. */
  events: number;
}

export interface ProgressReporter {
  update(snapshot: ProgressSnapshot): void;
  /** Takes the bar off the screen; call before printing anything else to stderr. */
  finish(): void;
}

/** A line every `intervalMs` of wall time; the first after `intervalMs`, so short runs print none. */
export const LINE_INTERVAL_MS = 5000;
/** The bar appears only once a run has taken this long, so quick runs do not flash one. */
const BAR_DELAY_MS = 1000;

export function runSnapshot(p: RunProgress): ProgressSnapshot {
  return {
    label: "",
    fraction: simFraction(p),
    nowMs: p.nowMs,
    durationMs: p.durationMs,
    events: p.events,
  };
}

function simFraction(p: RunProgress): number {
  return p.durationMs > 0 ? Math.min(1, p.nowMs / p.durationMs) : 1;
}

/** The parts of a progress line, given the wall time since the command started. */
function progressFields(
  s: ProgressSnapshot,
  elapsedMs: number,
): { sim: string; rate: string; eta: string } {
  const digits = s.durationMs < 10_000 ? 1 : 0;
  const seconds = (ms: number) =>
    (Math.floor((ms / 1000) * 10 ** digits) / 10 ** digits).toFixed(digits);
  const eta =
    s.fraction > 0 && elapsedMs > 0
      ? formatWallDuration((elapsedMs * (1 - s.fraction)) / s.fraction)
      : "?";
  return {
    sim: `${seconds(s.nowMs)}s/${seconds(s.durationMs)}s`,
    rate: elapsedMs > 0 ? formatCount((s.events * 1000) / elapsedMs) : "?",
    eta,
  };
}

/** `run 3/12 variant=rr seed=2: sim 312s/1200s (26%), ETA 14s, 1.21M events/s` */
export function formatProgressLine(s: ProgressSnapshot, elapsedMs: number): string {
  const f = progressFields(s, elapsedMs);
  const body = `sim ${f.sim} (${percent(s)}%), ETA ${f.eta}, ${f.rate} events/s`;
  return s.label === "" ? body : `${s.label}: ${body}`;
}

/**
 * `run 3/12 variant=rr seed=2 [=====---------] 26% | sim 312s/1200s | ETA 14s | 1.21M events/s`,
 * fitted to `columns`: the bar shrinks, then goes, then the fields at the right go, so the line
 * never wraps (a wrapped line cannot be redrawn in place).
 */
export function formatBarLine(s: ProgressSnapshot, elapsedMs: number, columns: number): string {
  const f = progressFields(s, elapsedMs);
  const prefix = s.label === "" ? "" : `${s.label} `;
  const fields = [`${percent(s)}%`, `sim ${f.sim}`, `ETA ${f.eta}`, `${f.rate} events/s`];
  const fits = columns - 1;
  for (let k = fields.length; k >= 1; k--) {
    const tail = fields.slice(0, k).join(" | ");
    const room = fits - prefix.length - tail.length - 3;
    if (room >= 10) return `${prefix}[${bar(s.fraction, Math.min(30, room))}] ${tail}`;
    if (prefix.length + tail.length <= fits) return prefix + tail;
  }
  return (prefix + fields[0]).slice(0, Math.max(0, fits));
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return "=".repeat(filled) + "-".repeat(width - filled);
}

function percent(s: ProgressSnapshot): number {
  return Math.floor(s.fraction * 100);
}

/** 3 significant digits with k/M/G: 950, 12.3k, 1.21M. */
export function formatCount(n: number): string {
  const units = ["", "k", "M", "G"];
  let unit = 0;
  while (n >= 999.5 && unit < units.length - 1) {
    n /= 1000;
    unit++;
  }
  return unit === 0 ? String(Math.round(n)) : `${n.toPrecision(3)}${units[unit]}`;
}

/** 14s, 2m05s, 1h02m. */
export function formatWallDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Plain lines for a log or a pipe. `clock` is wall milliseconds; the start is its first reading. */
export function createLineReporter(
  clock: () => number,
  write: (text: string) => void,
  intervalMs = LINE_INTERVAL_MS,
): ProgressReporter {
  const start = clock();
  let lastLine = start;
  return {
    update(snapshot) {
      const now = clock();
      if (now - lastLine < intervalMs) return;
      lastLine = now;
      write(`meshsim: ${formatProgressLine(snapshot, now - start)}\n`);
    },
    finish() {},
  };
}

/** A bar redrawn in place by cli-progress (a few times a second at most), cleared at the end. */
export function createBarReporter(
  clock: () => number,
  stream: NodeJS.WriteStream,
): ProgressReporter {
  const start = clock();
  // Loaded here, not with the module: only a run shown on a terminal draws a bar (cli-progress is
  // CommonJS, so a synchronous require serves).
  const { SingleBar } = createRequire(import.meta.url)("cli-progress") as typeof cliProgress;
  // No hidden cursor, no line-wrap change and no signal handlers: the run blocks the event loop,
  // so a handler could not restore the terminal on Ctrl-C, and would keep Ctrl-C from stopping it.
  const progressBar = new SingleBar({
    stream,
    format: (_options, params, payload: { snapshot: ProgressSnapshot; elapsedMs: number }) =>
      formatBarLine(payload.snapshot, payload.elapsedMs, params.maxWidth),
    linewrap: true,
    clearOnComplete: true,
    hideCursor: false,
    gracefulExit: false,
  });
  let shown = false;
  return {
    update(snapshot) {
      const elapsedMs = clock() - start;
      if (!shown && elapsedMs < BAR_DELAY_MS) return;
      const value = Math.round(snapshot.fraction * 1000);
      if (shown) progressBar.update(value, { snapshot, elapsedMs });
      else progressBar.start(1000, value, { snapshot, elapsedMs });
      shown = true;
    },
    finish() {
      if (shown) progressBar.stop();
    },
  };
}

/** The reporter for this process's stderr, or null when progress is off. */
export function createProgressReporter(enabled: boolean): ProgressReporter | null {
  if (!enabled) return null;
  const clock = () => performance.now();
  if (process.stderr.isTTY) return createBarReporter(clock, process.stderr);
  return createLineReporter(clock, (text) => process.stderr.write(text));
}

/** Runs `work` with a watcher that feeds the reporter, and takes the bar away however it ends. */
export function withProgress<P, T>(
  enabled: boolean,
  toSnapshot: (p: P) => ProgressSnapshot,
  work: (watch: ((p: P) => void) | undefined) => T,
): T {
  const reporter = createProgressReporter(enabled);
  if (reporter === null) return work(undefined);
  try {
    return work((p) => reporter.update(toSnapshot(p)));
  } finally {
    reporter.finish();
  }
}

/** withProgress for work that returns a promise: the bar goes when the promise settles. */
export async function withProgressAsync<P, T>(
  enabled: boolean,
  toSnapshot: (p: P) => ProgressSnapshot,
  work: (watch: ((p: P) => void) | undefined) => Promise<T>,
): Promise<T> {
  const reporter = createProgressReporter(enabled);
  if (reporter === null) return work(undefined);
  try {
    return await work((p) => reporter.update(toSnapshot(p)));
  } finally {
    reporter.finish();
  }
}
