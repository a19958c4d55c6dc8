// The run result's `discovery`: each proxy's registry view against the truth (staleness, tries
// sent to dead or draining instances) and the registry's events, as control/registry/ records
// them. Types only.

/** The service registries meshsim models (control/registry/presets.ts has their settings). */
export type RegistryKind = "eureka" | "nacos" | "consul" | "kubernetes" | "zookeeper";

/** The run result's `discovery`: null when the scenario has no registry. */
export interface DiscoveryResult {
  kind: RegistryKind;
  /**
   * How many times registry entries entered each state after t = 0 (registered, expired, evicted,
   * ...), by state name.
   */
  events: Record<string, number>;
  /**
   * Per `caller->service` edge (a load's caller is `load:<name>`), the views of the caller's
   * proxies.
   */
  edges: Record<string, DiscoveryEdgeResult>;
}

export interface DiscoveryEdgeResult {
  /** Proxies of the caller that called the service. */
  proxies: number;
  /** Measured tries sent to instances that were dead or failed (unreachable) when sent. */
  sentToDead: number;
  /** Measured tries sent to draining instances. */
  sentToDraining: number;
  /**
   * Over the caller's proxies: the most stale (dead or unready) known endpoints one had at once,
   * and the mean of their time-averages.
   */
  staleMax: number;
  staleMean: number;
  /** Likewise for live, ready endpoints missing from a view. */
  unknownMax: number;
  unknownMean: number;
  /** Longest a dead or unready instance stayed in one of the caller's proxies' views, ms. */
  longestStaleMs: number;
  /**
   * The same per proxy, by proxy name, with its tries to dead and draining instances and its view
   * over time.
   */
  perProxy: Record<string, ProxyViewResult & { sentToDead: number; sentToDraining: number }>;
}

/** One proxy's view of one service against the truth (control/registry/staleness.ts). */
export interface ProxyViewResult {
  /** Most known endpoints that were dead or unready at once. */
  staleMax: number;
  /** Time-average of that count, from the proxy's first call to the service to the end. */
  staleMean: number;
  /** Most live, ready endpoints missing from the view at once. */
  unknownMax: number;
  unknownMean: number;
  /**
   * Longest a dead or unready instance stayed in the view, ms (to the end of the run if it never
   * left).
   */
  longestStaleMs: number;
  /**
   * The view over time: [atMs, stale, unknown] from the proxy's first call to the service and at
   * every change of either count (changes at one instant fold into one entry). At most
   * TIMELINE_LIMIT (control/registry/staleness.ts) entries; `timelineTruncated` says when later
   * changes were left out.
   */
  timeline: [number, number, number][];
  timelineTruncated: boolean;
}
