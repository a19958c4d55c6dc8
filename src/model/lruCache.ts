// A least-recently-used set of request keys, as an instance-local cache (e.g. a user-profile cache
// in front of a database). A Map keeps insertion order, so re-inserting on a hit moves a key to
// the most-recent end and the first key is always the least recent: O(1) either way.

export class LruCache {
  private readonly keys = new Map<number, true>();

  constructor(readonly capacity: number) {}

  /** Looks `key` up and records the use; true on a hit. A miss inserts it, evicting the LRU key. */
  touch(key: number): boolean {
    const keys = this.keys;
    if (keys.delete(key)) {
      keys.set(key, true);
      return true;
    }
    keys.set(key, true);
    if (keys.size > this.capacity) keys.delete(keys.keys().next().value as number);
    return false;
  }

  get size(): number {
    return this.keys.size;
  }
}
