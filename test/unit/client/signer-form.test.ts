import {
  checkDraft,
  draftErrorsOf,
  draftOf,
  emptyDraft,
  fieldLabel,
  findCounty,
} from '../../../client/src/collect/form';
import { newKey } from '../../../client/src/collect/keys';

const counties = [
  { fips: '06001', name: 'Alameda', target: null },
  { fips: '06037', name: 'Los Angeles', target: null },
  { fips: '06075', name: 'San Francisco', target: 5000 },
];

const typed = {
  firstName: ' Ada ',
  lastName: 'Lovelace',
  addressLine1: '1 Main St',
  city: 'Oakland',
  zip: '94612',
  county: 'alameda',
  section: '',
  line: '',
};

describe('the volunteer form', () => {
  it('finds a county by its name in any case, with or without "County", or by FIPS code', () => {
    expect(findCounty(counties, 'los angeles')?.fips).toBe('06037');
    expect(findCounty(counties, '  Los Angeles County ')?.fips).toBe('06037');
    expect(findCounty(counties, '06075')?.name).toBe('San Francisco');
    expect(findCounty(counties, 'Los')).toBeUndefined();
    expect(findCounty(counties, '')).toBeUndefined();
  });

  it('turns a good draft into the signer the API takes, trimmed, with the county as FIPS', () => {
    expect(checkDraft(typed, counties)).toEqual({
      signer: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        addressLine1: '1 Main St',
        city: 'Oakland',
        zip: '94612',
        countyFips: '06001',
      },
    });
    expect(checkDraft({ ...typed, zip: '94612-1234' }, counties).signer?.zip).toBe('94612-1234');
  });

  it('names every missing field, a bad ZIP and a county not on the list', () => {
    expect(checkDraft(emptyDraft(), counties).errors).toEqual({
      firstName: 'Enter the first name.',
      lastName: 'Enter the last name.',
      addressLine1: 'Enter the street address.',
      city: 'Enter the city.',
      zip: 'Enter the ZIP code.',
      county: 'Choose the county.',
    });
    expect(checkDraft({ ...typed, zip: '9461' }, counties).errors).toEqual({
      zip: 'Enter a ZIP code of 5 digits (or ZIP+4, 12345-6789).',
    });
    expect(checkDraft({ ...typed, county: 'Narnia' }, counties).errors).toEqual({
      county: 'Choose a county from the list.',
    });
  });

  it("places the server's field errors on the form's fields, whatever their prefix", () => {
    expect(
      draftErrorsOf([
        { path: 'signatures.0.zip', message: 'must be a ZIP code' },
        { path: 'signer.countyFips', message: 'is not a county of this petition' },
        { path: 'signedAt', message: 'must not be in the future' },
      ]),
    ).toEqual({ zip: 'must be a ZIP code', county: 'is not a county of this petition' });
  });

  it("names a server error's field by the form's label", () => {
    expect(fieldLabel('signatures.0.countyFips')).toBe('County');
    expect(fieldLabel('addressLine1')).toBe('Street address');
    expect(fieldLabel('signedAt')).toBe('Time of signing');
    expect(fieldLabel('signatures.3.email')).toBe('signatures.3.email');
  });

  it('gives a refused record back to the form with the county by name', () => {
    const signer = checkDraft(typed, counties).signer;
    expect(signer && draftOf(signer, counties)).toEqual({ ...typed, firstName: 'Ada', county: 'Alameda' });
  });

  it('makes version 4 UUIDs for idempotency keys, a new one each time', () => {
    const keys = new Set(Array.from({ length: 100 }, newKey));
    expect(keys.size).toBe(100);
    for (const key of keys)
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
