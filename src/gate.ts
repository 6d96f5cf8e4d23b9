// A counting gate: at most `limit` holders at once and at most `queue` waiting, the turn passed on in
// order (a newcomer never overtakes the queue). The server's heavy read routes (src/server/limits.ts) and
// its PDF printer (src/print.ts) each keep one.
export class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    readonly limit: number,
    readonly queue: number,
  ) {}

  /**
   * Resolves when the caller may go on; false when the queue is full (the caller must not leave()).
   * `always`: waits however long the queue (a background job, never refused).
   */
  async enter(always = false): Promise<boolean> {
    if (this.active < this.limit) {
      this.active++;
      return true;
    }
    if (!always && this.waiting.length >= this.queue) return false;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return true;
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the turn passes on: active stays the same
    else this.active--;
  }

  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}
