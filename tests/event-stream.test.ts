import { eventStream } from '../gateway/subscriptions/event-stream';

// The per-subscriber buffer between the pub/sub and a WebSocket: bounded, newest
// kept, released at once on close (a slow consumer must never grow memory or
// hold up the bus).
describe('eventStream', () => {
  const setup = async (maxBuffer: number) => {
    let push!: (n: number) => void;
    let unsubscribed = 0;
    const stream = await eventStream<number, number>({
      subscribe: async (p) => ((push = p), () => void unsubscribed++),
      map: async (n) => (n % 10 === 7 ? null : n * 2),
      maxBuffer,
    });
    return { stream, push: (n: number) => push(n), unsubscribed: () => unsubscribed };
  };

  it('keeps only the newest events for a consumer that does not pull', async () => {
    const { stream, push } = await setup(5);
    for (let i = 0; i < 20; i++) push(i);
    const got: number[] = [];
    for (let i = 0; i < 4; i++) got.push((await stream.next()).value as number);
    expect(got).toEqual([30, 32, 36, 38]); // 15..19, 17 filtered out by map
  });

  it('releases its listener on return(), also while waiting for an event', async () => {
    const { stream, push, unsubscribed } = await setup(5);
    const pending = stream.next();
    await stream.return();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(unsubscribed()).toBe(1);
    push(1); // late events after close are ignored
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    await stream.return();
    expect(unsubscribed()).toBe(1);
  });
});
