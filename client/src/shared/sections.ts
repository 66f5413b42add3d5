import { api } from './api';
import type { Section, SectionPage, SectionStatus } from './types';

/** The badge of each status: out (to watch), handed in, done, gone. */
export const STATUS_BADGE: Record<SectionStatus, string> = {
  issued: 'warn',
  returned: '',
  counted: 'ok',
  filed: 'ok',
  lost: 'bad',
  void: 'bad',
};

const PAGE = 500;

/** Every section that matches, page after page (a volunteer gets only their own). */
export async function allSections(
  petitionId: string,
  filter: { status?: SectionStatus; county?: string } = {},
): Promise<Section[]> {
  const items: Section[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ ...filter, limit: String(PAGE), ...(cursor ? { cursor } : {}) });
    const page: SectionPage = await api<SectionPage>(
      'GET',
      `/api/petitions/${encodeURIComponent(petitionId)}/sections?${query}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Whole days from a moment to now (at least 0). */
export function daysSince(iso: string, now = Date.now()): number {
  return Math.max(0, Math.floor((now - Date.parse(iso)) / 86_400_000));
}

export const sectionPath = (petitionId: string, number: number) =>
  `/api/petitions/${encodeURIComponent(petitionId)}/sections/${number}`;
