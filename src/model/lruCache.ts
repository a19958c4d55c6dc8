// A least-recently-used set of request keys, as an instance-local cache (e.g. a user-profile cache
// in front of a database). A Map finds a key's slot; a doubly linked list through typed arrays
// keeps recency, so a hit moves its slot to the front and a miss reuses the tail's slot: O(1), no
// allocation. (Evicting through a Map's own insertion order was 16% of a checkout run: V8's
// iterator walks over every deleted entry at the front of the table.) Small keys (the usual case:
// one key name, ids 0..count−1) find their slot in a typed array instead of the Map, which halved
// the cost of a lookup; larger ids fall back to the Map.

/** Keys below this are indexed densely (at most 4 MB of index per cache). */
const DENSE_KEY_LIMIT = 1 << 20;
export class LruCache {
  private readonly slotOf = new Map<number, number>();
  /** slot + 1 for each key below DENSE_KEY_LIMIT (0: absent); grown on demand. */
  private denseSlotOf = new Int32Array(0);
  private readonly keys: Float64Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private head = -1;
  private tail = -1;
  private used = 0;

  constructor(readonly capacity: number) {
    this.keys = new Float64Array(capacity);
    this.prev = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
  }

  /** Looks `key` up and records the use; true on a hit. A miss inserts it, evicting the LRU key. */
  touch(key: number): boolean {
    const found = this.slotFor(key);
    if (found >= 0) {
      if (found !== this.head) {
        this.unlink(found);
        this.pushFront(found);
      }
      return true;
    }
    let slot: number;
    if (this.used < this.capacity) {
      slot = this.used++;
    } else {
      slot = this.tail;
      this.unlink(slot);
      this.setSlot(this.keys[slot], -1);
    }
    this.keys[slot] = key;
    this.setSlot(key, slot);
    this.pushFront(slot);
    return false;
  }

  get size(): number {
    return this.used;
  }

  /** The slot holding `key`, or -1. */
  private slotFor(key: number): number {
    if (key < DENSE_KEY_LIMIT)
      return key < this.denseSlotOf.length ? this.denseSlotOf[key] - 1 : -1;
    return this.slotOf.get(key) ?? -1;
  }

  /** Records `key` at `slot`, or forgets it (slot -1). */
  private setSlot(key: number, slot: number): void {
    if (key >= DENSE_KEY_LIMIT) {
      if (slot < 0) this.slotOf.delete(key);
      else this.slotOf.set(key, slot);
      return;
    }
    if (key >= this.denseSlotOf.length) {
      if (slot < 0) return;
      const grown = new Int32Array(
        Math.min(DENSE_KEY_LIMIT, Math.max(1024, 2 ** Math.ceil(Math.log2(key + 1)))),
      );
      grown.set(this.denseSlotOf);
      this.denseSlotOf = grown;
    }
    this.denseSlotOf[key] = slot + 1;
  }

  private unlink(slot: number): void {
    const before = this.prev[slot];
    const after = this.next[slot];
    if (before >= 0) this.next[before] = after;
    else this.head = after;
    if (after >= 0) this.prev[after] = before;
    else this.tail = before;
  }

  private pushFront(slot: number): void {
    this.prev[slot] = -1;
    this.next[slot] = this.head;
    if (this.head >= 0) this.prev[this.head] = slot;
    this.head = slot;
    if (this.tail < 0) this.tail = slot;
  }
}
