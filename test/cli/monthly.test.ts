/** `filing report monthly` over a scripted git history in a temporary repository. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { scriptedHistory } from "../helpers/history";

const repo = fs.mkdtempSync(path.join(os.tmpdir(), "monthly-"));
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

beforeAll(() => scriptedHistory(repo));

const filing = (args: string[]) => runCli([...args, "--root", repo, "--today", "2026-12-05"], { cwd: repo });

describe("filing report monthly", () => {
  it("lists exactly the month's changes by department: kind, approving pull request, old → new, and the filing's content", async () => {
    const r = await filing(["report", "monthly", "--month", "2026-11"]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split("\n").filter((l) => /^\| [a-z]+-/.test(l));
    expect(rows.map((l) => l.split(" | ").slice(0, 4).join(" | "))).toEqual([
      // Approved and in effect on the day the merge reached main (Beijing time), in that pull request.
      "| jwc-exam-scheduling | 扩容或扩大开放 | 2026-11-01 #12 | CPU（核）：4 → 6",
      "| jwc-fixture | 新申请 | 2026-11-30 #15 | —",
      "| tsg-seat-booking | 删除已下线的备案记录 | 2026-11-15 #14 | —",
      expect.stringMatching(/^\| xgb-counseling \| 续期 \| 2026-11-10 #13 \| 开通时间：\S+ → 2026-12-20$/),
    ]);
    // A new filing's content in the form's words; a removed one's as it last stood.
    expect(rows[1]).toContain("使用部门：教务处（jwc）；用途：测试用选课系统<br>服务器类型：虚拟服务器；配置：4 vCPU，内存 8 GiB，硬盘 100 GiB<br>网络：校内网 10.20.1.200");
    expect(rows[1]).toContain("管理员：张三 13800138000 zhangsan@example.edu.cn");
    expect(rows[2]).toContain("使用部门：图书馆（tsg）");
    // The head: period, who reports to whom, totals.
    // The school and the units come from policies/institution.yaml.
    expect(r.stdout).toContain("# 示例大学服务器备案变更月报（2026-11）");
    expect(r.stdout).toContain("报告期：2026-11-01 至 2026-11-30（北京时间）");
    expect(r.stdout).toContain("报送：网络与信息中心 → 市公安局网络安全保卫支队（每月 20 日前报送上月有变更的备案资料）");
    expect(r.stdout).toContain("合计：新申请 1，扩容或扩大开放 1，续期 1，删除已下线的备案记录 1；共 4 份备案");
    expect(r.stdout).toContain("## 教务处 (jwc)");
    // Ends with the lines the reporting unit signs and stamps.
    expect(r.stdout.trim().split("\n").at(-1)).toBe("报送单位（盖章）：＿＿＿＿＿＿＿＿　联系人：＿＿＿＿　电话：＿＿＿＿＿＿　审核人（签字）：＿＿＿＿　日期：＿＿＿＿");
    // One language per report: no English beside the Chinese.
    expect(r.stdout).not.toMatch(/increase|renewal|Filing|Monthly/);
  });

  it("the next month has its own changes: a merge dated in it and a decommission with its content", async () => {
    const r = await filing(["report", "monthly", "--month", "2026-12"]);
    const rows = r.stdout.split("\n").filter((l) => /^\| [a-z]+-/.test(l));
    expect(rows.map((l) => l.split(" | ").slice(0, 3).join(" | "))).toEqual(["| jwc-fixture | 下线 | 2026-12-03 #17", "| jwc-grade-archive | 扩容或扩大开放 | 2026-12-01 #16"]);
    expect(rows[0]).toContain("状态：在用 → 已下线");
    expect(rows[0]).toMatch(/下线信息：— → \S+ 2026-12-02，\S+ 2026-12-02/);
    expect(r.stdout).toContain("报告期：2026-12-01 至 2026-12-31（北京时间）");
  });

  it("is all English with --lang en", async () => {
    const r = await filing(["report", "monthly", "--month", "2026-11", "--lang", "en"]);
    expect(r.stdout).toContain("# Example University: monthly filing changes 2026-11");
    expect(r.stdout).toContain("| jwc-exam-scheduling | more resources or exposure | 2026-11-01 #12 | resources.cpu: 4 → 6 |");
    expect(r.stdout).not.toMatch(/扩容|备案编号|月报/);
  });

  it("writes XLSX only to a file the user names", async () => {
    const before = fs.readdirSync(repo);
    const r = await filing(["report", "monthly", "--format", "xlsx"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--out");
    expect(fs.readdirSync(repo)).toEqual(before);
  });

  it("defaults to the previous month and writes XLSX", async () => {
    const r = await filing(["report", "monthly", "--format", "xlsx", "--out", "nov.xlsx"]);
    expect(r.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(repo, "nov.xlsx"));
    const sheet = book.getWorksheet("2026-11")!;
    // The head, a blank row, the table's header, then one row per filing.
    expect(sheet.getRow(1).getCell(1).value).toBe("示例大学服务器备案变更月报（2026-11）");
    expect(sheet.getRow(2).getCell(1).value).toBe("报告期：2026-11-01 至 2026-11-30（北京时间）");
    expect(sheet.getRow(7).values).toEqual([undefined, "使用部门", "备案编号", "变更类型", "批准生效", "变更内容（原 → 新）", "备案内容（变更后；删除的为删除前）"]);
    // Four filings, then a blank row and the lines to sign and stamp.
    expect(sheet.rowCount).toBe(13);
    expect(String(sheet.getRow(13).getCell(1).value)).toMatch(/^报送单位（盖章）/);
    expect(sheet.getRow(8).getCell(2).border).toMatchObject({ top: { style: "thin" }, bottom: { style: "thin" } });
    expect(sheet.headerFooter.oddFooter).toBe("&C第 &P 页，共 &N 页");
    expect(sheet.getRow(8).getCell(5).value).toBe("CPU（核）：4 → 6");
    expect(String(sheet.getRow(9).getCell(6).value)).toContain("用途：测试用选课系统");
    // It prints: landscape A4, one page wide, the table's header on every page.
    expect(sheet.pageSetup).toMatchObject({ orientation: "landscape", fitToPage: true, fitToWidth: 1, printTitlesRow: "7:7" });
  });

  it("reports an empty month as such", async () => {
    const r = await filing(["report", "monthly", "--month", "2026-09"]);
    expect(r.stdout).toContain("本月没有备案变更");
  });
});
