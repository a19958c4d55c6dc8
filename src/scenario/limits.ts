// The largest values a scenario file may give, in one place, each with the reason it is the limit:
// what the implementation supports in memory and time (meshsim's own limits), or the real system's
// (Envoy's ring and Maglev sizes stay with their models). The schema refuses a value above its
// limit with the field's path, the limit and the reason, before anything is built. A scenario
// inside every limit can still be huge in total: scenario/cost.ts estimates that and the CLI
// holds it against a budget.

/** A limit and why: messages read "must be at most <max> (<why>), found <value>". */
export interface Limit {
  readonly max: number;
  readonly why: string;
}

export const LIMITS = {
  /** Instances of one service (running, per version, or the HPA's maxReplicas). */
  instances: {
    max: 10_000,
    why: "meshsim's limit per service: each instance has a sidecar and six series",
  },
  /** Client proxies of one load. */
  clients: { max: 10_000, why: "meshsim's limit per load: each client is a proxy" },
  /** Virtual users of a VU executor at any time. */
  vus: { max: 100_000, why: "meshsim's limit per load: each VU is a pending request loop" },
  /** Distinct keys of a load drawn uniformly: indices stay exact 32-bit integers. */
  keys: { max: 2 ** 31 - 1, why: "meshsim's limit: key indices are 32-bit" },
  /** Distinct keys drawn by a Zipf law, which keeps a table of 8 bytes per key. */
  zipfKeys: {
    max: 10_000_000,
    why: "meshsim's limit for zipf keys: the Zipf table holds 8 bytes per key",
  },
  /** Keys each instance's LRU cache holds (16 bytes each, allocated with the instance). */
  cacheCapacity: { max: 10_000_000, why: "meshsim's limit: a cache slot is allocated up front" },
  /** Requests per second of an arrival-rate executor (rate / timeUnit, or a stage's target). */
  ratePerS: {
    max: 1e9,
    why: "meshsim's limit: a nanosecond between arrivals; the millisecond clock cannot tell closer ones apart",
  },
  /** Bucket bounds of the latency histograms: each is a series per load and per service. */
  buckets: { max: 1_000, why: "meshsim's limit: each bound is a series per load and service" },
  /** Points a stored series keeps. */
  maxPoints: { max: 100_000, why: "meshsim's limit: the reports chart every stored point" },
  /** Scrapes over a run (duration / scrapeInterval): each reads every series. */
  scrapes: {
    max: 10_000_000,
    why: "meshsim's limit on duration / scrapeInterval: each scrape reads every series",
  },
  /** Tries of one saga compensation. */
  compensationAttempts: {
    max: 10_000,
    why: "meshsim's limit: a saga retries one compensation at most this often",
  },
  /** How much slower a version's instances run. */
  serviceTimeFactor: { max: 1_000_000, why: "meshsim's limit: a service time stays finite" },
} as const satisfies Record<string, Limit>;

/**
 * The text of a scenario, checked before the YAML parser sees it (yaml composes about 50,000 list
 * items a second on a loaded 2-core machine, and recurses once per level): nesting and lines-plus-commas, an upper
 * bound on its items.
 */
export const TEXT_LIMITS = {
  depth: {
    max: 64,
    why: "meshsim's limit on nesting; a scenario needs about 12 levels",
  },
  items: {
    max: 50_000,
    why: "meshsim's limit on lines plus commas, so a runaway file is refused before it is parsed",
  },
} as const satisfies Record<string, Limit>;

/** The message for a value above `limit`. */
export function tooLarge(limit: Limit, found: number | string): string {
  return `must be at most ${limit.max} (${limit.why}), found ${found}`;
}
