import type { Knex } from 'knex';
import type { ChangeBus } from '../events/bus';
import { loadIdentity, type Identity } from '../users/repo';

const TTL_MS = 5_000;

/**
 * Who a signed-in caller is, with their memberships, kept for a few seconds so that a busy volunteer's
 * requests do not each cost a lookup. Membership changes evict the entry in every process.
 */
export class IdentityCache {
  private readonly entries = new Map<string, { identity: Identity | undefined; expires: number }>();

  constructor(
    private readonly knex: Knex,
    bus: ChangeBus,
  ) {
    bus.subscribe((event) => {
      if (event.kind === 'identity') this.entries.delete(event.id);
      if (event.kind === 'resync') this.entries.clear();
    });
  }

  async get(id: string): Promise<Identity | undefined> {
    const hit = this.entries.get(id);
    if (hit && hit.expires > Date.now()) return hit.identity;
    const identity = await loadIdentity(this.knex, id);
    this.entries.set(id, { identity, expires: Date.now() + TTL_MS });
    return identity;
  }
}
