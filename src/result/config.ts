// The run result's `config`: the config center's versions (1 is the file, then one per push in
// time order), when each reached the proxies, and which version each proxy ran from when, as
// control/config/center.ts records them. Types only.

/** What a run records of one version. */
export interface ConfigVersionResult {
  version: number;
  /** The push's name; `file` for version 1. */
  name: string;
  /** When it was published (0 for the file). */
  atMs: number;
  /**
   * The paths set and their values, paths as written (`mesh.services.payment.loadBalancer.policy`).
   */
  set: Record<string, unknown>;
  /**
   * Proxies it was delivered to before the run ended (including those that already had a newer
   * one).
   */
  delivered: number;
  /** Earliest, median (the ⌈n/2⌉-th) and latest delivery time, or null when it reached no proxy. */
  firstMs: number | null;
  medianMs: number | null;
  lastMs: number | null;
  /** Proxies running it when the run ended. */
  runningAtEnd: number;
}

/**
 * The config center's part of a run result: the versions, and per proxy which version it ran from
 * when.
 */
export interface ConfigResult {
  versions: ConfigVersionResult[];
  /** By proxy name in build order (sidecars, then load clients): the versions it ran, from when. */
  proxies: Record<string, { version: number; fromMs: number }[]>;
}
