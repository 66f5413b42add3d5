import type { County, Section, SignerInput } from '../shared/types';

export interface Draft {
  firstName: string;
  lastName: string;
  addressLine1: string;
  city: string;
  zip: string;
  county: string;
  /** The number of the paper section the signer signed, '' for none. */
  section: string;
  line: string;
}

export const MAX_LINE = 1000;

export type DraftErrors = Partial<Record<keyof Draft, string>>;

/** The fields typed one after another; the section and its line come before them, when there are sections. */
export const FIELDS: {
  name: Exclude<keyof Draft, 'section' | 'line'>;
  label: string;
  missing: string;
  autoComplete: string;
  inputMode?: 'numeric';
}[] = [
  { name: 'firstName', label: 'First name', missing: 'Enter the first name.', autoComplete: 'off' },
  { name: 'lastName', label: 'Last name', missing: 'Enter the last name.', autoComplete: 'off' },
  {
    name: 'addressLine1',
    label: 'Street address',
    missing: 'Enter the street address.',
    autoComplete: 'off',
  },
  { name: 'city', label: 'City', missing: 'Enter the city.', autoComplete: 'off' },
  { name: 'zip', label: 'ZIP', missing: 'Enter the ZIP code.', autoComplete: 'off', inputMode: 'numeric' },
  { name: 'county', label: 'County', missing: 'Choose the county.', autoComplete: 'off' },
];

/** The API's field for each form field, to place the server's errors next to the right input. */
const API_FIELD: Record<string, keyof Draft> = {
  firstName: 'firstName',
  lastName: 'lastName',
  addressLine1: 'addressLine1',
  city: 'city',
  zip: 'zip',
  countyFips: 'county',
  sectionNumber: 'section',
  line: 'line',
};

const LABELS: Record<keyof Draft, string> = {
  ...(Object.fromEntries(FIELDS.map((f) => [f.name, f.label])) as Record<
    (typeof FIELDS)[number]['name'],
    string
  >),
  section: 'Section',
  line: 'Line',
};

/** A blank signer; the county, the section and the next line carry over from the signer before. */
export const emptyDraft = (county = '', section = '', line = ''): Draft => ({
  firstName: '',
  lastName: '',
  addressLine1: '',
  city: '',
  zip: '',
  county,
  section,
  line,
});

/** The county a typed name means: "Los Angeles", "los angeles county" and "06037" all find it. */
export function findCounty(counties: County[], typed: string): County | undefined {
  const t = typed
    .trim()
    .toLowerCase()
    .replace(/\s+county$/, '');
  if (!t) return undefined;
  return counties.find((c) => c.fips === t || c.name.toLowerCase() === t);
}

/** What is wrong with the section and line of a draft, as the server would find it. */
function checkSection(draft: Draft, county: County | undefined, sections: Section[], errors: DraftErrors) {
  if (!draft.section) return;
  const section = sections.find((s) => String(s.number) === draft.section);
  if (!section) errors.section = 'Choose one of your sections, or none.';
  else if (section.status === 'void') errors.section = `Section ${section.number} is void: choose another.`;
  else if (county && section.countyFips !== county.fips)
    errors.section = `Section ${section.number} is a sheet of another county than ${county.name}.`;
  const line = draft.line.trim();
  if (!line) errors.line = 'Enter the line the signer signed on.';
  else if (!/^\d+$/.test(line) || Number(line) < 1 || Number(line) > MAX_LINE)
    errors.line = `Enter a line number from 1 to ${MAX_LINE}.`;
}

/** Checks a draft as the server would; the signer to send, or the errors by field. */
export function checkDraft(
  draft: Draft,
  counties: County[],
  sections: Section[] = [],
): { signer: SignerInput; errors?: undefined } | { errors: DraftErrors; signer?: undefined } {
  const errors: DraftErrors = {};
  for (const f of FIELDS) if (!draft[f.name].trim()) errors[f.name] = f.missing;
  if (draft.zip.trim() && !/^\d{5}(-\d{4})?$/.test(draft.zip.trim()))
    errors.zip = 'Enter a ZIP code of 5 digits (or ZIP+4, 12345-6789).';
  const county = findCounty(counties, draft.county);
  if (draft.county.trim() && !county) errors.county = 'Choose a county from the list.';
  checkSection(draft, county, sections, errors);
  if (Object.keys(errors).length || !county) return { errors };
  return {
    signer: {
      firstName: draft.firstName.trim(),
      lastName: draft.lastName.trim(),
      addressLine1: draft.addressLine1.trim(),
      city: draft.city.trim(),
      zip: draft.zip.trim(),
      countyFips: county.fips,
      ...(draft.section ? { sectionNumber: Number(draft.section), line: Number(draft.line.trim()) } : {}),
    },
  };
}

/** A draft from a stored signer, to fix a record the server refused. */
export function draftOf(signer: SignerInput, counties: County[]): Draft {
  return {
    firstName: signer.firstName,
    lastName: signer.lastName,
    addressLine1: signer.addressLine1,
    city: signer.city,
    zip: signer.zip,
    county: counties.find((c) => c.fips === signer.countyFips)?.name ?? signer.countyFips,
    section: signer.sectionNumber == null ? '' : String(signer.sectionNumber),
    line: signer.line == null ? '' : String(signer.line),
  };
}

/** The form field a server error path ("zip", "signer.zip", "signatures.0.zip") is about, if any. */
const formFieldOf = (path: string): keyof Draft | undefined => API_FIELD[path.split('.').at(-1) ?? ''];

/** Server field errors placed on the form's fields. */
export function draftErrorsOf(errors: { path: string; message: string }[]): DraftErrors {
  const out: DraftErrors = {};
  for (const e of errors) {
    const field = formFieldOf(e.path);
    if (field) out[field] = e.message;
  }
  return out;
}

/** How to name a server error's field to the volunteer: the form's label, else the path itself. */
export function fieldLabel(path: string): string {
  const field = formFieldOf(path);
  if (field) return LABELS[field];
  return path.split('.').at(-1) === 'signedAt' ? 'Time of signing' : path;
}
