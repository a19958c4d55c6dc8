// A checkout run as an orchestrated saga, for the saga tests: gateway.checkout creates the order,
// reserves stock, charges 25 and confirms, each step (but the confirmation) with its compensation,
// in the shop of txShop.ts (ledgers worked out by hand). Each knob replaces one piece of the text.
import { txShopText } from "./txShop.ts";

export function sagaShopText(o: {
  /** The saga's fields, as a flow map's inside. */
  saga?: string;
  chargeTime?: string;
  chargeErrorRate?: number;
  refundErrorRate?: number;
  confirmErrorRate?: number;
  reserveTime?: string;
  /** Extra mesh settings (indented under `mesh: services:`). */
  mesh?: string;
  faults?: string;
  rate?: number;
  duration?: string;
  loadDuration?: string;
  seed?: number;
  paymentInstances?: number;
}): string {
  return txShopText({
    ...o,
    name: "saga-shop",
    seed: o.seed ?? 5,
    checkout: `        saga: { ${o.saga ?? "timeout: 10s"} }
        calls:
          - { call: order.create, compensate: order.cancel }
          - { call: inventory.reserve, compensate: inventory.release }
          - { call: payment.charge, compensate: payment.refund }
          - { call: order.confirm }`,
    services: `  order:
    concurrency: 10000
    operations:
      create: { serviceTime: const(10ms), effects: [{ kind: create }] }
      cancel: { serviceTime: const(10ms), effects: [{ kind: cancel }] }
      confirm: { serviceTime: const(10ms), errorRate: ${o.confirmErrorRate ?? 0} }
  inventory:
    concurrency: 10000
    operations:
      reserve: { serviceTime: '${o.reserveTime ?? "const(10ms)"}', effects: [{ kind: reserve, amount: 1 }] }
      release: { serviceTime: const(10ms), effects: [{ kind: release, amount: 1 }] }
  payment:
    instances: ${o.paymentInstances ?? 1}
    concurrency: 10000
    operations:
      charge:
        serviceTime: '${o.chargeTime ?? "const(10ms)"}'
        errorRate: ${o.chargeErrorRate ?? 0}
        effects: [{ kind: charge, amount: 25 }]
      refund:
        serviceTime: const(10ms)
        errorRate: ${o.refundErrorRate ?? 0}
        effects: [{ kind: refund, amount: 25 }]`,
  });
}
