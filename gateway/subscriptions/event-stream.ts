/**
 * An async iterator over pub/sub events, mapped one at a time (each event's
 * payload is fetched through the gateway). Written by hand rather than as an
 * async generator because a generator waiting for the next event cannot be
 * closed: `return()` must release the listener at once, or every closed
 * subscription would leak one.
 */
export interface EventStream<R> extends AsyncIterableIterator<R> {
  return(): Promise<IteratorResult<R>>;
  /** Ends the stream as if the client had completed it (graceful shutdown). */
  end(): void;
}

export interface EventStreamOptions<E, R> {
  subscribe(push: (event: E) => void): Promise<() => void>;
  /** null skips the event (e.g. filtered out). */
  map(event: E): Promise<R | null>;
  /** A slow consumer keeps only the newest events; it never holds up others. */
  maxBuffer?: number;
  onClose?(): void;
}

export async function eventStream<E, R>(opts: EventStreamOptions<E, R>): Promise<EventStream<R>> {
  const max = opts.maxBuffer ?? 100;
  const queue: E[] = [];
  let closed = false;
  let wake: (() => void) | null = null;
  const off = await opts.subscribe((event) => {
    if (closed) return;
    if (queue.length >= max) queue.shift();
    queue.push(event);
    wake?.();
  });

  const close = () => {
    if (closed) return;
    closed = true;
    off();
    queue.length = 0;
    wake?.();
    opts.onClose?.();
  };
  const done = (): IteratorResult<R> => ({ done: true, value: undefined });

  const stream: EventStream<R> = {
    async next() {
      while (!closed) {
        const event = queue.shift();
        if (event === undefined) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        const value = await opts.map(event);
        if (value !== null && !closed) return { done: false, value };
      }
      return done();
    },
    async return() {
      close();
      return done();
    },
    async throw() {
      close();
      return done();
    },
    end: close,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return stream;
}
