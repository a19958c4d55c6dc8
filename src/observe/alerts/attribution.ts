// Ground truth no live monitoring has: which alerts detected which injected fault, and which fired
// for no fault at all. A firing episode is attributed to a fault when it began firing at or after
// the fault started and no later than DETECTION_GRACE_MS after it ended (any time, for a fault
// still in force at the end): rules look back over a range, so they can start firing a little
// after the fault is gone. 5 minutes covers a rate over up to 5m and the workbook's 5m short
// window. An episode may be attributed to several overlapping faults; one attributed to none is a
// false alarm. Episodes already firing when a fault began are not detections of it.
import type { Detection, FalseAlarm } from "../../result/alerts.ts";
import type { FaultRecord } from "../../result/run.ts";
import type { Episode } from "./alertState.ts";

export const DETECTION_GRACE_MS = 5 * 60_000;

export function attributedTo(fault: FaultRecord, firingAtMs: number): boolean {
  return (
    firingAtMs >= fault.startMs &&
    (fault.endMs === null || firingAtMs <= fault.endMs + DETECTION_GRACE_MS)
  );
}

/** `episodes` in the order they began; the outputs keep the faults' order and firing order. */
export function attribute(
  faults: readonly FaultRecord[],
  episodes: readonly Episode[],
): { detection: Detection[]; falseAlarms: FalseAlarm[] } {
  const fired = episodes
    .filter((e): e is Episode & { firingAtMs: number } => e.firingAtMs !== null)
    .map((episode, order) => ({ episode, order }))
    .sort((a, b) => a.episode.firingAtMs - b.episode.firingAtMs || a.order - b.order)
    .map(({ episode }) => episode);
  const detection = faults.map((fault): Detection => {
    const first = new Map<string, number>();
    for (const episode of fired) {
      if (attributedTo(fault, episode.firingAtMs) && !first.has(episode.alert))
        first.set(episode.alert, episode.firingAtMs);
    }
    return {
      fault: fault.name,
      kind: fault.kind,
      startMs: fault.startMs,
      endMs: fault.endMs,
      alerts: [...first].map(([alert, firingAtMs]) => ({
        alert,
        firingAtMs,
        delayMs: firingAtMs - fault.startMs,
      })),
    };
  });
  const falseAlarms = fired
    .filter((episode) => !faults.some((fault) => attributedTo(fault, episode.firingAtMs)))
    .map(
      (e): FalseAlarm => ({
        alert: e.alert,
        labels: e.labels,
        firingAtMs: e.firingAtMs,
        resolvedAtMs: e.resolvedAtMs,
      }),
    );
  return { detection, falseAlarms };
}
