// The reference simulator's event list: a binary heap of closures ordered by (time, insertion
// sequence), so ties run first-in first-out, kept in parallel arrays that double when full. No
// cancellation: nothing in the governed chain cancels an event (no timeouts, retries or hedges).

export class EventList {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private actions: (() => void)[] = [];
  private size = 0;
  private seq = 0;
  now = 0;
  events = 0;

  /** Runs `action` at `time` (>= now). */
  at(time: number, action: () => void): void {
    if (this.size === this.times.length) this.grow();
    const seq = this.seq++;
    let i = this.size++;
    const times = this.times;
    const seqs = this.seqs;
    const actions = this.actions;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (times[p] < time || (times[p] === time && seqs[p] < seq)) break;
      times[i] = times[p];
      seqs[i] = seqs[p];
      actions[i] = actions[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    actions[i] = action;
  }

  /** Runs every event at or before `until`, in order; the clock ends at the last event run. */
  run(until: number): void {
    // The arrays are read through `this` each time: an action may grow them.
    while (this.size > 0 && this.times[0] <= until) {
      const action = this.actions[0];
      this.now = this.times[0];
      this.removeRoot();
      this.events++;
      action();
    }
  }

  private removeRoot(): void {
    const n = --this.size;
    const times = this.times;
    const seqs = this.seqs;
    const actions = this.actions;
    const time = times[n];
    const seq = seqs[n];
    const action = actions[n];
    actions[n] = undefined as unknown as () => void;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (
        c + 1 < n &&
        (times[c + 1] < times[c] || (times[c + 1] === times[c] && seqs[c + 1] < seqs[c]))
      )
        c++;
      if (time < times[c] || (time === times[c] && seq < seqs[c])) break;
      times[i] = times[c];
      seqs[i] = seqs[c];
      actions[i] = actions[c];
      i = c;
    }
    if (n > 0) {
      times[i] = time;
      seqs[i] = seq;
      actions[i] = action;
    }
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const seqs = new Float64Array(this.seqs.length * 2);
    times.set(this.times);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
  }
}
