// Runs async jobs one after another, in the order they were queued; a job that fails does not stop the next.

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Starts `job` once every job queued before it has settled; resolves or rejects as it does. */
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.catch(() => {});
    return result;
  }
}
