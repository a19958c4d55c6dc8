// What bench/ratios.ts (the parent) and bench/ratioCase.ts (each measured child) share: the
// governed chain's scenario file, the reference's run of the same chain, and the child's report.
import { fileURLToPath } from "node:url";

export const GOVERNED_CHAIN_FILE = fileURLToPath(
  new URL("./reference/governed-chain.yaml", import.meta.url),
);
/** The reference's runs match the scenario file: 1 M expected requests, seed 1. */
export const REFERENCE_REQUESTS = 1_000_000;
export const REFERENCE_SEED = 1;

/** One measured loop, printed by bench/ratioCase.ts as one JSON line. */
export interface LoopMeasurement {
  name: string;
  /** End-user requests offered (simulated arrivals). */
  requests: number;
  events: number;
  wallSeconds: number;
  /** User + system CPU time of the process during the loop (GC helper threads included). */
  cpuSeconds: number;
}
