// A small choreographed checkout for the messaging tests: shop.checkout calls order.create, whose
// committed work publishes `order-created`; payment.charge consumes it (charging 25) and, when
// `chargeCalls` is set, calls notify.send after its commit and before its ack. No queueing (huge
// concurrency) and no network latency unless asked, so each delivery's fate is its own timing.

export function choreoText(o: {
  seed?: number;
  duration?: string;
  loadDuration?: string;
  rate?: number;
  dedup?: boolean;
  dedupRetention?: string;
  outbox?: boolean;
  chargeTime?: string;
  createTime?: string;
  ackTimeout?: string;
  maxDeliveries?: number;
  deliveryDelay?: string;
  publishLatency?: string;
  /** Service time of notify.send, called by payment.charge after its commit (absent: no call). */
  chargeCalls?: string;
  orderInstances?: number;
  paymentInstances?: number;
  /** Zones: order in `a`, payment in `b`. */
  zoned?: boolean;
  /** The broker's zone when zoned (default a). */
  brokerZone?: string;
  /** A `faults:` list, as JSON. */
  faults?: string;
  /** Extra lines under `messaging:` (indented two spaces). */
  extraMessaging?: string;
}): string {
  const zone = (z: string) => (o.zoned ? `\n    zones: [${z}]` : "");
  return `
version: 1
name: choreo
seed: ${o.seed ?? 3}
duration: ${o.duration ?? "60s"}
warmup: 0s
network: { latency: 0ms }
services:
  shop:
    concurrency: 10000
    threading: async
    operations:
      checkout:
        serviceTime: 0ms
        calls: [{ call: order.create }]
  order:
    instances: ${o.orderInstances ?? 1}
    concurrency: 10000${zone("a")}
    operations:
      create:
        serviceTime: '${o.createTime ?? "5ms"}'
        effects: [{ kind: create }]
  payment:
    instances: ${o.paymentInstances ?? 2}
    concurrency: 10000${zone("b")}
    threading: async
    operations:
      charge:
        serviceTime: '${o.chargeTime ?? "const(100ms)"}'
        effects: [{ kind: charge, amount: 25 }]${o.chargeCalls === undefined ? "" : "\n        calls: [{ call: notify.send }]"}
  notify:
    concurrency: 10000
    operations:
      send:
        serviceTime: '${o.chargeCalls ?? "1ms"}'
load:
  - name: buyers
    executor: constant-arrival-rate
    rate: ${o.rate ?? 10}
    timeUnit: 1s
    target: shop.checkout
    duration: ${o.loadDuration ?? "50s"}
messaging:${o.zoned ? `\n  zone: ${o.brokerZone ?? "a"}` : ""}
  publishLatency: '${o.publishLatency ?? "1ms"}'
  dedup: { enabled: ${o.dedup ?? false}${o.dedupRetention === undefined ? "" : `, retention: ${o.dedupRetention}`} }
  outbox: { enabled: ${o.outbox ?? false} }
  topics:
    order-created:
      ackTimeout: ${o.ackTimeout ?? "1s"}
      deliveryDelay: '${o.deliveryDelay ?? "0ms"}'
      maxDeliveries: ${o.maxDeliveries ?? 20}
  publishers: [{ operation: order.create, topic: order-created }]
  consumers: [{ operation: payment.charge, topic: order-created }]
${o.extraMessaging ?? ""}
${o.faults === undefined ? "" : `faults: ${o.faults}`}
`;
}
