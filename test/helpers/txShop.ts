// The small shop the transaction tests run (sagaShop.ts, tccShop.ts): gateway.checkout coordinates
// the others, every service has room for all (concurrency 10000), constant service times and no
// network latency, so each order's ledger can be worked out by hand. The callers give the
// coordinator's section, the participants' services and the knobs they vary.

export interface TxShopParts {
  name: string;
  seed: number;
  /** The checkout's coordination, indented under `checkout:` after its serviceTime. */
  checkout: string;
  /** The participants, indented under `services:`. */
  services: string;
  /** Extra mesh settings (indented under `mesh: services:`). */
  mesh?: string;
  faults?: string;
  rate?: number;
  duration?: string;
  loadDuration?: string;
}

export function txShopText(p: TxShopParts): string {
  return `
version: 1
name: ${p.name}
seed: ${p.seed}
duration: ${p.duration ?? "100s"}
warmup: 0s
network: { latency: 0ms }
services:
  gateway:
    concurrency: 10000
    threading: async
    operations:
      checkout:
        serviceTime: 0ms
${p.checkout}
${p.services}
${p.mesh === undefined ? "" : `mesh:\n  services:\n${p.mesh}`}
load:
  - name: buyers
    executor: constant-arrival-rate
    rate: ${p.rate ?? 1}
    timeUnit: 1s
    target: gateway.checkout
    duration: ${p.loadDuration ?? "90s"}
${p.faults === undefined ? "" : `faults: ${p.faults}`}
`;
}
