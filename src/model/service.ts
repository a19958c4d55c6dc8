// Services and operations as the running model sees them: a service owns its instances and
// operations; an operation has a service time, an error rate and a call graph of steps that
// point straight at the operations they call (resolved once, when the world is built).
import type { Distribution } from "../kernel/distribution.ts";
import type { ServiceSpec } from "../scenario/types.ts";
import type { Instance } from "./instance.ts";

export type Step =
  | { kind: "call"; target: Operation; probability: number; salt: number }
  | { kind: "parallel"; steps: Step[]; probability: number; salt: number };

export class Operation {
  steps: Step[] = [];
  /** `service.operation`, e.g. order.create. */
  readonly id: string;
  constructor(
    readonly service: Service,
    readonly name: string,
    readonly serviceTime: Distribution,
    readonly errorRate: number,
  ) {
    this.id = `${service.name}.${name}`;
  }
}

export class Service {
  readonly instances: Instance[] = [];
  readonly operations: Operation[] = [];
  constructor(
    readonly name: string,
    /** Position in the scenario's service list: a dense index for per-service arrays. */
    readonly index: number,
    readonly spec: ServiceSpec,
  ) {}

  operation(name: string): Operation {
    const op = this.operations.find((o) => o.name === name);
    if (!op) throw new Error(`service ${this.name} has no operation ${name}`);
    return op;
  }
}
