/**
 * The department desk in a real browser (Debian's Chromium, driven by playwright-core): a library
 * IT contact signs in (local trial mode), sees the department's filings, types a new filing with the
 * mistakes people make, reads each message beside its field, fixes them and submits; the request
 * holds exactly the file `filing validate` accepts. A second department sees none of it.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import type { FastifyInstance } from "fastify";
import { buildDesk } from "../../web/server";
import { localForge } from "../../lib/forge/local";
import { validateRegister } from "../../lib/validate";
import { readConfigFiles } from "../../lib/config/read";
import { readFilingFiles } from "../../lib/filings/read";
import { tempRoot, TODAY } from "../helpers/register";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
if (!CHROMIUM) console.warn("SKIPPED desk browser tests: Debian's chromium is not installed (apt-get install chromium; .ci/run does it).");

const root = tempRoot();
const key = crypto.randomBytes(32);
let app: FastifyInstance;
let base: string;
let browser: Browser;

async function start(sessionKey = key): Promise<void> {
  app = await buildDesk({ root, forge: localForge(root), sessionKey, publicUrl: "", today: TODAY });
  const address = await app.listen({ host: "127.0.0.1", port: base ? Number(new URL(base).port) : 0 });
  base = address;
}

beforeAll(async () => {
  if (!CHROMIUM) return;
  await start();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function signIn(page: Page, who: RegExp): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole("link", { name: "登录" }).click();
  await page.getByRole("link", { name: who }).click();
  await page.waitForURL(`${base}/`);
}

/** The messages shown beside a field, once the check for what was typed last has come back. */
async function messages(page: Page, field: string): Promise<string[]> {
  return page.locator(`.msg[data-for="${field}"] p`).allInnerTexts();
}

