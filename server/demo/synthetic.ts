import { CA_POPULATION_2020 } from './ca-population';

/** A small seeded PRNG (mulberry32), so demo data and benchmarks are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Maria',
  'Jose',
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Carlos',
  'Karen',
  'Daniel',
  'Nancy',
  'Matthew',
  'Lisa',
  'Anthony',
  'Betty',
  'Mark',
  'Margaret',
  'Juan',
  'Sandra',
  'Luis',
  'Ashley',
  'Steven',
  'Kimberly',
  'Kevin',
  'Emily',
  'Brian',
  'Donna',
  'Wei',
  'Michelle',
  'Minh',
  'Carol',
  'Jorge',
  'Amanda',
  'Hiroshi',
  'Melissa',
  'Ahmed',
  'Deborah',
  'Priya',
  'Stephanie',
  'Ana',
  'Rebecca',
];
const LAST = [
  'Garcia',
  'Hernandez',
  'Smith',
  'Lopez',
  'Martinez',
  'Rodriguez',
  'Gonzalez',
  'Nguyen',
  'Johnson',
  'Perez',
  'Williams',
  'Sanchez',
  'Kim',
  'Brown',
  'Ramirez',
  'Jones',
  'Lee',
  'Torres',
  'Flores',
  'Miller',
  'Chen',
  'Davis',
  'Rivera',
  'Wong',
  'Gomez',
  'Wilson',
  'Diaz',
  'Anderson',
  'Cruz',
  'Tran',
  "O'Brien",
  'Patel',
  'Moore',
  'Reyes',
  'Taylor',
  'Morales',
  'Thomas',
  'Gutierrez',
  'Jackson',
  'Ortiz',
  'White',
  'Chavez',
  'Martin',
  'Ruiz',
  'Thompson',
  'Alvarez',
  'Le',
  'Castillo',
  'Young',
  'Mendoza',
  'Singh',
  'Vasquez',
];
const STREETS = [
  'Main Street',
  'Oak Avenue',
  'Pine Street',
  'Maple Drive',
  'Cedar Lane',
  'Elm Street',
  'Washington Boulevard',
  'Park Avenue',
  'Lake Road',
  'Hill Street',
  'Mission Street',
  'El Camino Real',
  'Sunset Boulevard',
  'Broadway',
  'Lincoln Avenue',
  'Vista Drive',
  'Church Street',
  'Valley Road',
  'Ocean Avenue',
  'Grand Avenue',
];

const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;

export interface SyntheticSigner {
  firstName: string;
  lastName: string;
  addressLine1: string;
  city: string;
  zip: string;
  countyFips: string;
}

export function syntheticSigner(rng: () => number, county: { fips: string; name: string }): SyntheticSigner {
  return {
    firstName: pick(rng, FIRST),
    lastName: pick(rng, LAST),
    addressLine1: `${1 + Math.floor(rng() * 9899)} ${pick(rng, STREETS)}`,
    city: county.name,
    zip: String(90001 + Math.floor(rng() * 6100)),
    countyFips: county.fips,
  };
}

/** Picks counties in proportion to population (California's; other states' counties weigh the same). */
export function countyPicker<C extends { fips: string; name: string }>(
  counties: C[],
  state: string,
): (rng: () => number) => C {
  const weights = counties.map((c) => (state === 'CA' ? (CA_POPULATION_2020[c.name] ?? 1) : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((acc, w, i) => (cumulative[i] = acc + w / total), 0);
  return (rng) => {
    const x = rng();
    const i = cumulative.findIndex((c) => x < c);
    return counties[i < 0 ? counties.length - 1 : i] as C;
  };
}

export interface SyntheticVoter {
  voterId: string;
  firstName: string;
  middleName: string;
  lastName: string;
  houseNumber: string;
  street: string;
  unit: string;
  city: string;
  zip: string;
  countyFips: string;
  dateOfBirth: string;
  status: 'active' | 'inactive' | 'cancelled';
}

/**
 * Households of one to four voters at one address (so addresses and surnames are shared), about 7 %
 * inactive and 3 % cancelled. Call `next()` for each voter.
 */
export function voterGenerator<C extends { fips: string; name: string }>(
  rng: () => number,
  pickCounty: (rng: () => number) => C,
  state: string,
) {
  let household:
    Omit<SyntheticVoter, 'voterId' | 'firstName' | 'middleName' | 'dateOfBirth' | 'status'> | undefined;
  let left = 0;
  let n = 0;
  return (): SyntheticVoter => {
    if (left === 0) {
      const county = pickCounty(rng);
      const s = syntheticSigner(rng, county);
      const [house = '1', ...street] = s.addressLine1.split(' ');
      household = {
        lastName: s.lastName,
        houseNumber: house,
        street: street.join(' '),
        unit: rng() < 0.15 ? String(1 + Math.floor(rng() * 40)) : '',
        city: s.city,
        zip: s.zip,
        countyFips: s.countyFips,
      };
      left = 1 + Math.floor(rng() * 4);
    }
    left--;
    const r = rng();
    const year = 1930 + Math.floor(rng() * 76);
    const day = `${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rng() * 28)).padStart(2, '0')}`;
    return {
      ...(household as NonNullable<typeof household>),
      voterId: `${state}${String(++n).padStart(9, '0')}`,
      firstName: pick(rng, FIRST),
      middleName: rng() < 0.5 ? pick(rng, FIRST).slice(0, 1) : '',
      dateOfBirth: `${year}-${day}`,
      status: r < 0.9 ? 'active' : r < 0.97 ? 'inactive' : 'cancelled',
    };
  };
}
