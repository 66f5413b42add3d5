import { useEffect, useState } from 'preact/hooks';
import type { Progress } from '../shared/types';

export type Connection = 'connecting' | 'live' | 'disconnected';

/**
 * Follows the petition's progress stream: each `progress` event replaces the document. The browser
 * reconnects by itself (the server asks for 3 s); while it is cut off the page says so.
 */
export function useLiveProgress(petitionId: string | null, initial: Progress | null) {
  const [progress, setProgress] = useState<Progress | null>(initial);
  const [connection, setConnection] = useState<Connection>('connecting');

  useEffect(() => setProgress((p) => p ?? initial), [initial]);

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
  }, [petitionId]);

  return { progress, connection };
}
