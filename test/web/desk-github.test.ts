/**
 * The department desk with GitHub as its forge, in a real browser, against the GitHub-shaped server on
 * 127.0.0.1 (its OAuth pages and REST answers checked against GitHub's description): the person signs
 * in through the web flow, their department comes from their team membership, and the branch, the
 * commit and the pull request are made with their own token, so the request is theirs.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import type { FastifyInstance } from "fastify";
import { buildDesk } from "../../web/server";
import { githubForge } from "../../lib/forge/github";
import { validateRegister } from "../../lib/validate";
import { readConfigFiles } from "../../lib/config/read";
import { readFilingFiles } from "../../lib/filings/read";
import { tempRoot, TODAY } from "../helpers/register";
import { REPOSITORY_ONLY, useFakeGitHub, type FakeGitHub } from "../github/fake-server";
import { addFiling, HEAD_SHA, JWC, review, scenario as scenarioOf } from "../github/scenarios";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
if (!CHROMIUM) console.warn("SKIPPED desk GitHub browser tests: Debian's chromium is not installed (apt-get install chromium; .ci/run does it).");

const github = useFakeGitHub();
const root = tempRoot();
let browser: Browser;
const OAUTH = { clientId: "Iv1.desk", clientSecret: "desk-secret-value" };

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function desk(fake: FakeGitHub): Promise<{ app: FastifyInstance; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const forge = githubForge({ webUrl: fake.url, apiUrl: fake.url, ...OAUTH, repository: "campus/filings" });
  const app = await buildDesk({ root, forge, sessionKey: crypto.randomBytes(32), publicUrl: base, today: TODAY });
  await app.listen({ host: "127.0.0.1", port });
  return { app, base };
}

beforeAll(async () => {
  if (CHROMIUM) browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Signs in through the fake GitHub's OAuth pages as whoever it lets in; lands on the person's first page. */
async function signInThroughGitHub(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole("link", { name: "登录" }).click();
  await page.waitForURL(new RegExp(`^${base}/(approvals)?$`));
}

/** A desk on a fresh fake GitHub where `user` signs in; `use` gets a signed-in page; all closed after. */
async function signedIn(user: string, use: (page: Page, fake: FakeGitHub, base: string) => Promise<void>): Promise<void> {
  const fake = await github.start(scenario(user));
  const { app, base } = await desk(fake);
  const page = await browser.newPage();
  try {
    await signInThroughGitHub(page, base);
    await use(page, fake, base);
  } finally {
    await page.close();
    await app.close();
  }
}

const scenario = (user: string) => ({ ...REPOSITORY_ONLY, teams: { "campus/tsg-staff": ["li-lib"] }, oauth: { ...OAUTH, user } });

