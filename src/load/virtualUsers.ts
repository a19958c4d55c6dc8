// k6's closed-model executors, `constant-vus` and `ramping-vus`: each virtual user sends a
// request, waits for the answer, thinks for `thinkTime`, and loops until the executor's end.
// ramping-vus moves the VU count linearly through its stages, one VU at each integer crossing;
// a VU told to stop finishes its current iteration first (k6's graceful ramp-down).

import type { Distribution } from "../kernel/distribution.ts";
import { type KeyedDraws, Purpose } from "../kernel/keyedDraws.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import { ROOT_SITE } from "../model/request.ts";
import type { RequestIssuer } from "./issuer.ts";
import type { Stage } from "./spec.ts";

export interface VuPlan {
  startMs: number;
  endMs: number;
  startVUs: number;
  stages: readonly Stage[];
  thinkTime: Distribution;
}

export function startVirtualUsers(
  plan: VuPlan,
  issuer: RequestIssuer,
  scheduler: Scheduler,
  draws: KeyedDraws,
): void {
  let target = 0;
  /** VUs looping now (sending, waiting or thinking). */
  const looping = new Set<number>();

  const iterate = (vu: number): void => {
    if (vu >= target || scheduler.now >= plan.endMs) {
      looping.delete(vu);
      return;
    }
    issuer.issue(scheduler.now, issuer.clientFor(vu), (_status, request) => {
      const think = plan.thinkTime.isConstant
        ? plan.thinkTime.mean
        : plan.thinkTime.sample(
            draws.begin(request.seedA, request.seedB, ROOT_SITE, Purpose.thinkTime),
          );
      const next = scheduler.now + think;
      if (next < plan.endMs) scheduler.post(next, () => iterate(vu));
      else looping.delete(vu);
    });
  };

  const setTarget = (count: number): void => {
    target = count;
    // Start every VU below the target that is not already looping, lowest index first.
    for (let vu = 0; vu < target; vu++) {
      if (!looping.has(vu)) {
        looping.add(vu);
        iterate(vu);
      }
    }
  };

  scheduler.post(plan.startMs, () => setTarget(plan.startVUs));
  let t = plan.startMs;
  let from = plan.startVUs;
  for (const stage of plan.stages) {
    const to = stage.target;
    const step = to > from ? 1 : -1;
    for (let k = from + step; step > 0 ? k <= to : k >= to; k += step) {
      const at = t + (Math.abs(k - from) / Math.abs(to - from)) * stage.durationMs;
      if (at < plan.endMs) scheduler.post(at, () => setTarget(k));
    }
    t += stage.durationMs;
    from = to;
  }
}
