// A consumer group's record of processed message ids (the idempotent consumer: a processed-messages
// table written in the same local transaction as the effect, its unique key refusing a second
// insert). A redelivered or re-published event whose id is still recorded commits nothing. Bounded
// by time, as MassTransit's inbox DuplicateDetectionWindow: an id older than `retention` is
// forgotten (oldest first) and no longer protects.

export class DedupStore {
  /** Message id → when it was processed, in the order recorded (so the oldest expire first). */
  private readonly processed = new Map<number, number>();
  /** Deliveries whose id was already recorded: duplicates that committed nothing. */
  absorbed = 0;

  constructor(
    private readonly retentionMs: number,
    private readonly clock: { readonly now: number },
  ) {}

  /** Whether `id` was processed within the retention; records it when not (it is being processed now). */
  seen(id: number): boolean {
    const now = this.clock.now;
    const oldest = now - this.retentionMs;
    for (const [key, at] of this.processed) {
      if (at >= oldest) break;
      this.processed.delete(key);
    }
    if (this.processed.has(id)) {
      this.absorbed++;
      return true;
    }
    this.processed.set(id, now);
    return false;
  }

  /** Ids remembered now. */
  get size(): number {
    return this.processed.size;
  }
}
