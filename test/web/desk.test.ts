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
    expect((await messages(page, "administrator.phone")).join(" ")).toContain('填写的值 "1380013800" 格式不正确');
    expect((await messages(page, "period.start")).join(" ")).toContain("将记为 2026-11-23");
    expect((await messages(page, "network.ip")).join(" ")).toContain("不在校内网的可分配地址池内");
    expect((await messages(page, "operations.backup.secondCopy")).join(" ")).toContain("请选“是”");
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
    expect(await page.locator("main").innerText()).toContain("需要使用部门负责人、部门校分管负责人、信息中心负责人、信息安全校分管负责人批准（不分先后）");
    // Reloading the confirmation submits nothing again.
    await page.reload();
    await eventually(page.locator("h1"), (t) => t === "已提交");
    expect(fs.readdirSync(path.join(root, ".desk", "pulls"))).toEqual(["1.json"]);

    const pull = JSON.parse(fs.readFileSync(path.join(root, ".desk", "pulls", "1.json"), "utf8")) as { author: string; branch: string; title: string; body: string; files: { path: string; content: string }[] };
    expect(pull.author).toBe("tsg-staff");
    expect(pull.branch).toMatch(/^filing\/tsg-reading-room-\d{14}$/);
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
    // The filer's own forge account, offered on the form and kept: reminders go to them.
    expect(pull.files[0]!.content).toContain("  account: \"@tsg-staff\"\n");
    expect(pull.files[0]!.content).toContain("  ip: 10.20.1.25\n");

    await page.goto(`${base}/`);
    await eventually(page.locator("ul.pulls li"), (t) => t.includes("#1 【新申请】图书馆 tsg-reading-room（审批中）"));
    await page.close();
  });

  it("another department is neither offered nor allowed the address a waiting request asks for", async () => {
    const jwc = await browser.newPage();
    await signIn(jwc, /教务处 备案人员/);
    await jwc.goto(`${base}/new`);
    await jwc.fill('input[name="purpose"]', "实验室预约");
    await settle(jwc);
    const offer = jwc.getByRole("button", { name: /使用空闲地址/ });
    expect(await offer.innerText()).toMatch(/^使用空闲地址 10\.20\.1\.\d+$/);
    expect(await offer.innerText()).not.toContain("10.20.1.25");
    await jwc.fill('input[name="network.ip"]', "10.20.1.25");
    await settle(jwc);
    expect((await messages(jwc, "network.ip")).join(" ")).toMatch(/^IP 地址 10\.20\.1\.25 已由审批中的申请 #1（tsg-reading-room）申请。请换一个地址，例如 10\.20\.1\.\d+。$/);
    await jwc.close();
  });

  it("fifteen mistakes people make are each said beside their box, in the form's words (no file, key or YAML)", async () => {
    const page = await browser.newPage();
    await signIn(page, /图书馆 备案人员/);
    await page.goto(`${base}/new`);
    const VALID: Record<string, string> = {
      name: "mistakes", purpose: "阅览室座位预约", "administrator.name": "吴桐", "administrator.title": "馆员", "administrator.phone": "13800138000",
      "administrator.email": "wutong@example.edu.cn", "period.start": TODAY, "period.months": "12", "resources.cpu": "2", "resources.memoryGiB": "4",
      "resources.disks": "100", "network.ip": "10.20.1.26", "network.ports": "443/tcp", "operations.logRetentionDays": "180",
      "exposures[0].port": "", "exposures[0].reason": "", "exposures[0].sources": "",
    };
    const fillValid = async () => {
      await page.selectOption('select[name="type"]', "virtual");
      await page.selectOption('select[name="scope"]', "department");
      await page.selectOption('select[name="network.zone"]', "internal");
      for (const [name, value] of Object.entries(VALID)) await page.fill(`[name="${name}"]`, value);
      await page.check('input[name="operations.backup.daily"][value="true"]');
      await page.check('input[name="operations.backup.secondCopy"][value="true"]');
      await settle(page);
    };
    await fillValid();
    // The baseline every case changes one thing of: nothing to say.
    expect(await page.locator(".msg p.error").allInnerTexts()).toEqual([]);
    const cases: { name: string; type: Record<string, string>; select?: Record<string, string>; radio?: string; field: string; says: string }[] = [
      { name: "a mobile number one digit short", type: { "administrator.phone": "1380013800" }, field: "administrator.phone", says: '填写的值 "1380013800" 格式不正确，应形如 "13800138000"（应为 11 位数字，这里是 10 位）。' },
      { name: "an email without its @", type: { "administrator.email": "wutong.example.edu.cn" }, field: "administrator.email", says: "不是有效的邮箱地址" },
      { name: "a day February does not have", type: { "period.start": "2026-02-30" }, field: "period.start", says: "不是有效的日期" },
      { name: "no months", type: { "period.months": "0" }, field: "period.months", says: "填写的值 0 太小：至少为 1 个月。" },
      { name: "two years at once", type: { "period.months": "24" }, field: "period.months", says: "超过上限 12 个月" },
      { name: "words for a number", type: { "resources.cpu": "很多" }, field: "resources.cpu", says: '填写的值 "很多" 不是整数。请只填整数（单位 核）。' },
      { name: "half a GiB", type: { "resources.memoryGiB": "0.5" }, field: "resources.memoryGiB", says: '填写的值 "0.5" 不是整数。请只填整数（单位 GiB）。' },
      { name: "a disk in terabytes", type: { "resources.disks": "100, 4T" }, field: "resources.disks", says: '第 2 项的值 "4T" 不是整数。“T”不是这里的单位（这里以 GiB 计）：按 1T = 1024 GiB，4T 应填 4096。' },
      { name: "more disk than one VM takes", type: { "resources.disks": "100, 10000" }, field: "resources.disks", says: "硬盘合计 10100 GiB，超过单台虚拟机上限 4096 GiB。" },
      { name: "more than the department's quota, said above the resources", type: { "resources.disks": "1000, 3000" }, field: "resources", says: "本备案最多可申请 2092 GiB" },
      { name: "an address outside the pool", type: { "network.ip": "10.99.0.5" }, field: "network.ip", says: "不在校内网的可分配地址池内" },
      { name: "an address another filing holds", type: { "network.ip": "10.20.1.11" }, field: "network.ip", says: "已被备案 jwc-grade-archive 使用" },
      { name: "a port without its protocol", type: { "network.ports": "https" }, field: "network.ports", says: '第 1 项的值 "https" 格式不正确，应形如 "443/tcp"。' },
      { name: "SSH to the Internet with no explanation", select: { "network.zone": "external" }, type: { "network.ip": "203.0.113.150", "network.ports": "22/tcp, 443/tcp" }, field: "network.ports", says: "请在下方“敏感端口说明”中填一行（端口 22/tcp、理由、允许访问的来源地址段" },
      { name: "an explanation for a port not opened", type: { "exposures[0].port": "3389/tcp", "exposures[0].reason": "运维人员远程桌面", "exposures[0].sources": "10.8.0.0/16" }, field: "exposures", says: "这一行说明的端口 3389/tcp 不在上面的“开放端口”中。" },
      { name: "an explanation too short and without sources", type: { "network.ports": "443/tcp, 3389/tcp", "exposures[0].port": "3389/tcp", "exposures[0].reason": "运维" }, field: "exposures", says: "请填写第 1 行的允许访问的来源地址。" },
      { name: "logs kept a month", type: { "operations.logRetentionDays": "30" }, field: "operations.logRetentionDays", says: "少于规定的 60 天" },
      { name: "no second copy", radio: 'input[name="operations.backup.secondCopy"][value="false"]', type: {}, field: "operations.backup.secondCopy", says: "请选“是”" },
      { name: "a name with capitals and an underscore", type: { name: "Reading_Room" }, field: "name", says: "服务器名称只能用小写字母、数字和连字符" },
      { name: "the disk box emptied", type: { "resources.disks": "" }, field: "resources.disks", says: "请填写硬盘空间。" },
    ];
    for (const c of cases) {
      for (const [name, value] of Object.entries(c.select ?? {})) await page.selectOption(`select[name="${name}"]`, value);
      for (const [name, value] of Object.entries(c.type)) await page.fill(`[name="${name}"]`, value);
      if (c.radio) await page.check(c.radio);
      await settle(page);
      const said = (await messages(page, c.field)).join(" ");
      if (process.env.PRINT_DESK_MISTAKES) console.log(`@@ ${c.name} :: ${c.field} :: ${said}`);
      expect(said, c.name).toContain(c.says);
      // What a department reads beside a box names no file, key, path or YAML syntax.
      const everything = (await page.locator(".msg p").allInnerTexts()).join("\n");
      expect(everything, c.name).not.toMatch(/字段 |\b(?:network|resources|operations|period|administrator|exposures|ports)\b[.:]|\.ya?ml|\[\d\]|字符串/);
      // Back to the baseline: only what the case changed.
      if (c.select) await page.selectOption('select[name="network.zone"]', "internal");
      for (const name of Object.keys(c.type)) await page.fill(`[name="${name}"]`, VALID[name] ?? "");
      if (c.radio) await page.check('input[name="operations.backup.secondCopy"][value="true"]');
    }
    await page.close();
  }, 120_000);

  it("a department changes, renews and decommissions: each form starts from the filing, says old → new and who signs, and the request holds the file edited in place", { timeout: 90_000 }, async () => {
    const page = await browser.newPage();
    await signIn(page, /图书馆 备案人员/);
    const pulls = path.join(root, ".desk", "pulls");
    const stored = (n: number) => JSON.parse(fs.readFileSync(path.join(pulls, `${n}.json`), "utf8")) as { branch: string; title: string; body: string; files: { path: string; content: string }[] };
    const newest = () => Math.max(...fs.readdirSync(pulls).map((f) => Number(f.replace(".json", ""))));
    const original = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
    const row = (id: string) => page.locator("tbody tr", { hasText: id });

    // A change: memory up. The box starts at the filed value; the address cannot be changed on a VM.
    await row("tsg-opac").getByRole("link", { name: "变更" }).click();
    await eventually(page.locator("h1"), (t) => t === "变更 tsg-opac");
    expect(await page.inputValue('input[name="resources.memoryGiB"]')).toBe("16");
    expect(await page.locator('[data-field="network.ip"] input[readonly]').inputValue()).toBe("203.0.113.13");
    await page.fill('input[name="resources.memoryGiB"]', "32");
    await settle(page);
    expect(await page.locator("#changes li").allInnerTexts()).toEqual(["内存（GiB）：16 → 32"]);
    expect(await page.locator("#signers").innerText()).toBe("使用部门负责人、部门校分管负责人、信息中心负责人、信息安全校分管负责人");
    await page.getByRole("button", { name: "提交申请" }).click();
    await eventually(page.locator("h1"), (t) => t === "已提交");
    expect(await page.locator("main").innerText()).toContain("需要使用部门负责人、部门校分管负责人、信息中心负责人、信息安全校分管负责人批准");
    const change = stored(newest());
    expect(change.branch).toMatch(/^change\/tsg-opac-\d{14}$/);
    expect(change.title).toBe("【扩容或扩大开放】图书馆 tsg-opac");
    expect(change.body).toContain("内存（GiB）：16 → 32");
    // Only the changed line differs: comments, quoting and flow style are as they were.
    expect(change.files).toEqual([{ path: "filings/tsg/opac.yaml", content: original("filings/tsg/opac.yaml").replace("  memoryGiB: 16\n", "  memoryGiB: 32\n"), basedOn: expect.stringMatching(/^[0-9a-f]{40}$/) }]);

    // A second request for the same filing waits for the first.
    await page.goto(`${base}/filings/tsg/opac/change`);
    await page.fill('input[name="resources.cpu"]', "8");
    await page.getByRole("button", { name: "提交申请" }).click();
    await eventually(page.locator(".msg.general p.error"), (t) => t.includes(`这份备案已有一份审批中的申请：#${newest()}`));

    // Its row on 我的备案 says why it offers nothing else now.
    await page.goto(`${base}/`);
    expect(await row("tsg-opac").locator("td.actions").innerText()).toBe(`审批中（#${newest()}）\n这份申请有结果（批准或撤回）后，才能再变更、续期或下线`);

    // A renewal: the next period is filled in from the day the current one ends.
    // A decommissioned filing offers nothing to do.
    expect(await row("tsg-seat-booking").getByRole("link").count()).toBe(0);
    await row("tsg-digital-archive").getByRole("link", { name: "续期" }).click();
    await eventually(page.locator("h1"), (t) => t === "续期 tsg-digital-archive");
    expect(await page.inputValue('input[name="period.start"]')).toBe("2027-08-01");
    await page.getByRole("button", { name: "提交申请" }).click();
    await eventually(page.locator("h1"), (t) => t === "已提交");
    const renewal = stored(newest());
    expect(renewal.title).toBe("【续期】图书馆 tsg-digital-archive");
    expect(renewal.files[0]!.content).toBe(original("filings/tsg/digital-archive.yaml").replace("  start: 2026-08-01\n", "  start: 2027-08-01\n"));
    expect(await page.locator("main").innerText()).toContain("需要使用部门负责人、部门校分管负责人、信息中心负责人批准");
    await page.close();

    // A decommission, by another department: the filing as it stands, the last backup's date and why.
    const jwc = await browser.newPage();
    await signIn(jwc, /教务处 备案人员/);
    await jwc.locator("tbody tr", { hasText: "jwc-exam-scheduling" }).getByRole("link", { name: "下线" }).click();
    await eventually(jwc.locator("h1"), (t) => t === "下线 jwc-exam-scheduling");
    await jwc.fill('input[name="decommission.backupTakenAt"]', "2026/11/20");
    await jwc.fill('textarea[name="remarks"]', "考试安排并入教务系统");
    await settle(jwc);
    expect(await messages(jwc, "decommission.backupTakenAt")).toEqual(["将记为 2026-11-20"]);
    expect(await jwc.locator("#changes li").allInnerTexts()).toEqual(expect.arrayContaining(["状态：在用 → 已下线"]));
    expect(await jwc.locator("#signers").innerText()).toBe("使用部门负责人、信息中心负责人");
    await jwc.getByRole("button", { name: "提交下线申请" }).click();
    await eventually(jwc.locator("h1"), (t) => t === "已提交");
    const decommission = stored(newest());
    expect(decommission.title).toBe("【下线】教务处 jwc-exam-scheduling");
    expect(decommission.files[0]!.content).toContain("status: decommissioned\n");
    expect(decommission.files[0]!.content).toContain("decommission:\n  requestedAt: 2026-11-23\n  backupTakenAt: 2026-11-20\n");
    await jwc.close();
    // Each request, put in the register, passes the same check a pull request gets.
    for (const pull of [change, renewal, decommission]) {
      const file = pull.files[0]!;
      const check = validateRegister({ filings: [...readFilingFiles(root).filter((f) => f.path !== file.path), { path: file.path, bytes: Buffer.from(file.content, "utf8") }], config: readConfigFiles(root), today: TODAY, change: { changed: new Set([file.path]), added: new Set() } });
      expect(check.problems.filter((p) => p.severity === "error" && p.file === file.path), pull.title).toEqual([]);
    }
  });

  it("预览申请表 opens the printed form of what is typed, in a tab of its own, and submits nothing", async () => {
    const page = await browser.newPage();
    await signIn(page, /图书馆 备案人员/);
    await page.goto(`${base}/filings/tsg/opac/change`);
    await page.fill('input[name="resources.memoryGiB"]', "64");
    const before = fs.readdirSync(path.join(root, ".desk", "pulls")).length;
    const [preview] = await Promise.all([page.context().waitForEvent("page"), page.getByRole("button", { name: "预览申请表" }).click()]);
    await preview.waitForLoadState();
    const printed = await preview.locator("body").innerText();
    expect(printed).toContain("预览：尚未提交，未经审批");
    expect(printed).toContain("备案申请表");
    expect(printed).toContain("图书馆联机公共目录查询系统");
    expect(printed).toMatch(/内存[^\n]*64/);
    expect(fs.readdirSync(path.join(root, ".desk", "pulls")).length).toBe(before);
    await preview.close();
    await page.close();
  });

  it("a file changed while the form was open is not overwritten: nothing is submitted and the desk says why", async () => {
    const page = await browser.newPage();
    await signIn(page, /教务处 备案人员/);
    const file = path.join(root, "filings/jwc/course-selection.yaml");
    await page.goto(`${base}/filings/jwc/course-selection/change`);
    await page.fill('input[name="administrator.title"]', "高级工程师");
    const before = fs.readdirSync(path.join(root, ".desk", "pulls")).length;
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, `${text}# 信息中心刚刚修改\n`);
    try {
      await page.getByRole("button", { name: "提交申请" }).click();
      await eventually(page.locator(".notice"), (t) => t.includes("在您填写期间已被修改"));
      expect(await page.getByRole("link", { name: "重新打开这份备案" }).getAttribute("href")).toBe("/filings/jwc/course-selection/change");
      expect(fs.readdirSync(path.join(root, ".desk", "pulls")).length).toBe(before);
    } finally {
      fs.writeFileSync(file, text);
    }
    await page.close();
  });

  it("a second department sees none of the first one's requests, and cannot open them", async () => {
    const page = await browser.newPage();
    await signIn(page, /教务处 备案人员/);
    // Its own requests only (the decommission above), none of the library's.
    expect(await page.locator("ul.pulls li").allInnerTexts()).toEqual([expect.stringContaining("【下线】教务处 jwc-exam-scheduling")]);
    const ids = await page.locator("tbody td:first-child").allInnerTexts();
    expect(ids.every((id) => id.startsWith("jwc-"))).toBe(true);
    expect((await page.goto(`${base}/local/pulls/1`))?.status()).toBe(404);
    expect((await page.goto(`${base}/requests/1`))?.status()).toBe(404);
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

  it("signing out ends the sign-in for every copy of its cookie, across a restart; another sign-in goes on", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, /图书馆 备案人员/);
    const other = await browser.newContext();
    await signIn(await other.newPage(), /图书馆 备案人员/);
    // A copy of the cookie (a shared computer's cookie store, a proxy's log), taken before signing out.
    const copy = await browser.newContext();
    await copy.addCookies(await context.cookies());
    await page.getByRole("button", { name: "退出" }).click();
    await eventually(page.locator("h1"), (t) => t === "登录");
    expect(await page.locator(".notice").innerText()).toBe("您已退出登录。");
    expect(await page.locator("header .who").count()).toBe(0);
    const thief = await copy.newPage();
    for (let i = 0; i < 2; i++) {
      await thief.goto(`${base}/`);
      await eventually(thief.locator("h1"), (t) => t === "登录");
      // Nobody is shown as signed in on the copy either.
      expect(await thief.locator("header .who").count()).toBe(0);
      expect(await thief.evaluate(async () => (await fetch("/api/check", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "name=x" })).status)).not.toBe(200);
      await app.close();
      await start(key);
    }
    // The person's other sign-in (another browser) is not touched.
    const still = await other.newPage();
    await still.goto(`${base}/`);
    await eventually(still.locator("h1"), (t) => t === "我的备案");
    for (const c of [context, other, copy]) await c.close();
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

