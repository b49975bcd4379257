/**
 * What `read` gives once `ok` holds, polled every `everyMs` for up to `ms`; otherwise it throws
 * naming `what`. For effects of background jobs, which tests wait for rather than sleep on.
 */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 5_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`never: ${what} (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
