// Services as the running model sees them: a service owns its instances and its operations
// (operation.ts), resolved once, when the world is built.
import type { ServiceRef } from "./endpoint.ts";
import type { Instance } from "./instance.ts";
import type { Operation } from "./operation.ts";
import type { ServiceModelSpec } from "./spec.ts";

export class Service implements ServiceRef {
  readonly instances: Instance[] = [];
  readonly operations: Operation[] = [];
  constructor(
    readonly name: string,
    /** Position in the scenario's service list: a dense index for per-service arrays. */
    readonly index: number,
    /**
     * What the model runs: instances by version, their station, operations (mesh and control
     * settings go to their own rooms).
     */
    readonly spec: ServiceModelSpec,
  ) {}

  operation(name: string): Operation {
    const op = this.operations.find((o) => o.name === name);
    if (!op) throw new Error(`service ${this.name} has no operation ${name}`);
    return op;
  }
}
