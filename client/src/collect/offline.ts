import { NetworkError } from '../shared/api';

/**
 * The last answer kept on the device, so that the app opens without a connection: a volunteer in
 * the field reloads the page and goes on typing. Only a network failure falls back to it.
 */
export async function withOfflineCopy<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    const value = await load();
    localStorage.setItem(name, JSON.stringify(value));
    return value;
  } catch (err) {
    const kept = localStorage.getItem(name);
    if (err instanceof NetworkError && kept) return JSON.parse(kept) as T;
    throw err;
  }
}
