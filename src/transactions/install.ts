// Wires a scenario's transactions into a world being built: one ledger for the run (made before
// the observers, since it watches requests end), then each operation with effects gets its hook
// into it. Called by scenario/build.ts only when the scenario declares transactions, so a run
// without them carries none of this.
import type { Service } from "../model/service.ts";
import { OperationEffects } from "./effects.ts";
import { OrderLedger } from "./ledger.ts";
import type { TransactionsSpec } from "./spec.ts";

export class Transactions {
  readonly ledger = new OrderLedger();

  constructor(
    private readonly spec: TransactionsSpec,
    private readonly clock: { readonly now: number },
  ) {}

  /** Hooks the operations' effects into the ledger. `attributeNames`: the scenario-wide attribute order. */
  attach(services: readonly Service[], _attributeNames: readonly string[]): void {
    for (const op of this.spec.operations) {
      const service = services.find((s) => s.name === op.service);
      if (service === undefined) throw new Error(`transactions name unknown service ${op.service}`);
      const operation = service.operation(op.operation);
      if (op.effects.length > 0)
        operation.effects = new OperationEffects(op.effects, this.ledger, this.clock);
    }
  }
}

export function installTransactions(
  spec: TransactionsSpec,
  clock: { readonly now: number },
): Transactions {
  return new Transactions(spec, clock);
}
