/**
 * 待我审批 in a real browser (local trial mode): a department submits a change; each leader sees
 * exactly the requests that wait for a role they hold, with what changes and what is signed for, as
 * the gate's own evaluator judges it; an approval removes it from that leader's list and shows as
 * signed on the department's request page. On a phone's width the page reads without scrolling sideways.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import type { FastifyInstance } from "fastify";
import { buildDesk } from "../../web/server";
import { localForge } from "../../lib/forge/local";
import { tempRoot, TODAY } from "../helpers/register";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
if (!CHROMIUM) console.warn("SKIPPED desk leaders' browser tests: Debian's chromium is not installed (apt-get install chromium; .ci/run does it).");

const root = tempRoot();
let app: FastifyInstance;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!CHROMIUM) return;
  app = await buildDesk({ root, forge: localForge(root), sessionKey: crypto.randomBytes(32), publicUrl: "", today: TODAY });
  base = await app.listen({ host: "127.0.0.1", port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** A fresh browser context signed in as the local person whose label matches `who`. */
async function as(who: RegExp, viewport = { width: 1100, height: 900 }): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(`${base}/`);
  await page.getByRole("link", { name: "登录" }).click();
  await page.getByRole("link", { name: who }).click();
  // Filers land on their filings, leaders in no department's list on what waits for them.
  await page.waitForURL(new RegExp(`^${base}/(approvals)?$`));
  return page;
}

/** The requests on a leader's 待我审批, by their headings. */
async function awaiting(page: Page): Promise<string[]> {
  await page.goto(`${base}/approvals`);
  return page.locator("article.pull h2").allInnerTexts();
}

