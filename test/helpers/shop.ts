// A small shop for the transactions tests: shop.checkout (creates the order) calls payment.charge
// through a sidecar with a per-try timeout and retries on gateway errors, with no queueing (huge
// concurrency, no network latency), so each try's fate is its own service time against the timeout.

/** A shop calling payment.charge (1 s constant) with a per-try timeout and retries. */
export function shopText(o: {
  effects?: string;
  perTryTimeout?: string;
  attempts?: number;
  serviceTime?: string;
  extraCharge?: string;
  rate?: number;
  duration?: string;
  warmup?: string;
  /** How long the load sends (default: the whole run). */
  loadDuration?: string;
  paymentInstances?: number;
  /** Extra mesh settings for payment (indented under `payment:`), e.g. cancelOnTimeout. */
  paymentMesh?: string;
  /** A `faults:` list, as JSON. */
  faults?: string;
  seed?: number;
}): string {
  return `
version: 1
name: shop
seed: ${o.seed ?? 3}
duration: ${o.duration ?? "100s"}
warmup: ${o.warmup ?? "0s"}
network: { latency: 0ms }
services:
  shop:
    concurrency: 10000
    threading: async
    operations:
      checkout:
        serviceTime: 0ms
        effects: [{ kind: create }]
        calls: [{ call: payment.charge }]
  payment:
    instances: ${o.paymentInstances ?? 1}
    concurrency: 10000
    operations:
      charge:
        serviceTime: '${o.serviceTime ?? "const(1s)"}'
${o.effects ?? "        effects: [{ kind: charge, amount: 25 }]"}
${o.extraCharge ?? ""}
mesh:
  services:
    payment:
      timeout: 1h
      retries: { attempts: ${o.attempts ?? 2}, perTryTimeout: ${o.perTryTimeout ?? "400ms"}, retryOn: gateway-error }
${o.paymentMesh ?? ""}
load:
  - name: buyers
    executor: constant-arrival-rate
    rate: ${o.rate ?? 1}
    timeUnit: 1s
    target: shop.checkout
${o.loadDuration === undefined ? "" : `    duration: ${o.loadDuration}`}
${o.faults === undefined ? "" : `faults: ${o.faults}`}
`;
}
