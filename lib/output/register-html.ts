import { escapeHtml } from "./html";
import type { Lang } from "../messages";
import { EXPIRING_SOON_DAYS, header, REGISTER_COLUMNS, registerTitle, rowUrgency, TOTAL_COLUMNS, type Column, type RegisterRow } from "../reports/register";
import { NO_NAMES, PERIOD_NAMES, SERVER_TYPE_NAMES, STATUS_NAMES } from "../names";

function cellClass(c: Column): string {
  const classes = [c.numeric ? "num" : "", c.wrap ? "wrap" : ""].filter(Boolean);
  return classes.length ? ` class="${classes.join(" ")}"` : "";
}

/**
 * One self-contained page: per-department totals against quota, then the register sortable by
 * clicking a header (no libraries, no network). Filings past their end are red, those ending within
 * 30 days yellow. Short columns never wrap (a wrapped 类型 reads one character per line); the print
 * style fits landscape A4 and repeats the header on every page.
 */
/**
 * `nav`: links the desk puts above the table (HTML its caller built and escaped; shown on screen,
 * never printed).
 */
export function registerHtml(rows: readonly RegisterRow[], options: { lang: Lang; today: string; title?: string; totals?: readonly RegisterRow[]; nav?: string }): string {
  const { lang, today } = options;
  const totals = options.totals ?? [];
  const title = options.title ?? registerTitle(NO_NAMES, lang);
  const head = REGISTER_COLUMNS.map((c, i) => `<th data-col="${i}"${c.numeric ? ' data-numeric="1"' : ""}>${escapeHtml(header(c, lang))}</th>`).join("");
  const body = rows
    .map((r) => `<tr class="${rowUrgency(r)}">${REGISTER_COLUMNS.map((c) => `<td${cellClass(c)}>${escapeHtml(String(r[c.key] ?? ""))}</td>`).join("")}</tr>`)
    .join("\n");
  const expiring = rows.filter((r) => rowUrgency(r) === "expiring").length;
  const overdue = rows.filter((r) => rowUrgency(r) === "overdue").length;
  const note =
    lang === "zh"
      ? `截至 ${today}，共 ${rows.length} 份备案；${expiring} 份将在 ${EXPIRING_SOON_DAYS} 天内到期（黄色），${overdue} 份${PERIOD_NAMES.ended.zh}（红色）。点击表头排序。`
      : `As of ${today}: ${rows.length} filings; ${expiring} end within ${EXPIRING_SOON_DAYS} days (yellow), ${overdue} have ended (red). Click a header to sort.`;
  const totalsTable = totals.length
    ? `<h2>${lang === "zh" ? `各部门合计（${STATUS_NAMES.active.zh}${SERVER_TYPE_NAMES.virtual.zh} / 配额）` : `Per department (${SERVER_TYPE_NAMES.virtual.en}s ${STATUS_NAMES.active.en} / quota)`}</h2>
<table class="totals">
<thead><tr>${TOTAL_COLUMNS.map((c) => `<th>${escapeHtml(header(c, lang))}</th>`).join("")}</tr></thead>
<tbody>
${totals.map((t) => `<tr>${TOTAL_COLUMNS.map((c) => `<td${cellClass(c)}>${escapeHtml(String(t[c.key] ?? ""))}</td>`).join("")}</tr>`).join("\n")}
</tbody>
</table>
<h2>${lang === "zh" ? "备案明细" : "Filings"}</h2>`
    : "";
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} ${escapeHtml(today)}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 1.5em; }
table { border-collapse: collapse; font-size: 12px; margin-bottom: 1.2em; }
th, td { border: 1px solid #999; padding: 3px 6px; text-align: left; vertical-align: top; white-space: nowrap; }
td.wrap { white-space: normal; min-width: 10em; max-width: 22em; }
h2 { font-size: 15px; margin: 0.8em 0 0.4em; }
nav { line-height: 2; }
nav a { margin-right: 1.2em; }
th { background: #eee; cursor: pointer; user-select: none; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
td.num { text-align: right; }
tr.overdue td { background: #fde8e8; }
tr.expiring td { background: #fff4c2; }
@media print {
  @page { size: A4 landscape; margin: 8mm; }
  body { margin: 0; }
  table { font-size: 7.5px; }
  th, td { padding: 1px 3px; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
  th { cursor: auto; }
  .no-print { display: none; }
}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${options.nav ? `<nav class="no-print">${options.nav}</nav>\n` : ""}<p>${escapeHtml(note)}</p>
${totalsTable}
<table id="register">
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<script>
document.querySelectorAll("#register th").forEach(function (th) {
  th.addEventListener("click", function () {
    var col = Number(th.dataset.col), numeric = th.dataset.numeric === "1";
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    document.querySelectorAll("#register th").forEach(function (o) { o.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var tbody = document.querySelector("#register tbody");
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].textContent, y = b.cells[col].textContent;
      return dir * (numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh-CN"));
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
  });
});
</script>
</body>
</html>
`;
}
