import ExcelJS from 'exceljs';
import type { ColumnKind, Table } from './csv';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const FORMATS: Partial<Record<ColumnKind, string>> = {
  text: '@',
  rate: '0.0%',
  percent: '0.00"%"',
};

/**
 * A table as an Office Open XML workbook of one sheet: the header bold and frozen, FIPS codes and
 * names as text (06001 stays 06001), counts as numbers, rates as numbers in a percent format. Every
 * cell is a value, never a formula: text that starts with = stays text.
 */
export async function workbook(table: Table, sheet: string, at: Date): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Petition platform';
  book.created = at;
  book.modified = at;
  const ws = book.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = table.header.map((header, i) => {
    const numFmt = FORMATS[table.kinds[i] ?? 'text'];
    return { header, key: header, width: Math.max(12, header.length + 2), style: numFmt ? { numFmt } : {} };
  });
  ws.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    ws.addRow(
      row.map((cell, i) => {
        if (cell === null || cell === undefined || cell === '') return null;
        // A text column keeps every value as text; the rest keep their numbers and booleans.
        return table.kinds[i] === 'text' ? String(cell) : cell;
      }),
    );
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
