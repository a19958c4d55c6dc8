// Operations as the running model sees them: an operation has a service time, an error rate and
// a call graph of steps that point straight at the operations they call (resolved once, when the
// world is built). Its business effects, if any, go out through an EffectHook (effects.ts).
import type { Distribution } from "../kernel/distribution.ts";
import type { EffectHook, IdempotencyGate, StepsRunner } from "./effects.ts";
import type { ServiceRef } from "./endpoint.ts";

export type Step =
  | { kind: "call"; target: Operation; probability: number; salt: number }
  | { kind: "parallel"; steps: Step[]; probability: number; salt: number };

export class Operation {
  steps: Step[] = [];
  /** Applies the operation's business effects when a call's work commits; null without effects. */
  effects: EffectHook | null = null;
  /** The operation's idempotency-key store, which may answer a call instead of running it; or null. */
  idempotency: IdempotencyGate | null = null;
  /** Runs the steps as an orchestrated saga instead of callGraph.ts's runSteps; null: plain steps. */
  saga: StepsRunner | null = null;
  /** A cancelled call stops at once (`onCancel: abort`) rather than running to its end. */
  abortOnCancel = false;
  /** Fraction of the service time after which an aborted call's effects are committed. */
  commitPoint = 1;
  /** `service.operation`, e.g. order.create. */
  readonly id: string;
  constructor(
    readonly service: ServiceRef,
    readonly name: string,
    readonly serviceTime: Distribution,
    readonly errorRate: number,
  ) {
    this.id = `${service.name}.${name}`;
  }
}
