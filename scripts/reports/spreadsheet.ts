import type ExcelJS from "exceljs";
import type { Lang } from "../../lib/messages";
import { kindLabel, MONTHLY_HEAD, type MonthlyRow } from "../../lib/reports/monthly";
import { header, REGISTER_COLUMNS, type RegisterRow } from "../../lib/reports/register";

/**
 * A text cell that a spreadsheet would take for a formula (first character =, +, -, @, tab or CR)
 * gets a leading apostrophe, as OWASP advises against CSV injection: what a department typed stays
 * text when the register is opened. Numbers stay numbers.
 */
export function cell<T>(value: T): T | string {
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** exceljs takes a third of a second to load; every other `filing` command would pay it. */
async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: excel } = await import("exceljs");
  return new excel.Workbook();
}

async function workbook(rows: readonly RegisterRow[], lang: Lang, today: string): Promise<ExcelJS.Workbook> {
  const book = await newWorkbook();
  book.creator = "server-filings";
  const sheet = book.addWorksheet(lang === "zh" ? "台账" : "Register", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = REGISTER_COLUMNS.map((c) => ({ header: header(c, lang), key: c.key, width: Math.max(8, header(c, lang).length * 2) }));
  for (const r of rows) sheet.addRow(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cell(v)])));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: REGISTER_COLUMNS.length } };
  book.title = `${lang === "zh" ? "服务器备案台账" : "Server filing register"} ${today}`;
  return book;
}

export async function registerXlsx(rows: readonly RegisterRow[], lang: Lang, today: string): Promise<Buffer> {
  const book = await workbook(rows, lang, today);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly. */
export async function registerCsv(rows: readonly RegisterRow[], lang: Lang, today: string): Promise<Buffer> {
  const book = await workbook(rows, lang, today);
  const csv = Buffer.from(await book.csv.writeBuffer());
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv]);
}

/** The monthly change report as one sheet: department, filing, change, details (one per line). */
export async function monthlyXlsx(month: string, rows: readonly MonthlyRow[], departmentNames: ReadonlyMap<string, string>, lang: Lang): Promise<Buffer> {
  const h = MONTHLY_HEAD[lang];
  const book = await newWorkbook();
  book.creator = "server-filings";
  const sheet = book.addWorksheet(month, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = [
    { header: h.department, key: "department", width: 24 },
    { header: h.id, key: "id", width: 28 },
    { header: h.change, key: "change", width: 16 },
    { header: h.details, key: "details", width: 80 },
  ];
  for (const r of rows) {
    sheet.addRow({ department: `${departmentNames.get(r.department) ?? r.department} (${r.department})`, id: cell(r.id), change: kindLabel(r.kinds, lang), details: cell(r.details.join("\n")) });
  }
  sheet.getRow(1).font = { bold: true };
  sheet.getColumn("details").alignment = { wrapText: true, vertical: "top" };
  return Buffer.from(await book.xlsx.writeBuffer());
}
