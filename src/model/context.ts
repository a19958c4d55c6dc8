// The shared pieces every model object needs: the clock, the keyed draws, the observer, the
// warm-up boundary, the network and the tracer (or null). Built once per run by scenario/build.ts.
import type { KeyedDraws } from "../kernel/keyedDraws.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { Network } from "./network.ts";
import type { ModelObserver } from "./observer.ts";
import type { CallTracer } from "./tracer.ts";

export interface SimContext {
  readonly scheduler: Scheduler;
  readonly draws: KeyedDraws;
  readonly observer: ModelObserver;
  readonly warmupMs: number;
  readonly network: Network;
  /** Whether instances keep a list of the calls on them (only needed when an instance can die). */
  readonly tracksCalls: boolean;
  /** The tracer, or null when tracing is off (every hook site is one null check then). */
  readonly tracer: CallTracer | null;
}
