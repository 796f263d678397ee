/** `filing report monthly` over a scripted git history in a temporary repository. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { gitIn } from "../helpers/git";
import { REPO, edit } from "../helpers/register";

const repo = fs.mkdtempSync(path.join(os.tmpdir(), "monthly-"));
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

const git = gitIn(repo);
const write = (rel: string, text: string) => fs.writeFileSync(path.join(repo, rel), text);
const read = (rel: string) => fs.readFileSync(path.join(repo, rel), "utf8");
const commit = (message: string, date: string) => {
  git(["add", "-A"]);
  git(["commit", "-q", "-m", message], date);
};

beforeAll(() => {
  git(["init", "-q", "-b", "main"]);
  fs.cpSync(path.join(REPO, "policies"), path.join(repo, "policies"), { recursive: true });
  fs.cpSync(path.join(REPO, "filings"), path.join(repo, "filings"), { recursive: true });
  commit("register as of October", "2026-10-15T10:00:00+08:00");
  // November (China Standard Time): one of each kind of change.
  write("filings/jwc/exam-scheduling.yaml", edit(read("filings/jwc/exam-scheduling.yaml"), "cpu: 4", "cpu: 6"));
  commit("jwc: more CPU", "2026-11-01T00:30:00+08:00");
  write("filings/xgb/counseling.yaml", read("filings/xgb/counseling.yaml").replace(/start: \S+/, "start: 2026-12-20"));
  commit("xgb: renewal", "2026-11-10T09:00:00+08:00");
  fs.rmSync(path.join(repo, "filings/tsg/seat-booking.yaml"));
  commit("tsg: remove a decommissioned filing", "2026-11-15T09:00:00+08:00");
  fs.copyFileSync(path.join(REPO, "test/fixtures/filings/valid/fixture.yaml"), path.join(repo, "filings/jwc/fixture.yaml"));
  commit("jwc: new filing", "2026-11-30T23:30:00+08:00");
  // December: not in November's report.
  write("filings/jwc/grade-archive.yaml", edit(read("filings/jwc/grade-archive.yaml"), "cpu: 4", "cpu: 8"));
  commit("jwc: December change", "2026-12-01T00:10:00+08:00");
});

const filing = (args: string[]) => runCli([...args, "--root", repo, "--today", "2026-12-05"], { cwd: repo });

describe("filing report monthly", () => {
  it("lists exactly the month's changes by department, with old → new values", async () => {
    const r = await filing(["report", "monthly", "--month", "2026-11"]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split("\n").filter((l) => /^\| [a-z]+-/.test(l));
    expect(rows).toEqual([
      "| jwc-exam-scheduling | 扩容或扩大开放 | resources.cpu: 4 → 6 |",
      "| jwc-fixture | 新申请 | — |",
      "| tsg-seat-booking | 删除文件 | — |",
      expect.stringMatching(/^\| xgb-counseling \| 续期 \| period\.start: \S+ → 2026-12-20 \|$/),
    ]);
    expect(r.stdout).toContain("## 教务处 (jwc)");
    expect(r.stdout).toContain("| 备案编号 | 变更 | 内容 |");
    // One language per report: no English beside the Chinese.
    expect(r.stdout).not.toMatch(/increase|renewal|Filing|Monthly/);
  });

  it("is all English with --lang en", async () => {
    const r = await filing(["report", "monthly", "--month", "2026-11", "--lang", "en"]);
    expect(r.stdout).toContain("# Monthly filing changes 2026-11");
    expect(r.stdout).toContain("| jwc-exam-scheduling | more resources or exposure | resources.cpu: 4 → 6 |");
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
    expect(sheet.rowCount).toBe(5);
    expect(sheet.getRow(2).getCell(4).value).toBe("resources.cpu: 4 → 6");
  });

  it("reports an empty month as such", async () => {
    const r = await filing(["report", "monthly", "--month", "2026-09"]);
    expect(r.stdout).toContain("本月没有备案变更");
  });
});
