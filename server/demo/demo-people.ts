import { VOTER_COLUMNS } from '../verification/voter-row';
import { countyPicker, syntheticSigner, voterGenerator, type SyntheticVoter } from './synthetic';
import type { SignerInput } from '../signatures/schemas';

export function demoVoters(rng: () => number, counties: { fips: string; name: string }[], count: number) {
  const next = voterGenerator(rng, countyPicker(counties, 'CA'), 'CA');
  return Array.from({ length: count }, () => next());
}

export function* voterCsv(voters: SyntheticVoter[]): Generator<string> {
  yield `${VOTER_COLUMNS.join(',')}\n`;
  for (const v of voters) {
    yield `${v.voterId},${v.firstName},${v.middleName},${v.lastName},${v.houseNumber},${v.street},${v.unit},${v.city},${v.zip},${v.countyFips},${v.dateOfBirth},${v.status}\n`;
  }
}

const pickFrom = <T>(rng: () => number, list: T[]): T => list[Math.floor(rng() * list.length)] as T;

function asSigner(v: SyntheticVoter): SignerInput {
  return {
    firstName: v.firstName,
    lastName: v.lastName,
    addressLine1: `${v.houseNumber} ${v.street}`,
    addressLine2: v.unit ? `Apt ${v.unit}` : null,
    city: v.city,
    zip: v.zip,
    countyFips: v.countyFips,
  };
}

/**
 * Signers as campaigns see them: about 72 % registered voters written as registered, 6 % lapsed
 * (inactive or cancelled), 5 % in another county than their registration, 5 % with a typo, and 12 % not
 * registered at all; a careless collector brings twice the unregistered and typos. Each registered
 * voter signs once (repeat signers are made by the caller).
 */
export function demoSignerSource(
  rng: () => number,
  voters: SyntheticVoter[],
  counties: { fips: string; name: string }[],
) {
  const order = voters.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const active = order.map((i) => voters[i] as SyntheticVoter).filter((v) => v.status === 'active');
  const lapsed = order.map((i) => voters[i] as SyntheticVoter).filter((v) => v.status !== 'active');
  const take = (list: SyntheticVoter[]) => list.pop() ?? pickFrom(rng, voters);
  return (careless = false): SignerInput => {
    const r = rng();
    const [typo, unregistered] = careless ? [0.1, 0.24] : [0.05, 0.12];
    if (r < unregistered) return syntheticSigner(rng, pickFrom(rng, counties));
    if (r < unregistered + typo) {
      const s = asSigner(take(active));
      return { ...s, firstName: `${s.firstName}e` };
    }
    if (r < unregistered + typo + 0.06) return asSigner(take(lapsed));
    if (r < unregistered + typo + 0.11)
      return { ...asSigner(take(active)), countyFips: pickFrom(rng, counties).fips };
    return asSigner(take(active));
  };
}
