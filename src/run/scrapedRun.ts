// Runs the event list to the end of the scenario, stopping at every scrape tick to let the
// monitor sample the model. The event list is run in pieces (run(t1), run(t2), ...), which ends
// exactly where one call would have (Scheduler.run), so scraping never changes a run.
import type { StopReason } from "../kernel/scheduler.ts";
import type { Monitor } from "../observe/metrics/monitor.ts";

/** `runUntil(t)` runs every event at or before t (under the run's event cap) and says why it stopped. */
export function runWithScrapes(
  monitor: Monitor,
  durationMs: number,
  runUntil: (untilMs: number) => StopReason,
): StopReason {
  for (let k = 1; k <= monitor.tickCount; k++) {
    const tick = monitor.tickTime(k);
    const reason = runUntil(tick);
    if (reason === "event-cap") return reason;
    monitor.scrape(tick);
  }
  return runUntil(durationMs);
}
