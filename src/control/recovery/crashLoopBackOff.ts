// Kubernetes CrashLoopBackOff: how long the kubelet waits before restarting a container that exited
// (restartPolicy Always). Follows the kubelet's doBackOff (pkg/kubelet/kuberuntime) over client-go's
// flowcontrol.Backoff with the kubelet's defaults: initial 10 s, doubling, capped at
// MaxContainerBackOff 300 s, no jitter. Left out: the alpha gates of KEP-4603 (1 s initial, a
// configurable cap), restartPolicy OnFailure/Never, the pod worker's sync granularity (here the
// restart happens the moment the back-off runs out).
//
// The kubelet's rules, kept exactly:
// - The back-off entry is created on the first restart, so the first crash restarts at once (delay 0)
//   and the entry starts at 10 s. Each later crash waits the entry's back-off, measured from the crash,
//   and the restart doubles it (capped): 0, 10, 20, 40, 80, 160, 300, 300, ... seconds.
// - The entry remembers when it was last updated, which is the last restart. A crash more than
//   2 × cap (600 s, "ran 10 minutes without a problem") after that restart resets it: the container
//   restarts at once and the back-off starts again at 10 s.
// The value is immutable (cockatiel style): `next` returns the delay and the history after it.

export interface CrashLoopConfig {
  /** First back-off, ms (kubelet `backOffPeriod`, 10 s). */
  readonly initialMs: number;
  /** Cap, ms (kubelet `MaxContainerBackOff`, 300 s); a crash 2 × cap after the last restart resets. */
  readonly maxMs: number;
}

export const CRASH_LOOP_DEFAULTS: Readonly<CrashLoopConfig> = Object.freeze({
  initialMs: 10_000,
  maxMs: 300_000,
});

/** What the kubelet remembers about one container. */
export interface CrashLoopHistory {
  /** The back-off the next crash waits, ms; 0 while there is no entry (never restarted, or reset). */
  readonly backoffMs: number;
  /** When the kubelet last restarted the container, ms (meaningful while backoffMs > 0). */
  readonly lastRestartMs: number;
  /** Restarts so far (the pod status `restartCount`). */
  readonly restartCount: number;
}

export const NO_RESTARTS: CrashLoopHistory = Object.freeze({
  backoffMs: 0,
  lastRestartMs: 0,
  restartCount: 0,
});

export interface CrashLoopRestart {
  /** Wait from the crash to the restart, ms. */
  readonly delayMs: number;
  readonly restartAtMs: number;
  /** The back-off was (re)started: first crash, or the container had run long enough. */
  readonly reset: boolean;
  /** The history after this restart. */
  readonly history: CrashLoopHistory;
}

/** The one place a CrashLoopConfig is built and checked. */
export function crashLoopConfig(partial: Partial<CrashLoopConfig> = {}): CrashLoopConfig {
  const config = { ...CRASH_LOOP_DEFAULTS, ...partial };
  if (!(Number.isFinite(config.initialMs) && config.initialMs > 0)) {
    throw new RangeError(
      `crash-loop back-off initialMs must be a number of ms > 0, got ${config.initialMs}`,
    );
  }
  if (!(Number.isFinite(config.maxMs) && config.maxMs >= config.initialMs)) {
    throw new RangeError(
      `crash-loop back-off maxMs must be >= initialMs (${config.initialMs}), got ${config.maxMs}`,
    );
  }
  return Object.freeze(config);
}

/** The restart that follows a crash at `crashAtMs`, given the container's history. */
export function nextRestart(
  history: CrashLoopHistory,
  crashAtMs: number,
  config: CrashLoopConfig = CRASH_LOOP_DEFAULTS,
): CrashLoopRestart {
  if (!Number.isFinite(crashAtMs))
    throw new RangeError(`crash time must be a finite number of ms, got ${crashAtMs}`);
  if (history.backoffMs > 0 && crashAtMs < history.lastRestartMs) {
    throw new RangeError(
      `crash at ${crashAtMs} ms precedes the last restart at ${history.lastRestartMs} ms`,
    );
  }
  const reset = history.backoffMs === 0 || crashAtMs - history.lastRestartMs > 2 * config.maxMs;
  const delayMs = reset ? 0 : history.backoffMs;
  const restartAtMs = crashAtMs + delayMs;
  const backoffMs = reset ? config.initialMs : Math.min(2 * history.backoffMs, config.maxMs);
  return {
    delayMs,
    restartAtMs,
    reset,
    history: { backoffMs, lastRestartMs: restartAtMs, restartCount: history.restartCount + 1 },
  };
}

/** A container's crash loop as a small mutable object, for callers that keep one per instance. */
export class CrashLoopBackOff {
  private current: CrashLoopHistory = NO_RESTARTS;

  constructor(private readonly config: CrashLoopConfig = CRASH_LOOP_DEFAULTS) {}

  get history(): CrashLoopHistory {
    return this.current;
  }

  /** Records a crash at `crashAtMs` and returns the delay until the kubelet restarts the container. */
  crashed(crashAtMs: number): number {
    const restart = nextRestart(this.current, crashAtMs, this.config);
    this.current = restart.history;
    return restart.delayMs;
  }
}
