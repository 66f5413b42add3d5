import { checkDraft, draftErrorsOf, draftOf, emptyDraft, fieldLabel } from '../../../client/src/collect/form';
import { nextLine } from '../../../client/src/collect/lines';
import { daysSince } from '../../../client/src/shared/sections';
import type { Section } from '../../../client/src/shared/types';

const counties = [
  { fips: '06001', name: 'Alameda', target: null },
  { fips: '06037', name: 'Los Angeles', target: null },
];

const section = (number: number, overrides: Partial<Section> = {}): Section => ({
  number,
  countyFips: '06001',
  status: 'issued',
  circulatorId: null,
  linesCounted: null,
  linesEntered: 0,
  declarationSignedAt: null,
  issuedAt: '2026-11-01T10:00:00.000Z',
  returnedAt: null,
  filedAt: null,
  filingId: null,
  reason: null,
  hasScan: false,
  ...overrides,
});

const typed = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  addressLine1: '1 Main St',
  city: 'Oakland',
  zip: '94612',
  county: 'Alameda',
  section: '12',
  line: '3',
};

describe('a signer on a paper section', () => {
  it('is sent with its section number and line, both as numbers', () => {
    expect(checkDraft(typed, counties, [section(12)]).signer).toMatchObject({
      countyFips: '06001',
      sectionNumber: 12,
      line: 3,
    });
    const none = checkDraft({ ...typed, section: '', line: '' }, counties, [section(12)]).signer;
    expect(none && 'sectionNumber' in none).toBe(false);
  });

  it('needs a line from 1 to 1000, a section of its county that is not void, and one of the list', () => {
    expect(checkDraft({ ...typed, line: '' }, counties, [section(12)]).errors).toEqual({
      line: 'Enter the line the signer signed on.',
    });
    for (const line of ['0', '1001', '2.5', 'x'])
      expect(checkDraft({ ...typed, line }, counties, [section(12)]).errors).toEqual({
        line: 'Enter a line number from 1 to 1000.',
      });
    expect(checkDraft({ ...typed, county: 'Los Angeles' }, counties, [section(12)]).errors).toEqual({
      section: 'Section 12 is a sheet of another county than Los Angeles.',
    });
    expect(checkDraft(typed, counties, [section(12, { status: 'void' })]).errors).toEqual({
      section: 'Section 12 is void: choose another.',
    });
    expect(checkDraft(typed, counties, [section(13)]).errors).toEqual({
      section: 'Choose one of your sections, or none.',
    });
  });

  it("places a refused line or section on the form's fields and names them by their labels", () => {
    expect(
      draftErrorsOf([
        { path: 'signatures.0.line', message: 'line 3 of section 12 holds another signer' },
        { path: 'signer.sectionNumber', message: 'section 12 is void' },
      ]),
    ).toEqual({ line: 'line 3 of section 12 holds another signer', section: 'section 12 is void' });
    expect(fieldLabel('signatures.4.line')).toBe('Line');
    expect(fieldLabel('signer.sectionNumber')).toBe('Section');
  });

  it('gives a refused record back to the form with its section and line', () => {
    const signer = checkDraft(typed, counties, [section(12)]).signer;
    expect(signer && draftOf(signer, counties)).toEqual(typed);
    expect(emptyDraft('Alameda', '12', '4')).toMatchObject({ firstName: '', section: '12', line: '4' });
  });
});

describe('the next line', () => {
  const waiting = (sectionNumber: number, line: number, petitionId = 'p1') => ({
    petitionId,
    signer: {
      firstName: 'Ada',
      lastName: 'Lee',
      addressLine1: '1 Main St',
      city: 'Oakland',
      zip: '94612',
      countyFips: '06001',
      sectionNumber,
      line,
      signedAt: '',
    },
  });

  it('follows the lines the server has, those waiting on the device and the last one used', () => {
    expect(nextLine(section(12), [], 'p1')).toBe(1);
    expect(nextLine(section(12, { linesEntered: 4 }), [], 'p1')).toBe(5);
    expect(nextLine(section(12, { linesEntered: 1 }), [waiting(12, 6), waiting(13, 9)], 'p1')).toBe(7);
    expect(nextLine(section(12), [waiting(12, 6, 'other petition')], 'p1')).toBe(1);
    expect(nextLine(section(12, { linesEntered: 2 }), [], 'p1', 8)).toBe(9);
  });

  it('never goes past the last line a sheet can have', () => {
    expect(nextLine(section(12), [], 'p1', 1000)).toBe(1000);
  });
});

describe('days out', () => {
  it('counts whole days since a section was issued, never below zero', () => {
    const issued = '2026-11-01T10:00:00.000Z';
    expect(daysSince(issued, Date.parse('2026-11-01T20:00:00.000Z'))).toBe(0);
    expect(daysSince(issued, Date.parse('2026-11-04T10:00:00.000Z'))).toBe(3);
    expect(daysSince(issued, Date.parse('2026-10-30T10:00:00.000Z'))).toBe(0);
  });
});
