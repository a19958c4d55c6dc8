// Static shards (Playwright's `--shard i/n`, one Kubernetes Indexed Job completion each): the run
// with index r (0-based, in the experiment's run order: points in grid order, each point's seeds
// in order, later waves numbered on) belongs to shard (r mod N) + 1. Round robin keeps the parts
// within one run of each other in size, spreads each point's costly or cheap runs over all
// shards, and is stable when points are added at the end (their runs take new, higher indices).
export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** The most shards an experiment may be cut into (far above any matrix: GitHub's is 256). */
export const MAX_SHARDS = 100_000;

/**
 * `I/N` (1-based), or `auto/N`: I is JOB_COMPLETION_INDEX + 1 (a Kubernetes Indexed Job's
 * 0-based index) or else MESHSIM_SHARD. Returns a message for bad input.
 */
export function parseShard(text: string, env: NodeJS.ProcessEnv): Shard | string {
  const match = /^(auto|\d+)\/(\d+)$/.exec(text);
  if (match === null) return `expected I/N (1-based, e.g. 2/4) or auto/N, got "${text}"`;
  const count = Number(match[2]);
  if (!(count >= 1 && count <= MAX_SHARDS))
    return `the shard count must be 1..${MAX_SHARDS}, got ${match[2]}`;
  let index: number;
  let origin = "";
  if (match[1] === "auto") {
    const job = env.JOB_COMPLETION_INDEX;
    const own = env.MESHSIM_SHARD;
    if (job !== undefined && /^\d+$/.test(job)) {
      index = Number(job) + 1;
      origin = ` (JOB_COMPLETION_INDEX=${job}, 0-based)`;
    } else if (own !== undefined && /^\d+$/.test(own)) {
      index = Number(own);
      origin = ` (MESHSIM_SHARD=${own})`;
    } else
      return `--shard auto/${count} needs JOB_COMPLETION_INDEX (0-based, as a Kubernetes Indexed Job sets it) or MESHSIM_SHARD (1-based) in the environment`;
  } else index = Number(match[1]);
  if (!(index >= 1 && index <= count))
    return `the shard must be 1..${count} (1-based), got ${index}${origin}`;
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The 1-based shard that runs the run with this index. */
export function shardOf(runIndex: number, count: number): number {
  return (runIndex % count) + 1;
}
