import type { Sample } from '../shared/types';

/** What each band means under the California random sample rule (Elections Code §9030). */
export const BAND_TEXT: Record<Sample['band'], string> = {
  raw_below_100: 'Fewer raw signers than required: the petition cannot qualify yet.',
  below_95: 'Projected below 95 % of the requirement: the petition would fail the random sample.',
  full_count_95_110: 'Projected between 95 % and 110 %: every signature would be checked (full count).',
  above_110: 'Projected above 110 %: the petition qualifies on the random sample.',
};
