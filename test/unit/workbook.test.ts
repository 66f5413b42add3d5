import ExcelJS from 'exceljs';
import { tallyTable } from '../../server/tallies/csv';
import { buildProgress } from '../../server/tallies/progress';
import { workbook } from '../../server/tallies/workbook';
import { firstSheet } from '../support/downloads';

const doc = buildProgress(
  {
    id: 'p',
    slug: 'p',
    title: 'P',
    signaturesRequired: 100,
    deadline: '2026-12-01',
    assumedValidityRate: 0.75,
    counties: [
      { fips: '06001', name: 'Alameda', target: 10 },
      { fips: '06003', name: '=HYPERLINK("http://evil")', target: null },
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

describe('the county tallies workbook', () => {
  it('keeps FIPS codes as text, counts as numbers, rates in a percent format, and no formula anywhere', async () => {
    const sheet = await firstSheet(await workbook(tallyTable(doc), 'County tallies', new Date(doc.asOf)));
    expect(sheet.name).toBe('County tallies');
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'county_fips',
      'county',
      'raw',
      'pending',
      'valid',
      'invalid',
      'duplicate',
      'validity_rate',
      'projected_valid',
      'target',
    ]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const alameda = sheet.getRow(2);
    expect(alameda.getCell(1).value).toBe('06001');
    expect(alameda.getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(alameda.getCell(3).value).toBe(8);
    expect(alameda.getCell(3).type).toBe(ExcelJS.ValueType.Number);
    expect(alameda.getCell(8).value).toBe(0.75);
    expect(alameda.getCell(8).numFmt).toMatch(/%/);

    const total = sheet.getRow(4);
    expect(total.getCell(2).value).toBe('TOTAL');
    expect(total.getCell(3).value).toBe(8);
    const cells: ExcelJS.Cell[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
    expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula || c.formula)).toEqual([]);
    // A name that looks like a formula stays the text it is.
    expect(sheet.getRow(3).getCell(2).value).toBe('=HYPERLINK("http://evil")');
    expect(sheet.getRow(3).getCell(2).type).toBe(ExcelJS.ValueType.String);
  });
});
