/** `filing remind` against the GitHub-shaped server: idempotent across runs, closed on renewal. */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { REPO, edit, tempRoot } from "../helpers/register";
import { REPOSITORY_ONLY, useFakeGitHub, type FakeGitHub } from "./fake-server";

const github = useFakeGitHub();
const server = () => github.start(REPOSITORY_ONLY);

const remind = (s: FakeGitHub, today: string, extra: string[] = [], root = REPO) =>
  runCli(["remind", "--repo", "campus/filings", "--root", root, "--today", today, ...extra], { env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url } });

const open = (s: FakeGitHub) => s.issues.filter((i) => i.state === "open").map((i) => i.title.split(" ").slice(0, 3).join(" ")).sort();

describe("filing remind", () => {
  // On 2026-11-23: kyc-hpc-login ends 2026-11-30 (7 days), xgb-counseling 2026-12-19 (26 days).
  it("opens one issue per filing at its threshold; with no administrator account it is assigned to the department head, who is told why", async () => {
    const s = await server();
    const r = await remind(s, "2026-11-23");
    expect(r.code).toBe(0);
    expect(open(s)).toEqual(["[备案到期提醒] kyc-hpc-login 7", "[备案到期提醒] xgb-counseling 26"]);
    const kyc = s.issues.find((i) => i.title.includes("kyc-hpc-login"))!;
    expect(kyc.labels).toEqual(["filing-reminder"]);
    expect(kyc.assignees).toEqual(["qian-kyc"]);
    expect(kyc.body).toContain("<!-- filings/reminder:kyc-hpc-login:7 -->");
    expect(kyc.body).toContain("周宏（管理员）：服务器备案 **kyc-hpc-login**（科学技术研究处，");
    expect(kyc.body).toContain("- 管理员：周宏，13344445555，zhouhong@example.edu.cn（备案未填写管理员的代码平台账号 administrator.account，本提醒指派给部门负责人转告）");
    expect(kyc.body).toContain("- 部门负责人知悉：@qian-kyc（钱进）");
    expect(kyc.body).not.toContain("zhou-vp-research");
  });

  it("changes nothing on a second run the same day, and updates the text on a later day", async () => {
    const s = await server();
    await remind(s, "2026-11-23");
    const again = await remind(s, "2026-11-23");
    expect(again.stdout).toContain("提醒已是最新，无需改动");
    expect(s.issues).toHaveLength(2);
    const later = await remind(s, "2026-11-25");
    expect(later.stdout).toContain("更新提醒");
    expect(s.issues).toHaveLength(2);
    expect(open(s)).toEqual(["[备案到期提醒] kyc-hpc-login 5", "[备案到期提醒] xgb-counseling 24"]);
  });

  it("moves to the next threshold: the 0-day reminder opens and the 7-day one closes", async () => {
    const s = await server();
    await remind(s, "2026-11-23");
    await remind(s, "2026-11-30");
    expect(open(s)).toEqual(["[备案到期提醒] kyc-hpc-login 今天到期（2026-11-30）", "[备案到期提醒] xgb-counseling 19"]);
    const closed = s.issues.find((i) => i.state === "closed")!;
    expect(closed.body).toContain("kyc-hpc-login:7");
    expect(s.comments.find((c) => c.issue === closed.number)!.body).toContain("已进入下一提醒阶段（0 天）");
  });

  const root = tempRoot();
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("closes the reminder once a renewal is merged", async () => {
    const s = await server();
    await remind(s, "2026-11-23");
    const file = path.join(root, "filings/kyc/hpc-login.yaml");
    fs.writeFileSync(file, edit(fs.readFileSync(file, "utf8"), "start: 2025-12-01", "start: 2026-12-01"));
    const r = await remind(s, "2026-11-23", [], root);
    expect(r.stdout).toContain("关闭提醒");
    expect(open(s)).toEqual(["[备案到期提醒] xgb-counseling 26"]);
    const closed = s.issues.find((i) => i.state === "closed")!;
    expect(s.comments.find((c) => c.issue === closed.number)!.body).toContain("已续期至 2027-11-30");
  });

  it("with the administrator's account filed, the reminder is assigned to the administrator and the head is only told", async () => {
    const s = await server();
    const own = tempRoot();
    try {
      const file = path.join(own, "filings/kyc/hpc-login.yaml");
      fs.writeFileSync(file, edit(fs.readFileSync(file, "utf8"), "  email: zhouhong@example.edu.cn\n", "  email: zhouhong@example.edu.cn\n  account: \"@zhouhong\"\n"));
      expect((await remind(s, "2026-11-23", [], own)).code).toBe(0);
      const kyc = s.issues.find((i) => i.title.includes("kyc-hpc-login"))!;
      expect(kyc.assignees).toEqual(["zhouhong"]);
      expect(kyc.body).toContain("@zhouhong 周宏（管理员）：服务器备案 **kyc-hpc-login**");
      expect(kyc.body).toContain("- 管理员：周宏，13344445555，zhouhong@example.edu.cn\n");
      expect(kyc.body).toContain("- 部门负责人知悉：@qian-kyc（钱进）");
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it("writes nothing with --dry-run", async () => {
    const s = await server();
    const r = await remind(s, "2026-11-23", ["--dry-run"]);
    expect(r.stdout).toContain("[dry-run] 新建提醒");
    expect(s.issues).toEqual([]);
  });
});

describe("filing remind on a malformed answer", () => {
  it("an issue list that is an object: exit 2, no issue opened or closed", async () => {
    const s = await github.start({ ...REPOSITORY_ONLY, hostile: [{ match: /^GET \/repos\/campus\/filings\/issues$/, body: { number: 1, title: "x" } }] });
    const r = await remind(s, "2026-11-23");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("must be array");
    expect(s.issues).toEqual([]);
  });
});
