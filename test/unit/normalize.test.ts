import { matchKey, normalizeAddress, normalizeName, normalizeZip } from '../../server/signatures/normalize';

describe('name and address normalization', () => {
  it('ignores case, spacing, accents and punctuation in names', () => {
    expect(normalizeName('  José  ')).toBe('jose');
    expect(normalizeName("O'Brien")).toBe(normalizeName('OBRIEN'));
    expect(normalizeName('Mary-Jane')).toBe('mary jane');
  });

  it('reduces common street words to their USPS abbreviations', () => {
    expect(normalizeAddress('123 North Main Street')).toBe('123 n main st');
    expect(normalizeAddress('123 N. Main St.')).toBe('123 n main st');
    expect(normalizeAddress('9 Sunset Boulevard', 'Apartment 4')).toBe('9 sunset blvd unit 4');
    expect(normalizeAddress('9 Sunset Blvd #4')).toBe('9 sunset blvd unit 4');
    expect(normalizeAddress('9 Sunset Blvd', 'Apt. #4')).toBe('9 sunset blvd unit 4');
  });

  it('keeps the five-digit ZIP', () => {
    expect(normalizeZip('94601-1234')).toBe('94601');
  });

  it('gives two typings of one person the same key, and different people different keys', () => {
    const a = { firstName: 'Ann', lastName: 'Lee', addressLine1: '12 Main Street', zip: '94601' };
    const b = { firstName: ' ann ', lastName: 'LEE', addressLine1: '12 main st.', zip: '94601-0001' };
    expect(matchKey(a)).toBe(matchKey(b));
    expect(matchKey(a)).not.toBe(matchKey({ ...a, addressLine1: '14 Main Street' }));
    expect(matchKey(a)).not.toBe(matchKey({ ...a, firstName: 'Anne' }));
  });

  it('keeps letters of every script, so different people with non-Latin names are not taken for one', () => {
    const at = { addressLine1: '1 Main St', zip: '94601' };
    expect(matchKey({ ...at, firstName: '伟', lastName: '王' })).not.toBe(
      matchKey({ ...at, firstName: '娜', lastName: '李' }),
    );
    expect(matchKey({ ...at, firstName: 'Анна', lastName: 'Петрова' })).not.toBe(
      matchKey({ ...at, firstName: 'Мария', lastName: 'Петрова' }),
    );
    expect(normalizeName('Анна')).toBe('анна');
    expect(normalizeName('王 伟')).toBe('王 伟');
  });

  it('folds Latin letters that have no accent to drop, so one person typed two ways is one', () => {
    expect(normalizeName('Søren Ølsen')).toBe(normalizeName('Soren Olsen'));
    expect(normalizeName('ŁUKASZ')).toBe('lukasz');
    expect(normalizeAddress('12 Hauptstraße')).toBe(normalizeAddress('12 Hauptstrasse'));
    expect(normalizeName('Æsa')).toBe('aesa');
    expect(normalizeName('ﬁona')).toBe('fiona');
  });
});
