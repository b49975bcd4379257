/**
 * The partner API key lives only in this tab: React state plus sessionStorage
 * (survives a reload, gone with the tab). Never in the URL, never in localStorage.
 */
const STORAGE_KEY = 'studyspot.explorer.apiKey';

export function loadApiKey(): string {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return ''; // storage disabled (privacy mode): memory only
  }
}

export function saveApiKey(key: string): void {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, key);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled: the key stays in memory only
  }
}
