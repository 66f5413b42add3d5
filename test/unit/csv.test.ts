import { parse } from 'csv-parse/sync';
import { csvDocument, talliesCsv } from '../../server/tallies/csv';
import { buildProgress } from '../../server/tallies/progress';

const doc = buildProgress(
  {
    id: 'p',
    slug: 'p',
    title: 'P',
    signaturesRequired: 100,
    deadline: '2027-01-01',
    assumedValidityRate: 0.75,
    counties: [
      { fips: '06001', name: 'Alameda', target: 10 },
      { fips: '06003', name: '=HYPERLINK("http://evil")', target: null },
      { fips: '06005', name: 'Name, with "quotes"', target: 5 },
    ],
  },
  {
    counties: new Map([['06001', { pending: 4, valid: 3, invalid: 1, duplicate: 0 }]]),
    hourly: [],
    seconds: [],
    sections: [],
  },
  new Date('2026-11-21T00:00:00Z'),
);

describe('county tallies CSV', () => {
  const csv = talliesCsv(doc);
  const lines = csv.split('\r\n');

  it('has the contract header, CRLF line ends, one row per county and a TOTAL row', () => {
    expect(lines[0]).toBe(
      'county_fips,county,raw,pending,valid,invalid,duplicate,validity_rate,projected_valid,target',
    );
    expect(lines[1]).toBe('06001,Alameda,8,4,3,1,0,0.75,6,10');
    expect(lines[4]).toBe(',TOTAL,8,4,3,1,0,0.75,6,15');
    expect(lines[5]).toBe('');
    expect(csv.includes('\n') && !/[^\r]\n/.test(csv)).toBe(true);
  });

  it('quotes per RFC 4180 and defuses cells a spreadsheet would run as formulas', () => {
    expect(lines[2]).toBe(`06003,"'=HYPERLINK(""http://evil"")",0,0,0,0,0,,0,`);
    expect(lines[3]).toBe('06005,"Name, with ""quotes""",0,0,0,0,0,,0,5');
    for (const start of ['+', '-', '@', '\t', '\r']) {
      const d = { ...doc, counties: doc.counties.slice(0, 1).map((c) => ({ ...c, name: `${start}1` })) };
      expect(talliesCsv(d).split('\r\n')[1]).toContain(`'${start}1`);
    }
  });

  it('starts with a byte order mark only when asked', () => {
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(talliesCsv(doc, { bom: true }).charCodeAt(0)).toBe(0xfeff);
  });

  it('quotes every cell holding a CR or LF, alone or in pairs, so no cell splits a row', () => {
    const out = csvDocument(['cell'], [['\rCR'], ['a\rb'], ['a\nb'], ['a\r\nb'], ['plain']]);
    expect(out).toBe(`cell\r\n"'\rCR"\r\n"a\rb"\r\n"a\nb"\r\n"a\r\nb"\r\nplain\r\n`);
    expect(parse(out, { from_line: 2 })).toEqual([["'\rCR"], ['a\rb'], ['a\nb'], ['a\r\nb'], ['plain']]);
  });
});
