// A checkout run as an orchestrated saga, for the saga tests: gateway.checkout creates the order,
// reserves stock, charges 25 and confirms, each step (but the confirmation) with its compensation;
// constant service times, no network latency and no queueing, so every order's ledger can be
// worked out by hand. Each knob replaces one piece of the text.

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
  return `
version: 1
name: saga-shop
seed: ${o.seed ?? 5}
duration: ${o.duration ?? "100s"}
warmup: 0s
network: { latency: 0ms }
services:
  gateway:
    concurrency: 10000
    threading: async
    operations:
      checkout:
        serviceTime: 0ms
        saga: { ${o.saga ?? "timeout: 10s"} }
        calls:
          - { call: order.create, compensate: order.cancel }
          - { call: inventory.reserve, compensate: inventory.release }
          - { call: payment.charge, compensate: payment.refund }
          - { call: order.confirm }
  order:
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
        effects: [{ kind: refund, amount: 25 }]
${o.mesh === undefined ? "" : `mesh:\n  services:\n${o.mesh}`}
load:
  - name: buyers
    executor: constant-arrival-rate
    rate: ${o.rate ?? 1}
    timeUnit: 1s
    target: gateway.checkout
    duration: ${o.loadDuration ?? "90s"}
${o.faults === undefined ? "" : `faults: ${o.faults}`}
`;
}
