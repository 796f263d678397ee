import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { registerHtml } from "../../lib/output/register-html";
import { planRegister } from "../../lib/plan/servers";
import { registerRows } from "../../lib/reports/register";
import { registerCsv, registerXlsx } from "../../lib/output/spreadsheet";
import { runBin, runCli } from "../helpers/cli";
import { committedRoot } from "../helpers/git";
import { BASE, REPO, TODAY, edit, sampleConfig, sampleFilings, tempRoot } from "../helpers/register";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const filing = (args: string[]) => runCli([...args, "--today", TODAY], { cwd: dir });

const servers = planRegister({ filings: sampleFilings, config: sampleConfig, today: TODAY }).servers!;
const exam = servers.find((s) => s.id === "jwc-exam-scheduling")!;

const HEADER = ["备案编号", "使用部门", "类型", "状态", "用途", "vCPU", "内存 GiB", "硬盘 GiB", "硬盘明细", "网络区域", "IP 地址", "开放端口", "起始日期", "到期日", "剩余天数", "管理员", "电话", "邮箱", "维保（物理服务器）", "责任书版本", "审批申请编号"];
const EXAM_TAIL = ["—", "2026-1", "—"];
const EXAM_ROW = ["jwc-exam-scheduling", "教务处", "虚拟服务器", "在用", exam.purpose, 4, 8, 100, "100", "校内网", "10.20.1.10", "", exam.period.start, exam.period.end, exam.period.daysLeft, exam.administrator.name, exam.administrator.phone, exam.administrator.email, ...EXAM_TAIL];
/** In XLSX the two dates are real date cells. */
const EXAM_XLSX = EXAM_ROW.map((v, i) => (i === 12 || i === 13 ? new Date(`${v}T00:00:00Z`) : v));

