import { whenAsked } from '../core/lazy';

describe('whenAsked', () => {
  it('computes only when awaited, and once', async () => {
    const compute = jest.fn(async () => 7);
    const v = whenAsked(compute);
    await new Promise((r) => setTimeout(r, 5));
    expect(compute).not.toHaveBeenCalled();
    expect(await v).toBe(7);
    expect(await v).toBe(7);
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('passes a failure to whoever awaits it', async () => {
    const v = whenAsked(async () => {
      throw new Error('no');
    });
    await expect(Promise.resolve(v)).rejects.toThrow('no');
  });
});
