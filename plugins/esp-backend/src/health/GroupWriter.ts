/**
 * Writes items in groups: while one write runs, the items that arrive wait
 * and go out together in the next one. A quiet dispatcher writes each
 * report at once; a busy one (thousands of sends a second) makes one write
 * per group instead of one per send. Each `add` settles when the write that
 * carried its item did.
 */
export class GroupWriter<T> {
  private pending: Array<{
    item: T;
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  private running = false;

  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const group = this.pending;
        this.pending = [];
        try {
          await this.write(group.map(entry => entry.item));
          for (const entry of group) entry.resolve();
        } catch (error) {
          for (const entry of group) entry.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