describe("filing report register", () => {
  it("writes an XLSX that reads back with one row per filing, numbers as numbers", async () => {
    const r = await filing(["report", "register", "--root", REPO, "--format", "xlsx", "--out", "register.xlsx"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("（26 份备案）");
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(dir, "register.xlsx"));
    const sheet = book.getWorksheet("台账")!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    expect(sheet.rowCount).toBe(1 + servers.length);
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((x) => x.getCell(1).value === exam.id)!;
    expect((row.values as unknown[]).slice(1).map((v) => v ?? "")).toEqual(EXAM_XLSX);
  });

  it("opens readable: widths fit the content, landscape split across pages as wide as a page reads, dates as dates, expiring rows yellow, totals per department", async () => {
    await filing(["report", "register", "--root", REPO, "--format", "xlsx", "--out", "look.xlsx"]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(dir, "look.xlsx"));
    const sheet = book.getWorksheet("台账")!;
    const longestId = Math.max(...servers.map((x) => x.id.length));
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(longestId);
    // 使用部门: Chinese names count double (计算机科学与技术学院 is 10 characters).
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(20);
    // Printed readably: split across as many landscape pages as its width needs, each starting with the id column.
    const width = sheet.columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
    expect(width).toBeGreaterThan(150);
    expect(sheet.pageSetup).toMatchObject({ orientation: "landscape", fitToPage: true, fitToWidth: Math.ceil(width / 150), fitToHeight: 0, printTitlesColumn: "A:A" });
    const rows = sheet.getRows(2, sheet.rowCount - 1)!;
    const start = rows[0]!.getCell(13);
    expect(start.value).toBeInstanceOf(Date);
    expect(start.numFmt).toBe("yyyy-mm-dd");
    const soon = servers.filter((x) => x.status === "active" && x.period.daysLeft >= 0 && x.period.daysLeft <= 30).map((x) => x.id);
    expect(soon.length).toBeGreaterThan(0);
    for (const r of rows) {
      const fill = r.getCell(1).fill as { fgColor?: { argb?: string } } | undefined;
      expect(fill?.fgColor?.argb === "FFFFF4C2", String(r.getCell(1).value)).toBe(soon.includes(String(r.getCell(1).value)));
    }
    const totals = book.getWorksheet("部门合计")!;
    expect((totals.getRow(1).values as unknown[]).slice(1)).toEqual(["使用部门", "备案数", "在用虚拟机", "vCPU 已用/配额", "内存 GiB 已用/配额", "硬盘 GiB 已用/配额"]);
    const jwc = totals.getRows(2, totals.rowCount - 1)!.find((r) => r.getCell(1).value === "教务处（jwc）")!;
    expect(jwc.getCell(4).value).toMatch(/^\d+ \/ 64（\d+%）$/);
  });

  it("writes XLSX only to a file the user names", async () => {
    const before = fs.readdirSync(dir);
    const r = await filing(["report", "register", "--root", REPO, "--format", "xlsx"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("请用 --out 指定要写入的文件");
    expect(fs.readdirSync(dir)).toEqual(before);
  });

  it("writes the same XLSX from the installed command, which loads exceljs only for reports", async () => {
    const r = runBin(["report", "register", "--root", REPO, "--format", "xlsx", "--out", "from-bin.xlsx", "--today", TODAY], dir);
    expect(r.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(dir, "from-bin.xlsx"));
    expect(book.getWorksheet("台账")!.rowCount).toBe(1 + servers.length);
  });

  it("writes a CSV with a byte-order mark that reads back the same", async () => {
    const r = await filing(["report", "register", "--root", REPO, "--format", "csv"]);
    expect(r.code).toBe(0);
    expect(r.stdout.charCodeAt(0)).toBe(0xfeff);
    const book = new ExcelJS.Workbook();
    const sheet = await book.csv.read(Readable.from([r.stdout.slice(1)]));
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    expect(sheet.rowCount).toBe(1 + servers.length);
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((x) => x.getCell(1).value === exam.id)!;
    expect(String((row.values as unknown[])[11])).toBe("10.20.1.10");
  });

  it("writes a sortable, printable HTML page", async () => {
    const r = await filing(["report", "register", "--root", REPO, "--format", "html"]);
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot("__snapshots__/register.html");
    expect(r.stdout).toContain("@media print");
    expect(r.stdout).toContain('addEventListener("click"');
  });

  it("shows totals with quota use, highlights filings ending within 30 days and keeps short columns on one line", async () => {
    const r = await filing(["report", "register", "--root", REPO, "--format", "html"]);
    expect(r.stdout).toContain("各部门合计（在用虚拟服务器 / 配额）");
    expect(r.stdout).toMatch(/<td>教务处（jwc）<\/td>.*<td>\d+ \/ 64（\d+%）<\/td>/);
    const soon = servers.filter((x) => x.status === "active" && x.period.daysLeft >= 0 && x.period.daysLeft <= 30).length;
    expect(r.stdout.match(/<tr class="expiring">/g)?.length).toBe(soon);
    expect(r.stdout).toMatch(/th, td \{[^}]*white-space: nowrap/);
  });

  it("shows each sensitive port with its sources and reason", async () => {
    const r = await filing(["report", "register", "--root", REPO, "--format", "csv"]);
    expect(r.stdout).toContain("22/tcp（仅 10.8.0.0/16；理由：竞赛期间评测机由学院运维人员经学校 VPN 远程维护）");
    const en = await filing(["report", "register", "--root", REPO, "--format", "csv", "--lang", "en"]);
    expect(en.stdout).toContain("22/tcp (from 10.8.0.0/16 only; reason: ");
  });

  it("neutralises cells a spreadsheet would take for a formula, in CSV and XLSX", async () => {
    const evil = [{ ...exam, purpose: '=HYPERLINK("http://127.0.0.1/x","点我")', administrator: { ...exam.administrator, name: "@SUM(1)" } }];
    const rows = registerRows(evil, "zh");
    const csv = (await registerCsv(rows, "zh")).toString("utf8");
    expect(csv).toContain(`"'=HYPERLINK(""http://127.0.0.1/x"",""点我"")"`);
    expect(csv).toContain("'@SUM(1)");
    const book = new ExcelJS.Workbook();
    const bytes = await registerXlsx(rows, [], "zh", TODAY);
    await book.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const row = book.getWorksheet("台账")!.getRow(2);
    expect(row.getCell(5).value).toBe(`'=HYPERLINK("http://127.0.0.1/x","点我")`);
    expect(row.getCell(16).value).toBe("'@SUM(1)");
    // Numbers (a negative days-left included) stay numbers.
    expect(typeof row.getCell(15).value).toBe("number");
  });

  it("names the pull request that last changed each filing, from main's history (merge and squash)", async () => {
    const { repo, git } = committedRoot("Import the register");
    try {
      fs.writeFileSync(path.join(repo, "filings/jwc/exam-scheduling.yaml"), edit(fs.readFileSync(path.join(repo, "filings/jwc/exam-scheduling.yaml"), "utf8"), "cpu: 4", "cpu: 6"));
      git("commit", "-q", "-am", "jwc: more CPU for exam scheduling (#42)");
      git("checkout", "-q", "-b", "renew");
      fs.writeFileSync(path.join(repo, "filings/xgb/counseling.yaml"), fs.readFileSync(path.join(repo, "filings/xgb/counseling.yaml"), "utf8").replace(/remarks: .*/, 'remarks: "续用"'));
      git("commit", "-q", "-am", "xgb: remarks");
      git("checkout", "-q", "main");
      git("merge", "-q", "--no-ff", "-m", "Merge pull request #7 from xgb/renew", "renew");
      const r = await runCli(["report", "register", "--root", repo, "--format", "csv", "--today", TODAY], { cwd: repo });
      const pr = (id: string) => r.stdout.split("\n").find((l) => l.startsWith(`${id},`))!.trim().split(",").at(-1);
      expect(pr("jwc-exam-scheduling")).toBe("#42");
      expect(pr("xgb-counseling")).toBe("#7");
      expect(pr("jwc-grade-archive")).toBe("—");
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it("escapes what departments type", () => {
    const rows = registerRows([{ ...exam, purpose: '<img src=x onerror="alert(1)">' }], "zh");
    const html = registerHtml(rows, { lang: "zh", today: TODAY });
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("exits 1 and exports nothing when the register is invalid", async () => {
    const root = tempRoot();
    try {
      fs.writeFileSync(path.join(root, "filings/jwc/bad.yaml"), edit(edit(BASE, "id: jwc-fixture", "id: jwc-bad"), "cpu: 4", "cpu: 64"));
      const r = await filing(["report", "register", "--root", root, "--format", "csv"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("备案登记有错误，无法导出台账");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