describe.skipIf(!CHROMIUM)("待我审批: what waits for a leader", () => {
  it("each leader sees exactly the requests that need them, signs on the request's page, and the department sees who signed", async () => {
    const staff = await as(/图书馆 备案人员/);
    await staff.goto(`${base}/filings/tsg/opac/change`);
    await staff.fill('input[name="resources.memoryGiB"]', "32");
    await staff.getByRole("button", { name: "提交申请" }).click();
    await staff.waitForURL(`${base}/submitted`);

    // The change is an increase of an external server: the four roles of tsg's chain.
    const head = await as(/图书馆 使用部门负责人/);
    expect(await awaiting(head)).toEqual(["#1 【扩容或扩大开放】图书馆 tsg-opac"]);
    const card = await head.locator("article.pull").innerText();
    expect(card).toContain("请您以“使用部门负责人”身份审阅并批准。");
    expect(card).toContain("本次变更：内存（GiB）：16 → 32");
    expect(card).toContain("承诺：每天备份数据和日志、重要数据双备份、日志保存 180 天；已签署责任书（2026-1 版）");
    for (const [who, role] of [[/图书馆 部门校分管负责人/, "部门校分管负责人"], [/^信息中心负责人/, "信息中心负责人"], [/^信息安全校分管负责人/, "信息安全校分管负责人"]] as const) {
      const leader = await as(who);
      expect(await awaiting(leader), role).toEqual(["#1 【扩容或扩大开放】图书馆 tsg-opac"]);
      expect(await leader.locator("p.you").innerText()).toBe(`请您以“${role}”身份审阅并批准。`);
      await leader.context().close();
    }
    // Another department's head: nothing, and the request's page is not theirs to open.
    const jwcHead = await as(/教务处 使用部门负责人/);
    expect(await awaiting(jwcHead)).toEqual([]);
    expect(await jwcHead.locator("main").innerText()).toContain("目前没有等待您批准的申请。");
    expect((await jwcHead.goto(`${base}/local/pulls/1`))?.status()).toBe(404);

    // The head signs: gone from their list, shown as signed to the department.
    await head.getByRole("link", { name: "去平台批准" }).click();
    // A tap on a phone is asked again before it counts as a signature.
    let asked = "";
    head.once("dialog", (d) => {
      asked = d.message();
      void d.accept();
    });
    await head.getByRole("button", { name: /^批准/ }).click();
    await head.waitForURL(`${base}/approvals`);
    expect(asked).toBe("确定批准吗？批准即相当于在申请表上签字。");
    expect(await head.locator("p.ok").innerText()).toBe("已批准 #1。");
    // Said once, and no link can make the page say it.
    await head.goto(`${base}/approvals?approved=1234`);
    expect(await head.locator("p.ok").count()).toBe(0);
    expect(await head.locator("article.pull").count()).toBe(0);
    await staff.goto(`${base}/`);
    await staff.getByRole("link", { name: /^#1 / }).click();
    const request = await staff.locator("main").innerText();
    expect(request).toContain("⏳ 还需 3 个签字");
    expect(request).toMatch(/✅ 使用部门负责人：吴敏，\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）/);
    expect(request).toContain("⬜ 缺少部门校分管负责人的批准（可批准：李建华）。");

    // The author cannot sign their own request: no button, and a forged post adds nothing.
    await staff.goto(`${base}/local/pulls/1`);
    expect(await staff.getByRole("button", { name: /^批准/ }).count()).toBe(0);
    const before = fs.readFileSync(path.join(root, ".desk", "pulls", "1.json"), "utf8");
    const token = await staff.locator('meta[name="csrf-token"]').getAttribute("content");
    await staff.evaluate(async (csrf) => fetch("/local/pulls/1/approve", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-csrf-token": csrf ?? "" }, body: "" }), token);
    expect(fs.readFileSync(path.join(root, ".desk", "pulls", "1.json"), "utf8")).toBe(before);
    for (const p of [staff, head, jwcHead]) await p.context().close();
  });

  it("the information center reads the register and what is ending; a department does not", async () => {
    const info = await as(/^信息中心负责人/);
    // Greeted with where its pages are, not with what it may not do.
    expect(await info.locator("main").innerText()).toContain("全校的备案台账、即将到期的名单和变更月报在上方“备案台账”中。");
    expect(await info.locator("main").innerText()).not.toContain("不是任何部门的备案人员");
    await info.getByRole("link", { name: "即将到期" }).click();
    const expiring = await info.locator("body").innerText();
    expect(expiring).toContain("（30 天内到期及已到期）");
    expect(expiring).toContain("xgb-counseling");
    expect(expiring).not.toContain("tsg-opac");
    await info.goBack();
    await info.getByRole("link", { name: "备案台账" }).click();
    const all = await info.locator("body").innerText();
    expect(all).toContain("tsg-opac");
    expect(all).toContain("xgb-counseling");
    // Its own sorting script runs (allowed by its hash, nothing else is): a header click sorts the rows.
    const errors: string[] = [];
    info.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await info.reload();
    await info.locator("th").first().click();
    expect(errors).toEqual([]);
    await info.context().close();
    const staff = await as(/图书馆 备案人员/);
    expect(await staff.getByRole("link", { name: "备案台账" }).count()).toBe(0);
    expect((await staff.goto(`${base}/register`))?.status()).toBe(403);
    await staff.context().close();
  });

  it("reads on a phone: every page fits the screen's width (a wide table scrolls in its own box)", async () => {
    const overflow = (page: Page) => page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
    const phone = await as(/图书馆 部门校分管负责人/, { width: 390, height: 844 });
    expect(await awaiting(phone)).toEqual(["#1 【扩容或扩大开放】图书馆 tsg-opac"]);
    expect(await overflow(phone), "待我审批").toBeLessThanOrEqual(0);
    await phone.context().close();
    const staff = await as(/图书馆 备案人员/, { width: 390, height: 844 });
    for (const url of ["/", "/new", "/filings/tsg/digital-archive/change", "/filings/tsg/digital-archive/decommission", "/requests/1"]) {
      await staff.goto(`${base}${url}`);
      expect(await overflow(staff), url).toBeLessThanOrEqual(0);
    }
    await staff.context().close();
  });

  it("the department withdraws its request (撤回): it closes, the filing is free again, and nothing waits for the leaders", async () => {
    const staff = await as(/图书馆 备案人员/);
    await staff.goto(`${base}/requests/1`);
    // It asks first; the person says yes.
    let asked = "";
    staff.once("dialog", (d) => {
      asked = d.message();
      void d.accept();
    });
    await staff.getByRole("button", { name: "撤回申请" }).click();
    await staff.waitForURL(`${base}/requests/1`);
    expect(asked).toBe("确定撤回这份申请吗？撤回后负责人不再审批，需要时可以重新提交。");
    expect(await staff.locator("main").innerText()).toContain("状态：已撤回");
    expect(await staff.getByRole("button", { name: "撤回申请" }).count()).toBe(0);
    await staff.goto(`${base}/`);
    expect(await staff.locator("tbody tr", { hasText: "tsg-opac" }).getByRole("link", { name: "变更" }).count()).toBe(1);
    await staff.context().close();
    const leader = await as(/图书馆 部门校分管负责人/);
    expect(await awaiting(leader)).toEqual([]);
    await leader.context().close();
  });

  it("a renewal every role signed takes effect when the information center confirms it: the filing's new end shows on 我的备案", async () => {
    const staff = await as(/图书馆 备案人员/);
    await staff.goto(`${base}/filings/tsg/digital-archive/renew`);
    await staff.getByRole("button", { name: "提交申请" }).click();
    await staff.waitForURL(`${base}/submitted`);
    const number = Number(/#(\d+)/.exec(await staff.locator("p.ok").innerText())![1]);
    const sign = async (page: Page) => {
      await page.goto(`${base}/local/pulls/${number}`);
      page.once("dialog", (d) => void d.accept());
      await page.getByRole("button", { name: /^批准/ }).click();
      await page.waitForURL(`${base}/approvals`);
    };
    const before = fs.readFileSync(path.join(root, "filings/tsg/digital-archive.yaml"), "utf8");
    const info = await as(/^信息中心负责人/);
    for (const who of [/图书馆 使用部门负责人/, /图书馆 部门校分管负责人/]) {
      const leader = await as(who);
      await sign(leader);
      await leader.context().close();
    }
    // Two of three signed: nothing to confirm yet.
    await info.goto(`${base}/local/pulls/${number}`);
    expect(await info.getByRole("button", { name: "确认生效（信息中心）" }).count()).toBe(0);
    await sign(info);
    await info.goto(`${base}/local/pulls/${number}`);
    info.once("dialog", (d) => void d.accept());
    await info.getByRole("button", { name: "确认生效（信息中心）" }).click();
    await info.waitForURL(`${base}/local/pulls/${number}`);
    // The record keeps what it took effect with: the renewal and its three signatures.
    const record = await info.locator("main").innerText();
    expect(record).toContain("已批准生效");
    expect(record).toContain("tsg-digital-archive：续期");
    expect(record).toMatch(/使用部门负责人：[^\n]+（北京时间）[\s\S]*部门校分管负责人：[^\n]+（北京时间）[\s\S]*信息中心负责人：/);
    expect(record).not.toContain("信息变更");
    await info.context().close();
    // The checkout (the default branch, here) holds the renewed file, and the department sees it.
    const after = fs.readFileSync(path.join(root, "filings/tsg/digital-archive.yaml"), "utf8");
    expect(after).not.toBe(before);
    expect(after).toMatch(/start: 2027-08-01/);
    await staff.goto(`${base}/`);
    const row = await staff.locator("tbody tr", { hasText: "tsg-digital-archive" }).innerText();
    expect(row).not.toContain("审批中");
    expect(row).toContain("2028-07-31");
    await staff.goto(`${base}/requests/${number}`);
    expect(await staff.locator("main").innerText()).toContain("状态：已批准生效");
    await staff.context().close();
  });
});
