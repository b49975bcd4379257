/**
 * JSON POST to a provider API with a timeout. A non-2xx answer throws with the
 * status only: provider error bodies may echo the recipient or the text.
 */
export async function postJson<T>(url: string, headers: Record<string, string>, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`provider answered HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Digits only, with India's country code added to a bare 10-digit mobile number. */
export function internationalDigits(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length === 10 ? `91${digits}` : digits;
}
