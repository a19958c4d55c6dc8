// One alert instance (a rule and a label set) as Prometheus' alerting rule tracks it
// (rules/alerting.go): inactive → pending when its condition first holds → firing at the first
// evaluation where it has held for `for` (so with for 0 in the same evaluation) → inactive when
// it stops holding; a firing alert then keeps firing while less than keep_firing_for has passed
// since it stopped. A pending alert whose condition stops is dropped. Every change goes through
// transition(), which checks it against the table and writes it into the instance's episode.

export type AlertState = "inactive" | "pending" | "firing";

const TRANSITIONS: Readonly<Record<AlertState, readonly AlertState[]>> = {
  inactive: ["pending"],
  pending: ["firing", "inactive"],
  firing: ["inactive"],
};

/** One pending-to-resolved stretch of an alert instance. */
export interface Episode {
  alert: string;
  labels: Record<string, string>;
  pendingAtMs: number;
  /** null: it never fired (or has not yet). */
  firingAtMs: number | null;
  /** null: still pending or firing. */
  resolvedAtMs: number | null;
}

export interface StateTiming {
  name: string;
  forMs: number;
  keepFiringForMs: number;
}

export class AlertInstance {
  private current: AlertState = "inactive";
  private activeAtMs = 0;
  private keepFiringSinceMs: number | null = null;
  private episode: Episode | null = null;

  /** `opened` is told of every new episode, when it starts. */
  constructor(
    private readonly rule: StateTiming,
    private readonly labels: Record<string, string>,
    private readonly opened: (episode: Episode) => void,
  ) {}

  get state(): AlertState {
    return this.current;
  }

  /** One evaluation at `nowMs`: `holds` says whether the rule's condition holds for this label set. */
  evaluate(holds: boolean, nowMs: number): void {
    if (holds) {
      this.keepFiringSinceMs = null;
      if (this.current === "inactive") this.transition("pending", nowMs);
      if (this.current === "pending" && nowMs - this.activeAtMs >= this.rule.forMs)
        this.transition("firing", nowMs);
    } else if (this.current === "pending") {
      this.transition("inactive", nowMs);
    } else if (this.current === "firing") {
      this.keepFiringSinceMs ??= nowMs;
      if (nowMs - this.keepFiringSinceMs >= this.rule.keepFiringForMs)
        this.transition("inactive", nowMs);
    }
  }

  private transition(to: AlertState, nowMs: number): void {
    if (!TRANSITIONS[this.current].includes(to))
      throw new Error(`internal: alert ${this.rule.name} cannot go from ${this.current} to ${to}`);
    if (to === "pending") {
      this.activeAtMs = nowMs;
      this.episode = {
        alert: this.rule.name,
        labels: this.labels,
        pendingAtMs: nowMs,
        firingAtMs: null,
        resolvedAtMs: null,
      };
      this.opened(this.episode);
    } else if (to === "firing") {
      this.episode!.firingAtMs = nowMs;
    } else {
      this.episode!.resolvedAtMs = nowMs;
      this.episode = null;
      this.keepFiringSinceMs = null;
    }
    this.current = to;
  }
}
