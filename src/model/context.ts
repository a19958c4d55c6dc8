// The shared pieces every model object needs: the clock, the keyed draws, the observer, the
// warm-up boundary and the network. Built once per run by scenario/build.ts.
import type { KeyedDraws } from "../kernel/keyedDraws.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { Network } from "./network.ts";
import type { ModelObserver } from "./observer.ts";

export interface SimContext {
  readonly scheduler: Scheduler;
  readonly draws: KeyedDraws;
  readonly observer: ModelObserver;
  readonly warmupMs: number;
  readonly network: Network;
  /** Whether instances keep a list of the calls on them (only needed when an instance can die). */
  readonly tracksCalls: boolean;
}
