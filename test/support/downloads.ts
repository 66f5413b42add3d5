import ExcelJS from 'exceljs';
import type { Response } from 'superagent';

/** A supertest parser that keeps the body as the bytes sent (a scan, a workbook). */
export function rawBody(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** The first sheet of a workbook, read back with the library that wrote it. */
export async function firstSheet(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book.worksheets[0] as ExcelJS.Worksheet;
}
