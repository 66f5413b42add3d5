import { useEffect, useState } from 'preact/hooks';
import type { Progress } from '../shared/types';

export type Connection = 'connecting' | 'live' | 'disconnected';

/**
 * Follows the petition's progress stream: each `progress` event replaces the document. The browser
 * reconnects by itself (the server asks for 3 s); while the stream is cut, or the device is offline,
 * the page says so, and when the device is back online the stream is opened afresh at once.
 */
export function useLiveProgress(petitionId: string | null, initial: Progress | null) {
  const [progress, setProgress] = useState<Progress | null>(initial);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => setProgress((p) => p ?? initial), [initial]);

  useEffect(() => {
    const offline = () => setConnection('disconnected');
    const online = () => setAttempt((n) => n + 1);
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
    };
  }, []);

  useEffect(() => {
    if (!petitionId) return;
    const source = new EventSource(`/api/petitions/${encodeURIComponent(petitionId)}/progress/stream`);
    source.addEventListener('open', () => setConnection('live'));
    source.addEventListener('error', () => setConnection('disconnected'));
    source.addEventListener('progress', (event) => {
      setConnection('live');
      setProgress(JSON.parse((event as MessageEvent<string>).data) as Progress);
    });
    return () => source.close();
  }, [petitionId, attempt]);

  return { progress, connection };
}
