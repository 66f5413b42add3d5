import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../shared/api';
import { allSections, sectionPath } from '../shared/sections';
import type { Section, SectionChange } from '../shared/types';
import { withOfflineCopy } from './offline';
import type { Outbox } from './outbox';

export const sectionsKey = (userId: string, petitionId: string) => `collect.sections.${userId}.${petitionId}`;

/**
 * The paper sections issued to this volunteer on the petition, kept on the device like the petition
 * itself so that a section can be picked offline; read again when records are acknowledged (their
 * lines entered change) and when the connection returns.
 */
export function useSections(petitionId: string, outbox: Outbox) {
  const [sections, setSections] = useState<Section[]>([]);
  const [error, setError] = useState<string | null>(null);
  const key = sectionsKey(outbox.userId, petitionId);

  const refresh = () =>
    withOfflineCopy(key, () => allSections(petitionId)).then(
      (list) => {
        setSections(list);
        setError(null);
      },
      (err) => setError(describeError(err)),
    );

  useEffect(() => {
    void refresh();
    window.addEventListener('online', refresh);
    const off = outbox.subscribe((e) => {
      if (e.kind === 'acknowledged') void refresh();
    });
    return () => {
      window.removeEventListener('online', refresh);
      off();
    };
  }, [petitionId, outbox]);

  /** The circulator hands a section in: the one move a volunteer may make. */
  const markReturned = async (number: number): Promise<Section> => {
    const body: SectionChange = { status: 'returned' };
    const section = await api<Section>('PATCH', sectionPath(petitionId, number), { body });
    setSections((list) => list.map((s) => (s.number === number ? section : s)));
    void refresh();
    return section;
  };

  return { sections, error, markReturned };
}
