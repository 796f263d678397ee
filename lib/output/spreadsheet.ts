import type ExcelJS from "exceljs";
import type { Lang } from "../messages";
import { approved, kindLabel, monthlyHead, MONTHLY_HEAD, type MonthlyRow } from "../reports/monthly";
import { changeLine, filingSummary } from "./filing-summary";
import { NO_NAMES, type Names } from "../names";
import { header, REGISTER_COLUMNS, registerTitle, rowUrgency, TOTAL_COLUMNS, type Cell, type Column, type RegisterRow } from "../reports/register";

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

/** Display width the way a spreadsheet shows it: CJK and full-width characters take two columns. */
function displayWidth(value: unknown): number {
  let w = 0;
  for (const ch of String(value ?? "")) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

/** Wide enough for the header and the longest value, within bounds (free text wraps at the bound). */
function widthOf(column: Column, rows: readonly RegisterRow[], lang: Lang): number {
  const widest = Math.max(displayWidth(header(column, lang)), ...rows.map((r) => displayWidth(r[column.key])));
  return Math.min(48, Math.max(6, widest + (column.numeric ? 4 : 2)));
}

const FILLS = { overdue: "FFFDE8E8", expiring: "FFFFF4C2" } as const;

/** Column widths (characters) a landscape A4 page holds at about 9 pt. */
const PRINTED_PAGE_WIDTH = 150;

/** An ISO day as a spreadsheet date (midnight UTC, so that no time zone moves it to another day). */
function day(iso: Cell): Date | Cell {
  return typeof iso === "string" && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00Z`) : iso;
}

/**
 * The register as it should open: columns as wide as their content, dates as real dates, rows past
 * their end red and those ending within 30 days yellow, landscape A4 fitted to one page wide with the
 * header repeated, and a second sheet with the per-department totals against quota.
 */
async function registerWorkbook(rows: readonly RegisterRow[], totals: readonly RegisterRow[], lang: Lang, today: string, title: string): Promise<ExcelJS.Workbook> {
  const book = await newWorkbook();
  book.creator = "server-filings";
  book.title = `${title} ${today}`;
  const landscape = { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" } as const;
  // Twenty-one columns on one A4 page printed at about 3 pt: the register is split across pages
  // as wide as a page holds at a readable size, each page starting with the filing id.
  const widths = REGISTER_COLUMNS.map((c) => widthOf(c, rows, lang));
  const pagesWide = Math.max(1, Math.ceil(widths.reduce((a, b) => a + b, 0) / PRINTED_PAGE_WIDTH));
  const sheet = book.addWorksheet(lang === "zh" ? "台账" : "Register", { views: [{ state: "frozen", ySplit: 1, xSplit: 1 }], pageSetup: { ...landscape, fitToWidth: pagesWide, printTitlesColumn: "A:A" } });
  sheet.columns = REGISTER_COLUMNS.map((c) => ({
    header: header(c, lang),
    key: c.key,
    width: widthOf(c, rows, lang),
    // Numbers keep a gap on their right, so that they do not run into the text column beside them.
    style: c.date ? { numFmt: "yyyy-mm-dd" } : c.numeric ? { alignment: { horizontal: "right", indent: 1, vertical: "top" } } : { alignment: { wrapText: Boolean(c.wrap), vertical: "top" } },
  }));
  for (const r of rows) {
    const row = sheet.addRow(Object.fromEntries(REGISTER_COLUMNS.map((c) => [c.key, c.date ? day(r[c.key]!) : cell(r[c.key])])));
    const urgency = rowUrgency(r);
    if (urgency !== "current") row.eachCell((c) => (c.fill = { type: "pattern", pattern: "solid", fgColor: { argb: FILLS[urgency] } }));
  }
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: REGISTER_COLUMNS.length } };
  if (totals.length) {
    const sum = book.addWorksheet(lang === "zh" ? "部门合计" : "Departments", { views: [{ state: "frozen", ySplit: 1 }], pageSetup: landscape });
    sum.columns = TOTAL_COLUMNS.map((c) => ({ header: header(c, lang), key: c.key, width: widthOf(c, totals, lang) }));
    for (const t of totals) sum.addRow(t);
    sum.getRow(1).font = { bold: true };
  }
  return book;
}

export async function registerXlsx(rows: readonly RegisterRow[], totals: readonly RegisterRow[], lang: Lang, today: string, title = registerTitle(NO_NAMES, lang)): Promise<Buffer> {
  return Buffer.from(await (await registerWorkbook(rows, totals, lang, today, title)).xlsx.writeBuffer());
}

/** UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly; dates stay ISO text. */
export async function registerCsv(rows: readonly RegisterRow[], lang: Lang): Promise<Buffer> {
  const book = await newWorkbook();
  const sheet = book.addWorksheet("register");
  sheet.columns = REGISTER_COLUMNS.map((c) => ({ header: header(c, lang), key: c.key }));
  for (const r of rows) sheet.addRow(Object.fromEntries(REGISTER_COLUMNS.map((c) => [c.key, cell(r[c.key])])));
  const csv = Buffer.from(await book.csv.writeBuffer());
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv]);
}

/**
 * The monthly change report as one sheet that prints: its head (title, period, who reports to whom,
 * totals) above the table, then per filing its department, id, change, approving pull request, each
 * changed field old → new and its content, one item per line; landscape A4 fitted one page wide with
 * the table's header repeated on every page, the long columns wrapped.
 */
export async function monthlyXlsx(month: string, period: { from: string; to: string; today: string }, rows: readonly MonthlyRow[], names: Names, lang: Lang): Promise<Buffer> {
  const h = MONTHLY_HEAD[lang];
  const book = await newWorkbook();
  book.creator = "server-filings";
  const head = monthlyHead(month, period, rows, lang, names);
  const top = head.length + 2;
  const sheet = book.addWorksheet(month, {
    views: [{ state: "frozen", ySplit: top }],
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${top}:${top}`, margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 } },
    headerFooter: { oddFooter: lang === "zh" ? "&C第 &P 页，共 &N 页" : "&CPage &P of &N" },
  });
  sheet.columns = [
    { key: "department", width: 16 },
    { key: "id", width: 24 },
    { key: "change", width: 14 },
    { key: "pull", width: 8 },
    { key: "details", width: 44 },
    { key: "content", width: 60 },
  ];
  head.forEach((line, i) => {
    const row = sheet.getRow(i + 1);
    row.getCell(1).value = line;
    if (i === 0) row.font = { bold: true, size: 14 };
  });
  const header = sheet.getRow(top);
  header.values = [h.department, h.id, h.change, h.pull, h.details, h.content];
  header.font = { bold: true };
  for (const r of rows) {
    const row = sheet.addRow({
      department: names.departments.get(r.department) ?? r.department,
      id: cell(r.id),
      change: kindLabel(r.kinds, lang),
      pull: approved(r),
      details: cell(r.changes.map((c) => changeLine(c, lang)).join("\n") || "—"),
      content: cell(r.filing ? filingSummary(r.filing, lang, names).join("\n") : "—"),
    });
    row.alignment = { wrapText: true, vertical: "top" };
  }
  if (rows.length === 0) sheet.getRow(top + 1).getCell(1).value = h.none;
  // Ruled like the paper it replaces, so that a printed row reads across.
  const thin = { style: "thin" } as const;
  for (let n = top; n <= Math.max(sheet.rowCount, top); n++) {
    for (let c = 1; c <= 6; c++) sheet.getRow(n).getCell(c).border = { top: thin, left: thin, bottom: thin, right: thin };
  }
  sheet.getRow(sheet.rowCount + 2).getCell(1).value = h.signOff;
  return Buffer.from(await book.xlsx.writeBuffer());
}
