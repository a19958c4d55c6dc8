// Operations as the running model sees them: an operation has a service time, an error rate and
// a call graph of steps that point straight at the operations they call (resolved once, when the
// world is built).
import type { Distribution } from "../kernel/distribution.ts";
import type { ServiceRef } from "./endpoint.ts";

export type Step =
  | { kind: "call"; target: Operation; probability: number; salt: number }
  | { kind: "parallel"; steps: Step[]; probability: number; salt: number };

export class Operation {
  steps: Step[] = [];
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
