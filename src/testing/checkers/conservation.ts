// Conservation of requests: every request a load offers ends at most once, only after it was
// offered; at the end, each load's offered = completed + failed + in flight, and the result's
// counts agree with the requests the run's events showed (measured ones: after warm-up).
import type { Invariant } from "../invariant.ts";

export const conservation: Invariant = {
  name: "conservation",
  watch(scenario) {
    /** Request id → its load, while open; finished ones move to `done`. */
    const open = new Map<number, string>();
    const done = new Set<number>();
    const measured = new Map<string, number>();
    for (const load of scenario.load) measured.set(load.name, 0);
    return {
      event(e) {
        if (e.type === "offered") {
          if (open.has(e.request) || done.has(e.request))
            return { message: `request ${e.request} was offered twice`, request: e.request };
          open.set(e.request, e.load);
          if (e.measured) measured.set(e.load, (measured.get(e.load) ?? 0) + 1);
          return null;
        }
        if (e.type !== "finished") return null;
        if (done.has(e.request))
          return { message: `request ${e.request} was answered twice`, request: e.request };
        if (!open.has(e.request))
          return {
            message: `request ${e.request} ended without being offered`,
            request: e.request,
          };
        open.delete(e.request);
        done.add(e.request);
        return null;
      },
      end(result) {
        for (const [name, load] of Object.entries(result.load)) {
          const sum = load.completed + load.failed + load.inFlight;
          if (sum !== load.offered)
            return {
              message: `load ${name}: offered ${load.offered} but completed ${load.completed} + failed ${load.failed} + in flight ${load.inFlight} = ${sum}`,
            };
          const seen = measured.get(name) ?? 0;
          if (seen !== load.offered)
            return {
              message: `load ${name}: the result says ${load.offered} measured requests were offered, the run's events show ${seen}`,
            };
        }
        return null;
      },
    };
  },
};
