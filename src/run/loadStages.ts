// When each ramping load's k6 stages began, for the run result (result/run.ts LoadStageChange):
// the executors of load/ follow a stage list fixed by the scenario, so the changes are the stage
// boundaries, summed in whole microseconds as scenario/convert/loads.ts sums a load's duration.
// Only the changes before the run stopped are kept (an event cap can stop it early).
import { roundSig } from "../result/round.ts";
import type { LoadStageChange } from "../result/run.ts";
import type { LoadSpec } from "../scenario/types.ts";

/** The stage changes of every ramping load, in time order (loads in file order at equal times); null without a ramping load. */
export function loadStageChanges(
  loads: readonly LoadSpec[],
  stoppedAtMs: number,
): LoadStageChange[] | null {
  const changes: LoadStageChange[] = [];
  let ramping = false;
  for (const load of loads) {
    if (load.executor !== "ramping-arrival-rate" && load.executor !== "ramping-vus") continue;
    ramping = true;
    const perS = load.executor === "ramping-arrival-rate";
    // Rates per ms to per second, to the 6 figures the result keeps.
    const level = (v: number) => (perS ? roundSig(v * 1000) : v);
    const unit = perS ? "requests/s" : "VUs";
    let atUs = Math.round(load.startTimeMs * 1000);
    let from = perS ? load.startRatePerMs : load.startVUs;
    load.stages.forEach((stage, i) => {
      changes.push({
        atMs: roundSig(atUs / 1000, 12),
        load: load.name,
        stage: i + 1,
        from: level(from),
        to: level(stage.target),
        durationMs: stage.durationMs,
        unit,
      });
      atUs += Math.round(stage.durationMs * 1000);
      from = stage.target;
    });
    changes.push({
      atMs: roundSig(atUs / 1000, 12),
      load: load.name,
      stage: null,
      from: level(from),
      to: 0,
      durationMs: 0,
      unit,
    });
  }
  if (!ramping) return null;
  return changes.filter((c) => c.atMs < stoppedAtMs).sort((a, b) => a.atMs - b.atMs);
}
