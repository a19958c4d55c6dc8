// Wires a scenario's transactions into a world being built: one ledger for the run (made before
// the observers, since it watches requests end), then each operation with effects gets its hook
// into it. Called by scenario/build.ts only when the scenario declares transactions, so a run
// without them carries none of this.
import type { SimContext } from "../model/context.ts";
import type { LoadObserver } from "../model/observer.ts";
import type { EndUserRequest } from "../model/request.ts";
import type { Service } from "../model/service.ts";
import { OperationEffects } from "./effects.ts";
import { type IdempotencyCounts, IdempotencyStore } from "./idempotency.ts";
import { OrderLedger } from "./ledger.ts";
import { Messaging } from "./messaging/install.ts";
import { SagaCounts } from "./saga/counts.ts";
import { attachSagas } from "./saga/install.ts";
import type { TransactionsSpec } from "./spec.ts";
import { TccCounts } from "./tcc/fence.ts";
import { attachTcc } from "./tcc/install.ts";

export class Transactions {
  readonly ledger: OrderLedger;
  /** Over every operation's key store. */
  readonly idempotency: IdempotencyCounts = { replayed: 0, conflicts: 0, waited: 0 };
  /** Over every saga's runs. */
  readonly sagas = new SagaCounts();
  /** Over every TCC transaction and participant fence. */
  readonly tcc = new TccCounts();
  /** Phase two's calls of the TCC transactions (confirms and cancels), counted as compensations are. */
  tccPhaseTwo: SagaCounts[] = [];
  /** The broker and its publishers and consumers, or null without a `messaging` section. */
  messaging: Messaging | null = null;

  constructor(
    private readonly spec: TransactionsSpec,
    private readonly clock: { readonly now: number },
  ) {
    this.ledger = new OrderLedger(clock);
  }

  /** What the loads report to: `next` (the statistics), then the ledger for each request's end. */
  loadObserver(next: LoadObserver): LoadObserver {
    const ledger = this.ledger;
    return {
      offered: (request: EndUserRequest) => next.offered(request),
      finished: (request: EndUserRequest, status: number) => {
        next.finished(request, status);
        ledger.requestFinished(request, status);
      },
    };
  }

  /**
   * Hooks the operations' effects into the ledger and gives each operation with a request-scoped
   * key its store (a per-try key never repeats, so it needs none). `attributeNames`: the
   * scenario-wide attribute order requests carry their values in. Then the messaging, if any
   * (`ctx`: the world's shared pieces, which the broker needs).
   */
  attach(services: readonly Service[], attributeNames: readonly string[], ctx?: SimContext): void {
    for (const op of this.spec.operations) {
      const service = services.find((s) => s.name === op.service);
      if (service === undefined) throw new Error(`transactions name unknown service ${op.service}`);
      const operation = service.operation(op.operation);
      if (op.effects.length > 0)
        operation.effects = new OperationEffects(op.effects, this.ledger, this.clock);
      const key = op.idempotency;
      if (key !== null && key.scope === "request") {
        const index = key.key.kind === "attribute" ? attributeNames.indexOf(key.key.name) : -1;
        if (key.key.kind === "attribute" && index < 0)
          throw new Error(`no load sets attribute ${key.key.name}`);
        operation.idempotency = new IdempotencyStore(key, index, this.clock, this.idempotency);
      }
    }
    attachSagas(this.spec.sagas ?? [], services, this.sagas);
    this.tccPhaseTwo = attachTcc(this.spec.tcc ?? [], services, this.tcc).map((c) => c.phaseTwo);
    const messaging = this.spec.messaging;
    if (messaging !== undefined && messaging !== null) {
      if (ctx === undefined) throw new Error("messaging needs the world's context");
      this.messaging = new Messaging(messaging, services, ctx);
    }
  }

  /** Whether the scenario declares TCC transactions (the result then reports them). */
  get hasTcc(): boolean {
    return (this.spec.tcc ?? []).length > 0;
  }

  /** Whether the scenario declares sagas (the result then reports their compensation tries). */
  get hasSagas(): boolean {
    return (this.spec.sagas ?? []).length > 0;
  }
}

export function installTransactions(
  spec: TransactionsSpec,
  clock: { readonly now: number },
): Transactions {
  return new Transactions(spec, clock);
}