describe.skipIf(!CHROMIUM)("the department desk on GitHub", () => {
  it("signs a library member in through GitHub and opens the pull request in their name with exactly the validated file", { timeout: 90_000 }, async () => {
    await signedIn("li-lib", async (page, fake, base) => {
      expect(await page.locator("header .who").innerText()).toBe("li-lib（图书馆）");
      await page.getByRole("link", { name: "新建备案" }).click();
      const fill: Record<string, string> = {
        name: "reading-room", purpose: "阅览室座位预约", "administrator.name": "吴桐", "administrator.title": "馆员", "administrator.phone": "13800138000",
        "administrator.email": "wutong@example.edu.cn", "period.start": TODAY, "period.months": "12", "resources.cpu": "2", "resources.memoryGiB": "4",
        "resources.disks": "100", "network.ip": "10.20.1.25", "operations.logRetentionDays": "180",
      };
      for (const [k, v] of Object.entries(fill)) await page.fill(`[name="${k}"]`, v);
      await page.selectOption('select[name="type"]', "virtual");
      await page.selectOption('select[name="scope"]', "department");
      await page.selectOption('select[name="network.zone"]', "internal");
      await page.check('input[name="operations.backup.daily"][value="true"]');
      await page.check('input[name="operations.backup.secondCopy"][value="true"]');
      await page.getByRole("button", { name: "提交申请" }).click();
      await page.waitForSelector("p.ok");
      expect(await page.locator("p.ok").innerText()).toBe("申请已提交（申请编号 #2，备案编号 tsg-reading-room）。");
      expect(await page.getByRole("link", { name: "查看申请" }).getAttribute("href")).toBe("/requests/2");

      // On GitHub: the person's branch, one file, and a pull request whose author is the person.
      expect(fake.created.pulls).toEqual([expect.objectContaining({ number: 2, author: "li-lib", head: expect.stringMatching(/^filing\/tsg-reading-room-\d{14}$/), base: "main", title: "【新申请】图书馆 tsg-reading-room" })]);
      const files = fake.created.files[fake.created.pulls[0]!.head]!;
      expect(Object.keys(files)).toEqual(["filings/tsg/reading-room.yaml"]);
      const text = files["filings/tsg/reading-room.yaml"]!;
      const check = validateRegister({
        filings: [...readFilingFiles(root), { path: "filings/tsg/reading-room.yaml", bytes: Buffer.from(text, "utf8") }],
        config: readConfigFiles(root),
        today: TODAY,
        change: { changed: new Set(["filings/tsg/reading-room.yaml"]), added: new Set(["filings/tsg/reading-room.yaml"]) },
      });
      expect(check.problems.filter((p) => p.severity === "error")).toEqual([]);
      // The token stays on the server: not in the page, not in the cookie's readable part.
      const html = await page.content();
      expect(html).not.toContain("ghu_");
      await page.goto(`${base}/`);
      expect(await page.locator("ul.pulls li").innerText()).toBe("#2 【新申请】图书馆 tsg-reading-room（审批中）");

      // The address the request asks for, read from its branch on GitHub, is offered to nobody else.
      const again = await desk(fake);
      const other = await browser.newPage();
      try {
        await signInThroughGitHub(other, again.base);
        await other.goto(`${again.base}/new`);
        await other.fill('[name="purpose"]', "实验室预约");
        const offer = other.getByRole("button", { name: /使用空闲地址/ });
        await offer.waitFor();
        expect(await offer.innerText()).toMatch(/^使用空闲地址 10\.20\.1\.\d+$/);
        expect(await offer.innerText()).not.toContain("10.20.1.25");
      } finally {
        await other.close();
        await again.app.close();
      }
    });
  });

  it("changes a filing on GitHub: the file is replaced naming the blob it replaces, and one changed since is not overwritten", async () => {
    const opac = fs.readFileSync(`${root}/filings/tsg/opac.yaml`, "utf8");
    const BASE = "3".repeat(40);
    for (const onGitHub of [opac, `${opac}# 信息中心刚刚修改\n`]) {
      const fake = await github.start({ ...scenario("li-lib"), baseSha: BASE, trees: { [BASE]: { "filings/tsg/opac.yaml": onGitHub } } });
      const { app, base } = await desk(fake);
      const page = await browser.newPage();
      try {
        await signInThroughGitHub(page, base);
        await page.goto(`${base}/filings/tsg/opac/change`);
        await page.fill('input[name="resources.memoryGiB"]', "32");
        await page.getByRole("button", { name: "提交申请" }).click();
        if (onGitHub === opac) {
          await page.waitForSelector("p.ok");
          const [pull] = fake.created.pulls;
          expect(pull).toEqual(expect.objectContaining({ author: "li-lib", title: "【扩容或扩大开放】图书馆 tsg-opac", base: "main" }));
          expect(pull!.head).toMatch(/^change\/tsg-opac-\d{14}$/);
          expect(fake.created.files[pull!.head]).toEqual({ "filings/tsg/opac.yaml": opac.replace("  memoryGiB: 16\n", "  memoryGiB: 32\n") });
        } else {
          await page.waitForSelector(".notice");
          expect(await page.locator(".notice").innerText()).toContain("filings/tsg/opac.yaml 在您填写期间已被修改");
          // Nothing written: no branch, no commit, no pull request.
          expect(fake.created).toEqual({ refs: {}, files: {}, pulls: [] });
        }
      } finally {
        await page.close();
        await app.close();
      }
    }
  });

  it("shows a leader what waits for them and the department its request, both as the gate judges them on GitHub", async () => {
    const pr = scenarioOf(addFiling, { reviews: [review(JWC.head)], oauth: { ...OAUTH, user: JWC.leader }, checkRuns: { [HEAD_SHA]: [{ name: "Validate filings", status: "completed", conclusion: "success" }] } });
    const fake = await github.start(pr);
    fake.statuses.push({ sha: HEAD_SHA, state: "pending", context: "filings/approval", description: "审批未齐全" });
    const { app, base } = await desk(fake);
    const page = await browser.newPage();
    try {
      await signInThroughGitHub(page, base);
      await page.goto(`${base}/approvals`);
      expect(await page.locator("article.pull h2").allInnerTexts()).toEqual(["#7 Amazing new feature"]);
      expect(await page.locator("p.you").innerText()).toBe("请您以“部门校分管负责人”身份审阅并批准。");
      expect(await page.locator("article.pull").innerText()).toContain("✅ 使用部门负责人：王建国");
      expect(await page.getByRole("link", { name: "去平台批准" }).getAttribute("href")).toBe("https://github.com/campus/filings/pull/7/files");
      // The head has signed already: nothing waits for them.
      fake.signInAs(JWC.head);
      await page.context().clearCookies();
      await signInThroughGitHub(page, base);
      await page.goto(`${base}/approvals`);
      expect(await page.locator("article.pull").count()).toBe(0);
      // One judgement served both leaders (kept a minute, as the page says): the reviews were read once.
      expect(fake.requests.filter((r) => r.method === "GET" && r.path.startsWith("/repos/campus/filings/pulls/7/reviews"))).toHaveLength(1);
      expect(await page.locator("main").innerText()).toContain("审批情况每 60 秒更新一次");
      // The author: the request's checks and who must still sign.
      fake.signInAs(JWC.staff);
      await page.context().clearCookies();
      await signInThroughGitHub(page, base);
      await page.goto(`${base}/requests/7`);
      const text = await page.locator("main").innerText();
      expect(text).toContain("filings/approval：⏳ 进行中");
      expect(text).toContain("Validate filings：✅ 通过");
      expect(text).toContain("⬜ 缺少部门校分管负责人的批准（可批准：李建华）。");
      // 撤回: closed on GitHub with the author's own token.
      page.once("dialog", (d) => void d.accept());
      await page.getByRole("button", { name: "撤回申请" }).click();
      await page.waitForURL(`${base}/requests/7`);
      expect(await page.locator("main").innerText()).toContain("状态：已撤回");
      // Marked on GitHub too, where leaders read the list of requests: withdrawn, not refused.
      expect(((await (await fetch(`${fake.url}/repos/campus/filings/pulls/7`)).json()) as { title: string }).title).toBe("【已撤回】Amazing new feature");
    } finally {
      await page.close();
      await app.close();
    }
  });

  it("reads the membership again at submission: someone removed from the department since signing in files for it no more", async () => {
    await signedIn("li-lib", async (page, fake) => {
      await page.getByRole("link", { name: "新建备案" }).click();
      fake.setTeam("campus/tsg-staff", []);
      await page.fill('[name="name"]', "reading-room");
      await page.getByRole("button", { name: "提交申请" }).click();
      await page.waitForSelector(".notice");
      expect(await page.locator(".notice").innerText()).toBe("您已不在部门 tsg 的备案人员名单中。");
      expect(fake.created.pulls).toEqual([]);
    });
  });

  it("refuses a callback whose state this browser was not given, and tells a person in no department whom to ask", async () => {
    const fake = await github.start(scenario("outsider"));
    const { app, base } = await desk(fake);
    try {
      const page = await browser.newPage();
      const forged = await page.goto(`${base}/callback?code=code-li-lib&state=not-mine`);
      expect(forged?.status()).toBe(400);
      expect(await page.locator(".notice").innerText()).toContain("登录未完成");
      expect(fake.requests.some((r) => r.path === "/user")).toBe(false);
      await page.goto(`${base}/`);
      await page.getByRole("link", { name: "登录" }).click();
      // Someone in no department's list lands on what may wait for their signature, and is told whom to ask.
      await page.waitForURL(`${base}/approvals`);
      expect(await page.locator("main").innerText()).toContain("账号 outsider 不是任何部门的备案人员，所以这里只有审批；如需为本部门提交备案，请信息中心把您加入名单。");
      expect((await page.goto(`${base}/new`))?.url()).toBe(`${base}/approvals`);
      await page.close();
    } finally {
      await app.close();
    }
  });
});
