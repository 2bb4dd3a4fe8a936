/**
 * Dense integer ids for string keys (user and item ids of a dump), looked up
 * either by string or straight from the bytes of a line, so that a reader
 * need not make a string for every id it meets, only for new ones. An
 * open-addressing table over the keys' UTF-8 bytes (FNV-1a hash); the same
 * key gets the same id whichever way it arrives.
 */
export class IdInterner {
  /** The keys by id, as strings. */
  readonly keys: string[] = [];
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  private offsets = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  /** id + 1 per slot; 0 is empty. */
  private slots = new Int32Array(2048);
  private mask = 2047;

  get size(): number {
    return this.keys.length;
  }

  /** The id of `buf[start, end)` (UTF-8), adding the key when new. */
  internBytes(buf: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let k = start; k < end; k++) h = Math.imul(h ^ (buf[k] as number), 0x01000193);
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const v = this.slots[slot] as number;
      if (v === 0) break;
      const id = v - 1;
      if (this.hashes[id] === h && this.lengths[id] === len) {
        const off = this.offsets[id] as number;
        let same = true;
        for (let k = 0; k < len; k++) {
          if (this.arena[off + k] !== buf[start + k]) {
            same = false;
            break;
          }
        }
        if (same) return id;
      }
      slot = (slot + 1) & this.mask;
    }
    return this.insert(slot, h, buf, start, end, null);
  }

  /** The id of `key`, adding it when new. */
  intern(key: string): number {
    let h = 0x811c9dc5;
    const len = key.length;
    for (let k = 0; k < len; k++) {
      const c = key.charCodeAt(k);
      // Non-ASCII keys go through their UTF-8 bytes, so both ways agree.
      if (c >= 0x80) {
        const bytes = Buffer.from(key, 'utf8');
        return this.internBytes(bytes, 0, bytes.length);
      }
      h = Math.imul(h ^ c, 0x01000193);
    }
    let slot = h & this.mask;
    for (;;) {
      const v = this.slots[slot] as number;
      if (v === 0) break;
      const id = v - 1;
      if (this.hashes[id] === h && this.lengths[id] === len) {
        const off = this.offsets[id] as number;
        let same = true;
        for (let k = 0; k < len; k++) {
          if (this.arena[off + k] !== key.charCodeAt(k)) {
            same = false;
            break;
          }
        }
        if (same) return id;
      }
      slot = (slot + 1) & this.mask;
    }
    return this.insert(slot, h, null, 0, len, key);
  }

  private insert(
    slot: number,
    h: number,
    buf: Uint8Array | null,
    start: number,
    end: number,
    key: string | null,
  ): number {
    const id = this.keys.length;
    const len = end - start;
    if (id === this.offsets.length) this.growIds();
    while (this.arenaUsed + len > this.arena.length) {
      const a = new Uint8Array(this.arena.length * 2);
      a.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = a;
    }
    const off = this.arenaUsed;
    if (buf) this.arena.set(buf.subarray(start, end), off);
    else for (let k = 0; k < len; k++) this.arena[off + k] = (key as string).charCodeAt(k);
    this.arenaUsed += len;
    this.offsets[id] = off;
    this.lengths[id] = len;
    this.hashes[id] = h;
    // A fresh string either way: a key sliced out of a 1 MB chunk of a dump would keep the chunk alive.
    this.keys.push(
      key !== null
        ? (' ' + key).slice(1)
        : Buffer.from((buf as Uint8Array).buffer, (buf as Uint8Array).byteOffset + start, len).toString('utf8'),
    );
    this.slots[slot] = id + 1;
    if ((id + 1) * 2 > this.slots.length) this.rehash();
    return id;
  }

  private growIds(): void {
    const n = this.offsets.length * 2;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.offsets = grow(this.offsets);
    this.lengths = grow(this.lengths);
    this.hashes = grow(this.hashes);
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let id = 0; id < this.keys.length; id++) {
      let slot = (this.hashes[id] as number) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = id + 1;
    }
  }
}
