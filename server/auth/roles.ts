export const PETITION_ROLES = ['organizer', 'volunteer', 'viewer'] as const;
export type PetitionRole = (typeof PETITION_ROLES)[number];

/** What a caller may do with one petition, from least to most. */
export type Access = 'none' | 'public' | PetitionRole | 'admin';

const RANK: Record<Access, number> = { none: 0, public: 1, viewer: 2, volunteer: 3, organizer: 4, admin: 5 };

export function atLeast(access: Access, min: Access): boolean {
  return RANK[access] >= RANK[min];
}
