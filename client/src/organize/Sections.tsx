import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../shared/api';
import { Alert } from '../shared/components';
import type { MemberList, Membership, Petition } from '../shared/types';
import { FileCounty } from './FileCounty';
import { FindSection } from './FindSection';
import { IssueSections } from './IssueSections';
import { Outstanding } from './Outstanding';

/** Who a circulator id names, in words. */
export type NameOf = (userId: string | null) => string;

/**
 * The paper trail of the petition: issue sections to a circulator, find one by number and move it
 * (returned, counted, lost, void), the sections still out, longest out first, and filing a county's
 * counted sections with their manifest. Every change makes the lists read again.
 */
export function Sections({ petition }: { petition: Petition }) {
  const [members, setMembers] = useState<Membership[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [opened, setOpened] = useState<{ number: number } | null>(null);
  const changed = () => setVersion((v) => v + 1);

  useEffect(() => {
    api<MemberList>('GET', `/api/petitions/${petition.id}/members`).then(
      (r) => setMembers(r.items),
      (err) => setError(describeError(err)),
    );
  }, [petition.id]);

  const nameOf: NameOf = (userId) =>
    userId === null ? 'nobody' : (members.find((m) => m.userId === userId)?.name ?? 'a former member');
  const open = (number: number) => {
    setOpened({ number });
    document.getElementById('find-title')?.scrollIntoView({ block: 'start' });
  };

  return (
    <>
      {error && <Alert kind="error">{error}</Alert>}
      <div class="grid">
        <IssueSections petition={petition} members={members} onIssued={changed} />
        <FindSection
          petition={petition}
          members={members}
          nameOf={nameOf}
          opened={opened}
          onChanged={changed}
        />
      </div>
      <Outstanding petition={petition} nameOf={nameOf} version={version} onOpen={open} />
      <FileCounty petition={petition} version={version} onFiled={changed} />
    </>
  );
}
