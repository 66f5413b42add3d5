/** Shapes of the public API (see API.md) as the pages use them. */

export type PetitionRole = 'organizer' | 'volunteer' | 'viewer';

export interface User {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  memberships: { petitionId: string; role: PetitionRole }[];
}

export interface County {
  fips: string;
  name: string;
  target: number | null;
}

export interface Petition {
  id: string;
  slug: string;
  title: string;
  summary: string | null;
  state: string;
  measureType: string;
  signaturesRequired: number;
  circulationStart: string;
  deadline: string;
  assumedValidityRate: number;
  public: boolean;
  status: 'draft' | 'circulating' | 'submitted' | 'qualified' | 'failed';
  counties: County[];
}

export interface Counts {
  raw: number;
  pending: number;
  valid: number;
  invalid: number;
  duplicate: number;
  validityRate: number | null;
  projectedValid: number;
}

export interface CountyProgress extends Counts {
  fips: string;
  name: string;
  target: number | null;
}

export type Band = 'below_95' | 'full_count_95_110' | 'above_110';

export interface Progress {
  petition: { id: string; slug: string; title: string; signaturesRequired: number; deadline: string };
  asOf: string;
  totals: Counts & { percentOfRequired: number; projectedPercentOfRequired: number };
  band: Band;
  pace: { daysLeft: number; neededPerDay: number | null; last7DaysPerDay: number };
  counties: CountyProgress[];
  daily: { date: string; raw: number }[];
  milestones?: Record<'25' | '50' | '100', string | null>;
  distribution?: {
    kind: string;
    met: boolean;
    countiesMeetingTarget?: number;
    largestSharePercent?: number;
  };
}

export interface SampleCounty {
  fips: string;
  name: string;
  raw: number;
  sampleSize: number;
  checked: number;
  valid: number;
  invalid: number;
  duplicates: number;
  validityPercent: number | null;
  projectedValid: number;
  complete: boolean;
}

export interface Sample {
  id: string;
  seed: string;
  createdAt: string;
  signaturesRequired: number;
  counties: SampleCounty[];
  totals: {
    raw: number;
    sampleSize: number;
    checked: number;
    valid: number;
    invalid: number;
    duplicates: number;
    projectedValid: number;
    projectedPercentOfRequired: number;
  };
  complete: boolean;
  band: 'raw_below_100' | Band;
}

export type SignatureStatus = 'pending' | 'valid' | 'invalid' | 'duplicate';

export interface SignerInput {
  firstName: string;
  lastName: string;
  addressLine1: string;
  city: string;
  zip: string;
  countyFips: string;
  signedAt?: string;
}

export interface SignatureReceipt {
  id: string;
  status: SignatureStatus;
  countyFips: string;
  duplicateOf: string | null;
  circulatorId: string;
  createdAt: string;
}

export interface SignatureRecord extends SignatureReceipt {
  reason: string | null;
  signedAt: string;
  firstName: string | null;
  lastName: string | null;
  addressLine1: string | null;
  city: string | null;
  zip: string | null;
}

export interface Membership {
  petitionId: string;
  userId: string;
  role: PetitionRole;
  name: string;
  email: string;
}

/** A bearer token of the signed-in user, as listed (never its secret). */
export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
}

/** The answer to creating a token: the only time its secret is shown. */
export interface IssuedApiToken {
  id: string;
  name: string;
  token: string;
  expiresAt: string;
}
