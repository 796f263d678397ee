/** `filing render`: the filled form, with or without the PR's approval record, as HTML or PDF. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findChromium } from "../../scripts/cli/render";
import { runCli } from "../helpers/cli";
import { REPO, TODAY } from "../helpers/register";
import { useFakeGitHub } from "../github/fake-server";
import { TEAMS } from "../github/scenarios";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const github = useFakeGitHub();

const filing = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli([...args, "--root", REPO, "--today", TODAY], { cwd: dir, env, now: new Date("2026-11-23T04:00:00Z") });

describe("filing render", () => {
  it("prints a physical server's online date, and, printed for signatures, how late it is filed", async () => {
    // jsj-gpu-lab went online on 2026-02-01; printed on TODAY (2026-11-23), that is 295 days.
    const r = await filing(["render", "jsj-gpu-lab"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("<tr><th>上线时间</th><td colspan=\"3\">2026-02-01<span class=\"late\">（上线 295 天后填表，超过上线后 30 天内备案的期限）</span></td></tr>");
    expect(r.stdout).toContain("审批记录：未附（打印后手工签字）。打印日期：2026-11-23。");
    // A virtual server has no online date.
    expect((await filing(["render", "jwc-exam-scheduling"])).stdout).not.toContain("上线时间");
  });

  it("fills the form of a virtual filing, with blank boxes to sign by hand", async () => {
    const r = await filing(["render", "jwc-exam-scheduling"]);
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot("__snapshots__/form-jwc-exam-scheduling.html");
    expect(r.stdout).toContain("<tr><th>内存</th><td></td><td>8 GiB</td><td></td></tr>");
    expect(r.stdout).toContain("虚拟服务器 ☑");
    // The paper form's first row: the department with room for its stamp, and the leader's signature.
    expect(r.stdout).toContain("<tr><th>申请部门<br>（盖章）</th><td class=\"stamp\">教务处</td><th>部门分管负责人<br>（签字）</th><td class=\"stamp\"></td></tr>");
  });

  it("puts a physical server's configuration in the physical column, with its maintenance", async () => {
    const r = await filing(["render", "jsj-gpu-lab"]);
    expect(r.stdout).toContain("物理服务器 ☑");
    expect(r.stdout).toMatch(/<tr><th>CPU<\/th><td>48 核<\/td><td><\/td><td><\/td><\/tr>/);
    expect(r.stdout).toMatch(/<th>是否在保<\/th><td>(是|否)<\/td>/);
  });

  it("shows the pull request's approvals in the four opinion boxes", async () => {
    const tree: Record<string, string> = {};
    for (const rel of ["policies/departments.yaml", "policies/limits.yaml", "policies/networks.yaml", "policies/letters.yaml", "policies/approvals.yaml", "policies/responsibility-letter.md"]) tree[rel] = fs.readFileSync(path.join(REPO, rel), "utf8");
    const exam = fs.readFileSync(path.join(REPO, "filings/jwc/exam-scheduling.yaml"), "utf8");
    const head = "c".repeat(40);
    const s = await github.start({
      owner: "campus", repo: "filings", number: 12, author: "liu-jwc-staff", baseRef: "main", baseSha: "b".repeat(40), headSha: head,
      trees: { main: tree, ["b".repeat(40)]: tree, [head]: { ...tree, "filings/jwc/exam-scheduling.yaml": exam } },
      files: [{ filename: "filings/jwc/exam-scheduling.yaml", status: "added" }],
      commits: [{ sha: head, author: "liu-jwc-staff", committer: "liu-jwc-staff" }],
      reviews: [
        { user: "wang-jwc", state: "APPROVED", commit: head, at: "2026-03-02T01:00:00Z" },
        { user: "li-vp-teaching", state: "APPROVED", commit: head, at: "2026-03-02T02:00:00Z" },
        { user: "chen-ic", state: "APPROVED", commit: head, at: "2026-03-03T01:00:00Z" },
      ],
      teams: { ...TEAMS, "campus/jwc-staff": ["liu-jwc-staff"] },
    });
    const r = await filing(["render", "jwc-exam-scheduling", "--repo", "campus/filings", "--pr", "12"], { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url });
    expect(r.code).toBe(0);
    // Names where approvals.yaml gives them, a login where it does not; the time in Beijing time (01:00 UTC is 09:00 there).
    expect(r.stdout).toContain("<th class=\"role\">使用部门负责人意见</th><td colspan=\"3\" class=\"opinion\">同意（网上批准）　签字：王建国　2026-03-02 09:00</td>");
    expect(r.stdout).toContain("<th class=\"role\">部门校分管负责人意见</th><td colspan=\"3\" class=\"opinion\">同意（网上批准）　签字：李建华　2026-03-02 10:00</td>");
    expect(r.stdout).toContain("<th class=\"role\">信息中心负责人意见</th><td colspan=\"3\" class=\"opinion\">同意（网上批准）　签字：@chen-ic（姓名未登记）　2026-03-03 09:00</td>");
    expect(r.stdout).toContain("<th class=\"role\">信息安全校分管负责人意见</th><td colspan=\"3\" class=\"opinion\">尚未批准");
    expect(r.stdout).toContain("审批记录：campus/filings 拉取请求 #12（https://github.com/campus/filings/pull/12），各栏时间为北京时间。本表于 2026-11-23 12:00 依据该申请批准的内容生成。");
    // One role still to sign: said above the table and across the page, so the print is no approval.
    expect(r.stdout).toContain('<p class="status open">审批未完成：尚缺信息安全校分管负责人的批准，不得作为批件</p>');
    expect(r.stdout).toContain('<body class="open">');
    expect(s.statuses).toEqual([]);
  });

  it("shows each sensitive port with its sources and reason", async () => {
    const r = await filing(["render", "jsj-online-judge"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("22/tcp（仅 10.8.0.0/16；理由：竞赛期间评测机由学院运维人员经学校 VPN 远程维护）");
  });

  it("refuses an id that is not in the register", async () => {
    const r = await filing(["render", "jwc-ghost"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("备案登记中没有编号为 jwc-ghost 的有效备案");
  });

  it("prints a PDF through Chromium when there is one, and says what to install when there is not", async () => {
    const chromium = findChromium(process.env);
    if (chromium) {
      const r = await filing(["render", "jwc-exam-scheduling", "--format", "pdf", "--out", "form.pdf"], { PATH: process.env.PATH });
      expect(r.code, r.stderr).toBe(0);
      const pdf = path.join(dir, "form.pdf");
      expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");
      const png = spawnSync("pdftoppm", ["-png", "-r", "50", "-f", "1", "-l", "1", pdf, path.join(dir, "page")], { encoding: "utf8" });
      expect(png.status, png.stderr).toBe(0);
      expect(fs.readdirSync(dir).some((f) => /^page-?1\.png$/.test(f))).toBe(true);
    }
    const missing = await filing(["render", "jwc-exam-scheduling", "--format", "pdf", "--out", "missing.pdf"], { PATH: "/nonexistent" });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("找不到 Chromium，无法生成 PDF。请安装 Debian 的 chromium 软件包");
  });

  it("writes a PDF only to a file the user names", async () => {
    const before = fs.readdirSync(dir);
    const r = await filing(["render", "jwc-exam-scheduling", "--format", "pdf"], { PATH: process.env.PATH });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("请用 --out 指定要写入的文件，例如 --out jwc-exam-scheduling.pdf");
    expect(fs.readdirSync(dir)).toEqual(before);
  });
});