/** Waits until the locator's first match has text that passes `ok`; fails saying what it last saw. */
async function eventually(locator: ReturnType<Page["locator"]>, ok: (text: string) => boolean): Promise<void> {
  let seen = "";
  for (let i = 0; i < 50; i++) {
    seen = (await locator.first().textContent({ timeout: 100 }).catch(() => null)) ?? "";
    if (ok(seen.trim())) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(seen.trim(), "what the page showed").toBe("(the expected text)");
}

async function settle(page: Page): Promise<void> {
  // The form is checked 200 ms after the last keystroke; `data-checked` counts the answers shown.
  const before = await page.locator("#filing-form").getAttribute("data-checked");
  const form = page.locator("#filing-form");
  for (let i = 0; i < 50 && (await form.getAttribute("data-checked")) === before; i++) await page.waitForTimeout(100);
  await page.waitForTimeout(350);
}

describe.skipIf(!CHROMIUM)("the department desk in a browser", () => {
  it("a department files a new VM: each mistake is said beside its field, and the request holds exactly the file validate accepts", async () => {
    const page = await browser.newPage();
    await signIn(page, /图书馆 备案人员/);
    await eventually(page.locator("h1"), (t) => t === "我的备案");
    // The department's own filings, and only them.
    const ids = await page.locator("tbody td:first-child").allInnerTexts();
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id.startsWith("tsg-"))).toBe(true);

    await page.getByRole("link", { name: "新建备案" }).click();
    await page.fill('input[name="name"]', "reading-room");
    await page.selectOption('select[name="type"]', "virtual");
    await page.fill('input[name="purpose"]', "阅览室座位预约");
    await page.selectOption('select[name="scope"]', "department");
    await page.fill('input[name="administrator.name"]', "吴桐");
    await page.fill('input[name="administrator.title"]', "馆员");
    await page.fill('input[name="administrator.phone"]', "1380013800");
    await page.fill('input[name="administrator.email"]', "wutong@example.edu.cn");
    await page.fill('input[name="period.start"]', "2026/11/23");
    await page.fill('input[name="period.months"]', "12");
    await page.fill('input[name="resources.cpu"]', "2");
    await page.fill('input[name="resources.memoryGiB"]', "4");
    await page.fill('input[name="resources.disks"]', "100");
    await page.selectOption('select[name="network.zone"]', "internal");
    await page.fill('input[name="network.ip"]', "10.99.0.5");
    await page.check('input[name="operations.backup.daily"][value="true"]');
    await page.check('input[name="operations.backup.secondCopy"][value="false"]');
    await page.fill('input[name="operations.logRetentionDays"]', "30");
    await settle(page);
    expect((await messages(page, "administrator.phone")).join(" ")).toContain("administrator.phone（手机号码）");
    expect((await messages(page, "period.start")).join(" ")).toContain("将记为 2026-11-23");
    expect((await messages(page, "network.ip")).join(" ")).toContain("不在校内网（internal）的可分配地址池内");
    expect((await messages(page, "operations.backup.secondCopy")).join(" ")).toContain("secondCopy 必须为 true");
    expect((await messages(page, "operations.logRetentionDays")).join(" ")).toContain("少于规定的 60 天");

    // Submitting as it is: refused, with the same messages, and nothing proposed.
    await page.getByRole("button", { name: "提交申请" }).click();
    await eventually(page.locator(".msg[data-for='network.ip'] p.error"), (t) => t.length > 0);
    expect(fs.existsSync(path.join(root, ".desk", "pulls"))).toBe(false);

    await page.fill('input[name="administrator.phone"]', "13800138000");
    await page.fill('input[name="network.ip"]', "");
    await settle(page);
    await page.getByRole("button", { name: /使用空闲地址/ }).click();
    await page.check('input[name="operations.backup.secondCopy"][value="true"]');
    await page.fill('input[name="operations.logRetentionDays"]', "180");
    await settle(page);
    expect(await page.locator(".msg p.error").count()).toBe(0);
    await page.getByRole("button", { name: "提交申请" }).click();
    await eventually(page.locator("h1"), (t) => t === "已提交");
    expect(await page.locator("main").innerText()).toContain("需要使用部门负责人、部门校分管负责人、信息中心负责人、信息安全校分管负责人在平台上批准（不分先后）");
    // Reloading the confirmation submits nothing again.
    await page.reload();
    await eventually(page.locator("h1"), (t) => t === "已提交");
    expect(fs.readdirSync(path.join(root, ".desk", "pulls"))).toEqual(["1.json"]);

    const pull = JSON.parse(fs.readFileSync(path.join(root, ".desk", "pulls", "1.json"), "utf8")) as { author: string; branch: string; title: string; body: string; files: { path: string; content: string }[] };
    expect(pull.author).toBe("tsg-staff");
    expect(pull.branch).toBe("filing/tsg-reading-room");
    expect(pull.title).toBe("【新申请】图书馆 tsg-reading-room");
    expect(pull.files.map((f) => f.path)).toEqual(["filings/tsg/reading-room.yaml"]);
    // The proposed file, put in the register, passes the same check a pull request gets.
    const check = validateRegister({
      filings: [...readFilingFiles(root), { path: pull.files[0]!.path, bytes: Buffer.from(pull.files[0]!.content, "utf8") }],
      config: readConfigFiles(root),
      today: TODAY,
      change: { changed: new Set([pull.files[0]!.path]), added: new Set([pull.files[0]!.path]) },
    });
    expect(check.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(pull.files[0]!.content).toContain("  phone: \"13800138000\"\n");
    expect(pull.files[0]!.content).toContain("  ip: 10.20.1.25\n");

    await page.goto(`${base}/`);
    await eventually(page.locator("ul.pulls li"), (t) => t.includes("#1 【新申请】图书馆 tsg-reading-room（审批中）"));
    await page.close();
  });

  it("a second department sees none of the first one's requests, and cannot open them", async () => {
    const page = await browser.newPage();
    await signIn(page, /教务处 备案人员/);
    expect(await page.locator("ul.pulls li").count()).toBe(0);
    const ids = await page.locator("tbody td:first-child").allInnerTexts();
    expect(ids.every((id) => id.startsWith("jwc-"))).toBe(true);
    const res = await page.goto(`${base}/local/pulls/1`);
    expect(res?.status()).toBe(404);
    await page.close();
  });

  it("a request without the page's CSRF token is refused, and nothing is proposed", async () => {
    const page = await browser.newPage();
    await signIn(page, /图书馆 备案人员/);
    const before = fs.readdirSync(path.join(root, ".desk", "pulls"));
    const status = await page.evaluate(async () => (await fetch("/new", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "department=tsg&name=x" })).status);
    expect(status).toBe(403);
    expect(fs.readdirSync(path.join(root, ".desk", "pulls"))).toEqual(before);
    await page.close();
  });

  it("the session survives a restart with the same key; with another key the desk says it ended", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, /图书馆 备案人员/);
    await app.close();
    await start(key);
    await page.goto(`${base}/`);
    await eventually(page.locator("h1"), (t) => t === "我的备案");
    await app.close();
    await start(crypto.randomBytes(32));
    await page.goto(`${base}/`);
    await eventually(page.locator("h1"), (t) => t === "登录");
    await eventually(page.locator(".notice"), (t) => t.includes("登录已失效"));
    await context.close();
  });
});

