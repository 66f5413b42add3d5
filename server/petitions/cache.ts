import type { Knex } from 'knex';
import type { ChangeBus } from '../events/bus';
import { loadPetition, type Petition } from './repo';

const TTL_MS = 30_000;

/**
 * Petitions are read on every intake and progress request and change rarely; each process keeps them
 * for a short time and drops an entry as soon as any process announces a change to it.
 */
export class PetitionCache {
  private readonly entries = new Map<string, { petition: Petition | undefined; expires: number }>();

  constructor(
    private readonly knex: Knex,
    bus: ChangeBus,
  ) {
    bus.subscribe((event) => {
      if (event.kind === 'resync') this.entries.clear();
      if (event.kind !== 'petition') return;
      for (const [ref, entry] of this.entries) {
        if (ref === event.id || entry.petition?.id === event.id) this.entries.delete(ref);
      }
    });
  }

  async find(ref: string): Promise<Petition | undefined> {
    const hit = this.entries.get(ref);
    if (hit && hit.expires > Date.now()) return hit.petition;
    const petition = await loadPetition(this.knex, ref);
    if (this.entries.size > 5_000) this.entries.clear();
    if (petition) this.entries.set(ref, { petition, expires: Date.now() + TTL_MS });
    return petition;
  }
}
