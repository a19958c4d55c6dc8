// The business invariants of a run whose scenario declares effects (src/transactions/): no order
// charged twice net of refunds, none charged or holding stock after it ended cancelled or failed,
// every saga ending in time. Judged on the finished run's `transactions` section (the ledger's
// counts are exact over the measured orders); a run without effects passes. Not among the
// built-in checkers a swarm runs by default: pass it to check() or runChecked() by name.
import type { Invariant } from "../invariant.ts";

export const businessInvariants: Invariant = {
  name: "business-invariants",
  watch: () => ({
    end(result) {
      const broken = result.transactions?.invariants.find((i) => !i.holds);
      if (broken === undefined) return null;
      const first =
        broken.firstBrokenAtMs === null ? "" : ` (first at ${broken.firstBrokenAtMs} ms)`;
      const what = broken.name === "sagas-end-in-time" ? "sagas" : "orders";
      return { message: `${broken.name} broken by ${broken.violations} ${what}${first}` };
    },
  }),
};
