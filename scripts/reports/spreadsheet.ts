import ExcelJS from "exceljs";
import type { Lang } from "../../lib/messages";
import { header, REGISTER_COLUMNS, type RegisterRow } from "../../lib/reports/register";

function workbook(rows: readonly RegisterRow[], lang: Lang, today: string): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = "server-filings";
  const sheet = book.addWorksheet(lang === "zh" ? "台账" : "Register", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = REGISTER_COLUMNS.map((c) => ({ header: header(c, lang), key: c.key, width: Math.max(8, header(c, lang).length * 2) }));
  for (const r of rows) sheet.addRow(r);
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: REGISTER_COLUMNS.length } };
  book.title = `${lang === "zh" ? "服务器备案台账" : "Server filing register"} ${today}`;
  return book;
}

export async function registerXlsx(rows: readonly RegisterRow[], lang: Lang, today: string): Promise<Buffer> {
  return Buffer.from(await workbook(rows, lang, today).xlsx.writeBuffer());
}

/** UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly. */
export async function registerCsv(rows: readonly RegisterRow[], lang: Lang, today: string): Promise<Buffer> {
  const csv = Buffer.from(await workbook(rows, lang, today).csv.writeBuffer());
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv]);
}
