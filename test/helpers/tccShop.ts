// A checkout as a TCC transaction, for the TCC tests: gateway.checkout coordinates two
// participants, inventory (Try reserves a unit, Confirm does nothing more, Cancel releases it) and
// payment (Try, Confirm, Cancel with no effects of their own), in the shop of txShop.ts.
import { txShopText } from "./txShop.ts";

export function tccShopText(o: {
  safeguards?: string;
  timeout?: string;
  tryReserveTime?: string;
  cancelReserveTime?: string;
  payTryErrorRate?: number;
  /** Extra mesh settings (indented under `mesh: services:`). */
  mesh?: string;
  retry?: string;
}): string {
  return txShopText({
    name: "tcc-shop",
    seed: 7,
    mesh: o.mesh,
    checkout: `        tcc:
          timeout: ${o.timeout ?? "10s"}
          participants:
            - { try: inventory.tryReserve, confirm: inventory.confirmReserve, cancel: inventory.cancelReserve }
            - { try: payment.tryPay, confirm: payment.confirmPay, cancel: payment.cancelPay }
          safeguards: { ${o.safeguards ?? ""} }
          retry: ${o.retry ?? "{ attempts: 3 }"}`,
    services: `  inventory:
    concurrency: 10000
    operations:
      tryReserve: { serviceTime: '${o.tryReserveTime ?? "const(10ms)"}', effects: [{ kind: reserve, amount: 1 }] }
      confirmReserve: { serviceTime: const(10ms) }
      cancelReserve: { serviceTime: '${o.cancelReserveTime ?? "const(10ms)"}', effects: [{ kind: release, amount: 1 }] }
  payment:
    concurrency: 10000
    operations:
      tryPay: { serviceTime: const(10ms), errorRate: ${o.payTryErrorRate ?? 0} }
      confirmPay: { serviceTime: const(10ms) }
      cancelPay: { serviceTime: const(10ms) }`,
  });
}
