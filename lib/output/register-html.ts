import { escapeHtml } from "./html";
import type { Lang } from "../messages";
import { header, REGISTER_COLUMNS, type RegisterRow } from "../reports/register";

/**
 * One self-contained page: a table sortable by clicking a header (no libraries, no network), and a
 * print style that fits landscape A4 and repeats the header on every page.
 */
export function registerHtml(rows: readonly RegisterRow[], options: { lang: Lang; today: string; title?: string }): string {
  const { lang, today } = options;
  const title = options.title ?? (lang === "zh" ? "服务器备案台账" : "Server filing register");
  const head = REGISTER_COLUMNS.map((c, i) => `<th data-col="${i}"${c.numeric ? ' data-numeric="1"' : ""}>${escapeHtml(header(c, lang))}</th>`).join("");
  const body = rows
    .map((r) => `<tr class="${Number(r.daysLeft) < 0 ? "overdue" : "current"}">${REGISTER_COLUMNS.map((c) => `<td${c.numeric ? ' class="num"' : ""}>${escapeHtml(String(r[c.key] ?? ""))}</td>`).join("")}</tr>`)
    .join("\n");
  const note = lang === "zh" ? `截至 ${today}，共 ${rows.length} 份备案。点击表头排序。` : `As of ${today}: ${rows.length} filings. Click a header to sort.`;
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} ${escapeHtml(today)}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 1.5em; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { border: 1px solid #999; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eee; cursor: pointer; user-select: none; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
td.num { text-align: right; }
tr.overdue td { background: #fde8e8; }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  body { margin: 0; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
  th { cursor: auto; }
  .no-print { display: none; }
}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(note)}</p>
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
