import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { registerHtml } from "../../lib/output/register-html";
import { planRegister } from "../../lib/plan/servers";
import { registerRows } from "../../lib/reports/register";
import { runBin, runCli } from "../helpers/cli";
import { BASE, REPO, TODAY, edit, sampleConfig, sampleFilings, tempRoot } from "../helpers/register";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const filing = (args: string[]) => runCli([...args, "--today", TODAY], { cwd: dir });

const servers = planRegister({ filings: sampleFilings, config: sampleConfig, today: TODAY }).servers!;
const exam = servers.find((s) => s.id === "jwc-exam-scheduling")!;

const HEADER = ["备案编号", "使用部门", "类型", "状态", "用途", "vCPU", "内存 GiB", "硬盘 GiB", "硬盘明细", "网络区域", "IP 地址", "开放端口", "起始日期", "到期日", "剩余天数", "管理员", "电话", "邮箱"];
const EXAM_ROW = ["jwc-exam-scheduling", "教务处", "虚拟机", "在用", exam.purpose, 4, 8, 100, "100", "校内网", "10.20.1.10", "", exam.period.start, exam.period.end, exam.period.daysLeft, exam.administrator.name, exam.administrator.phone, exam.administrator.email];

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
    expect((row.values as unknown[]).slice(1).map((v) => v ?? "")).toEqual(EXAM_ROW);
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
