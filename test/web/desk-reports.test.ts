/**
 * The information center's downloads on the desk, in a real browser (local trial mode): the register
 * as a spreadsheet and a month's change report, read from the checkout's git history exactly as
 * `filing report monthly` reads it; the register page links back to the desk and names the pull
 * request behind each filing. Departments get none of it.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import type { FastifyInstance } from "fastify";
import { buildDesk } from "../../web/server";
import { localForge } from "../../lib/forge/local";
import { scriptedHistory } from "../helpers/history";
import { tempRoot } from "../helpers/register";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
if (!CHROMIUM) console.warn("SKIPPED desk report downloads: Debian's chromium is not installed (apt-get install chromium; .ci/run does it).");

const repo = fs.mkdtempSync(path.join(os.tmpdir(), "desk-reports-"));
// The same register without its history: a copy, not a clone.
const copied = tempRoot();
const desks: FastifyInstance[] = [];
let browser: Browser;

async function desk(root: string): Promise<string> {
  const app = await buildDesk({ root, forge: localForge(root), sessionKey: crypto.randomBytes(32), publicUrl: "", today: "2026-12-05" });
  desks.push(app);
  return app.listen({ host: "127.0.0.1", port: 0 });
}

beforeAll(async () => {
  if (!CHROMIUM) return;
  scriptedHistory(repo);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});

afterAll(async () => {
  await browser?.close();
  for (const app of desks) await app.close();
  fs.rmSync(repo, { recursive: true, force: true });
  fs.rmSync(copied, { recursive: true, force: true });
});

async function as(base: string, who: RegExp): Promise<Page> {
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await page.goto(`${base}/`);
  await page.getByRole("link", { name: "登录" }).click();
  await page.getByRole("link", { name: who }).click();
  await page.waitForURL(new RegExp(`^${base}/(approvals)?$`));
  return page;
}

/** Clicks `link` and reads the spreadsheet it downloads. */
async function downloaded(page: Page, link: string): Promise<{ name: string; book: ExcelJS.Workbook }> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: link, exact: true }).click()]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile((await download.path())!);
  return { name: download.suggestedFilename(), book };
}

const rowsOf = (sheet: ExcelJS.Worksheet) => sheet.getSheetValues().map((r) => (Array.isArray(r) ? r.slice(1).map((c) => (c && typeof c === "object" && "richText" in c ? c.richText.map((t) => t.text).join("") : c)) : r));

describe.skipIf(!CHROMIUM)("the information center's downloads", () => {
  it("downloads a month's change report, the same as filing report monthly writes, and the register", async () => {
    const base = await desk(repo);
    const info = await as(base, /^信息中心负责人/);
    await info.getByRole("link", { name: "备案台账" }).click();
    // The pull request behind each filing, from main's history: the November resource increase.
    const row = info.locator("#register tr", { hasText: "jwc-exam-scheduling" });
    await expect(row.innerText()).resolves.toContain("#12");
    // The last three months are offered; November's report lists November's four changes.
    const nav = await info.locator("nav.no-print").innerText();
    expect(nav).toMatch(/2026年11月\s+2026年10月\s+2026年9月/);
    const november = await downloaded(info, "2026年11月");
    expect(november.name).toBe("changes-2026-11.xlsx");
    const sheet = november.book.getWorksheet("2026-11")!;
    expect(sheet.getRow(1).getCell(1).value).toBe("示例大学服务器备案变更月报（2026-11）");
    const changes = rowsOf(sheet).filter((r) => Array.isArray(r) && /^[a-z]+-/.test(String(r[1] ?? ""))).map((r) => (r as unknown[]).slice(0, 4).join(" | "));
    expect(changes).toEqual([
      "教务处 | jwc-exam-scheduling | 扩容或扩大开放 | 2026-11-01 #12",
      "教务处 | jwc-fixture | 新申请 | 2026-11-30 #15",
      "图书馆 | tsg-seat-booking | 删除已下线的备案记录 | 2026-11-15 #14",
      "学生工作部 | xgb-counseling | 续期 | 2026-11-10 #13",
    ]);
    const register = await downloaded(info, "下载台账（Excel）");
    expect(register.name).toBe("register-2026-12-05.xlsx");
    const filings = rowsOf(register.book.worksheets[0]!).flat().map(String);
    expect(filings).toContain("jwc-exam-scheduling");
    // And back to the desk.
    await info.getByRole("link", { name: "← 返回服务台" }).click();
    await info.waitForURL(`${base}/approvals`);
    await info.context().close();
  });

  it("says which month it cannot read, and why no report can be made from a register without history", async () => {
    const info = await as(await desk(repo), /^信息中心负责人/);
    const bad = await info.goto(`${info.url().replace(/\/approvals$/, "")}/register/monthly?month=2026-13`);
    expect(bad?.status()).toBe(400);
    expect(await info.locator("main").innerText()).toContain('月份应写成 YYYY-MM（例如 2026-11，2000 至 2099 年），收到 "2026-13"。');
    await info.context().close();
    const base = await desk(copied);
    const other = await as(base, /^信息中心负责人/);
    const none = await other.goto(`${base}/register/monthly?month=2026-11`);
    expect(none?.status()).toBe(500);
    expect(await other.locator("main").innerText()).toContain("不是 git 仓库的检出");
    await other.context().close();
  });

  it("refuses a department's staff", async () => {
    const base = await desk(repo);
    const staff = await as(base, /图书馆 备案人员/);
    for (const url of ["/register.xlsx", "/register/monthly?month=2026-11"]) {
      expect((await staff.request.get(`${base}${url}`)).status(), url).toBe(403);
    }
    await staff.context().close();
  });
});
