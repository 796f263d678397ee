/**
 * `filing approvals` against a GitHub-shaped server on 127.0.0.1, with a real octokit: the bypass
 * scenarios never turn green, each change kind turns green with exactly the roles the config asks.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { BASE, edit } from "../helpers/register";
import { useFakeGitHub, type FakeGitHub, type Scenario, type ScenarioReview } from "./fake-server";
import { ALL_FOUR, BASE_SHA, EXAM, HEAD_SHA, INFO, JWC, NEW_FILE, OLD_SHA, SECURITY, TEAMS, TREE, addFiling, review, scenario, type Change } from "./scenarios";

const github = useFakeGitHub();

async function approvals(s: Scenario | FakeGitHub, args: string[] = ["--dry-run"], now = new Date()) {
  const server = "url" in s ? s : await github.start(s);
  const { code, stdout, stderr } = await runCli(["approvals", "--repo", "campus/filings", "--pr", "7", "--format", "json", ...args], {
    env: { GITHUB_TOKEN: "test-token", GITHUB_API_URL: server.url },
    now,
  });
  return { code, json: stdout ? JSON.parse(stdout) : undefined, stderr, server };
}

/** The decision's role → signer (or null) map, for the one filing or protected subject. */
const signed = (json: any, i = 0) => Object.fromEntries(json.decisions[i].roles.map((r: any) => [r.role, r.signer?.login ?? null]));
const text = (json: any) => JSON.stringify(json);
/** Everything that keeps a PR from turning green: refusals and unsigned roles, one line each. */
const blockers = (json: any): string[] => [
  ...new Set<string>([
    ...json.refusals.map((m: any) => m.zh),
    ...json.decisions.flatMap((d: any) => [...d.refusals.map((m: any) => m.zh), ...d.roles.filter((r: any) => !r.signer).map((r: any) => `unsigned ${r.role}`)]),
  ]),
];

const XGB_STAFF = "ma-xgb-staff";
/** A PR that adds a filing and lists `approver` as security leader in its own approval config, signed by them. */
const selfListed = (approver: string) =>
  scenario(
    {
      files: [{ filename: NEW_FILE, status: "added" }, { filename: "policies/approvals.yaml", status: "modified" }],
      head: { [NEW_FILE]: BASE, "policies/approvals.yaml": edit(TREE["policies/approvals.yaml"]!, 'securityLeader: ["@zhou-vp-security"]', `securityLeader: ["@zhou-vp-security", "@${approver}"]`) },
    },
    { reviews: [review(JWC.head), review(JWC.leader), review(INFO), review(approver)] },
  );
/** A PR by `author` that changes the student office's (xgb) filing, signed by xgb's leaders. */
const otherDepartment = (author: string) =>
  scenario(
    { files: [{ filename: "filings/xgb/scholarship.yaml", status: "modified" }], head: { "filings/xgb/scholarship.yaml": edit(TREE["filings/xgb/scholarship.yaml"]!, "remarks:", "remarks: 改一下\nx-remarks:").replace("x-remarks:", "# x") } },
    { author, commits: [{ sha: HEAD_SHA, author, committer: author }], reviews: [review("zhao-xgb"), review("sun-vp-students"), review(INFO), review(SECURITY)] },
  );

describe("a new filing", () => {
  it("turns green with the four signatures of the form", async () => {
    const { code, json } = await approvals(scenario(addFiling));
    expect(code).toBe(0);
    expect(signed(json)).toEqual({ departmentHead: JWC.head, schoolLeader: JWC.leader, informationCenterHead: INFO, securityLeader: SECURITY });
  });
});

describe("a physical server filed late", () => {
  it("is flagged to the approvers without being refused", async () => {
    const gpu = TREE["filings/jsj/gpu-lab.yaml"]!;
    const path = "filings/jwc/lab-server.yaml";
    const text = gpu.replace(/^id: .*$/m, "id: jwc-lab-server").replace(/^department: .*$/m, "department: jwc").replace(/^onlineSince: .*$/m, "onlineSince: 2026-09-01");
    const { code, json } = await approvals(scenario({ files: [{ filename: path, status: "added" }], head: { [path]: text } }), ["--dry-run"], new Date("2026-11-23T04:00:00Z"));
    expect(code).toBe(0);
    expect(json.decisions[0].warnings[0].zh).toBe("jwc-lab-server：物理服务器于 2026-09-01 上线，83 天后才备案，超过 30 天的期限。请审批人注意。");
  });
});

describe("bypass attempts never turn green", () => {
  /**
   * Each hostile PR is one change away from an honest twin that turns green, so it fails only for the
   * reason it is named for. Where no honest twin exists (a change the chain always refuses), every
   * role is signed and the refusal is the one thing that blocks.
   */
  const cases: { name: string; scenario: () => Scenario; honest?: () => Scenario; says: string }[] = [
    {
      name: "self-approval",
      scenario: () => scenario(addFiling, { author: JWC.head, commits: [{ sha: HEAD_SHA, author: JWC.head, committer: JWC.head }] }),
      honest: () => scenario(addFiling),
      says: `${JWC.head} 是本 PR 的提交人，不能批准自己的申请`,
    },
    {
      name: "an approval followed by a new commit",
      scenario: () => scenario(addFiling, { reviews: [review(JWC.head), review(JWC.leader, "APPROVED", OLD_SHA), review(INFO), review(SECURITY)] }),
      honest: () => scenario(addFiling, { reviews: [review(JWC.head), review(JWC.leader, "APPROVED", HEAD_SHA), review(INFO), review(SECURITY)] }),
      says: `${JWC.leader} approved commit aaaaaaa; the PR changed after that`,
    },
    {
      name: "an approver who committed to the PR",
      scenario: () => scenario(addFiling, { commits: [{ sha: OLD_SHA, author: JWC.staff, committer: JWC.staff }, { sha: HEAD_SHA, author: JWC.staff, committer: JWC.leader }] }),
      honest: () => scenario(addFiling, { commits: [{ sha: OLD_SHA, author: JWC.staff, committer: JWC.staff }, { sha: HEAD_SHA, author: JWC.staff, committer: JWC.staff }] }),
      says: `${JWC.leader} 向本 PR 提交过修改`,
    },
    {
      name: "the wrong role",
      scenario: () => scenario(addFiling, { reviews: [review(JWC.head), review(JWC.leader), review(INFO), review("random-dev")] }),
      honest: () => scenario(addFiling, { reviews: [review(JWC.head), review(JWC.leader), review(INFO), review(SECURITY)] }),
      says: "random-dev 不在信息安全校分管负责人名单中",
    },
    {
      name: "the right role from the wrong department",
      scenario: () => scenario(addFiling, { reviews: [review("zhao-xgb"), review(JWC.leader), review(INFO), review(SECURITY)] }),
      honest: () => scenario(addFiling, { reviews: [review(JWC.head), review(JWC.leader), review(INFO), review(SECURITY)] }),
      says: "zhao-xgb 不在使用部门负责人名单中",
    },
    {
      name: "one person for two roles",
      scenario: () => scenario(addFiling, { teams: { ...TEAMS, "campus/info-center-heads": [INFO, SECURITY] }, reviews: [review(JWC.head), review(JWC.leader), review(SECURITY)] }),
      honest: () => scenario(addFiling, { teams: { ...TEAMS, "campus/info-center-heads": [INFO, SECURITY] }, reviews: [review(JWC.head), review(JWC.leader), review(INFO), review(SECURITY)] }),
      says: `${SECURITY} 已担任本 PR 的另一角色，同一人不能签两个角色`,
    },
    {
      name: "a dismissed approval",
      scenario: () => scenario(addFiling, { reviews: [review(JWC.head), review(JWC.leader), review(INFO), review(SECURITY, "DISMISSED")] }),
      honest: () => scenario(addFiling, { reviews: [review(JWC.head), review(JWC.leader), review(INFO), review(SECURITY, "APPROVED")] }),
      says: `${SECURITY} 的批准已被撤销`,
    },
    {
      name: "CHANGES_REQUESTED after APPROVED",
      scenario: () => scenario(addFiling, { reviews: [...ALL_FOUR(), review(JWC.leader, "CHANGES_REQUESTED")] }),
      honest: () => scenario(addFiling, { reviews: [...ALL_FOUR(), review(JWC.leader, "COMMENTED")] }),
      says: `${JWC.leader} 最近一次审查要求修改`,
    },
    {
      // GitHub answers commit_id: null once the reviewed commit is gone (force push, garbage collection).
      name: "changes requested on a commit GitHub no longer knows, after an approval",
      scenario: () => scenario(addFiling, { reviews: [...ALL_FOUR(), review(SECURITY, "CHANGES_REQUESTED", null)] }),
      honest: () => scenario(addFiling, { reviews: [review(SECURITY, "CHANGES_REQUESTED", null), ...ALL_FOUR()] }),
      says: `${SECURITY} 最近一次审查要求修改`,
    },
    {
      name: "an approval withdrawn on page 2 of 35 reviews",
      scenario: () => {
        const chatter = Array.from({ length: 30 }, (_, i) => review(`student-${i}`, "COMMENTED"));
        return scenario(addFiling, { maxPerPage: 30, reviews: [...ALL_FOUR(), ...chatter, review(SECURITY, "CHANGES_REQUESTED")] });
      },
      honest: () => {
        const chatter = Array.from({ length: 30 }, (_, i) => review(`student-${i}`, "COMMENTED"));
        return scenario(addFiling, { maxPerPage: 30, reviews: [...ALL_FOUR(), ...chatter, review(SECURITY, "COMMENTED")] });
      },
      says: `${SECURITY} 最近一次审查要求修改`,
    },
    {
      // Approvers come from the base branch: the PR's own list does not count, the real holder does.
      name: "a PR that adds its own approver to the approval config",
      scenario: () => selfListed("mallory"),
      honest: () => selfListed(SECURITY),
      says: "mallory 不在信息安全校分管负责人名单中",
    },
    {
      name: "a PR touching another department's filing",
      scenario: () => otherDepartment(JWC.staff),
      honest: () => otherDepartment(XGB_STAFF),
      says: `提交人 ${JWC.staff} 属于 jwc，不能修改 xgb 的备案`,
    },
    {
      name: "deleting an active filing",
      scenario: () => scenario({ files: [{ filename: EXAM, status: "removed" }], head: { [EXAM]: null } }),
      says: "jwc-exam-scheduling：删除了在用备案的文件",
    },
    {
      name: "a disk that shrinks",
      scenario: () => scenario({ files: [{ filename: EXAM, status: "modified" }], head: { [EXAM]: edit(TREE[EXAM]!, "- sizeGiB: 100", "- sizeGiB: 80") } }),
      says: "第 1 块硬盘从 100 GiB 缩小到 80 GiB",
    },
    {
      name: "filings of two departments in one PR",
      scenario: () =>
        scenario(
          {
            files: [{ filename: NEW_FILE, status: "added" }, { filename: "filings/xgb/scholarship.yaml", status: "modified" }],
            head: { [NEW_FILE]: BASE, "filings/xgb/scholarship.yaml": `${TREE["filings/xgb/scholarship.yaml"]}# touched\n` },
          },
          { reviews: [...ALL_FOUR(), review("zhao-xgb"), review("sun-vp-students")] },
        ),
      says: "本 PR 同时修改了多个部门的备案（jwc, xgb）",
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const { code, json } = await approvals(c.scenario());
    expect(code).toBe(1);
    expect(json.satisfied).toBe(false);
    expect(text(json), text(json)).toContain(c.says);
    if (c.honest) {
      const twin = await approvals(c.honest());
      expect(twin.code, text(twin.json)).toBe(0);
    } else {
      // Always refused: every role is signed, so the refusal alone blocks.
      expect(blockers(json), text(json)).toEqual([expect.stringContaining(c.says)]);
    }
  });

  it("out-of-order approvals in ordered mode", async () => {
    const tree = { ...TREE, "policies/approvals.yaml": edit(TREE["policies/approvals.yaml"]!, "ordered: false", "ordered: true") };
    const reversed = [review(SECURITY), review(INFO), review(JWC.leader), review(JWC.head)];
    const s = { ...scenario(addFiling, { reviews: reversed }), trees: { main: tree, [BASE_SHA]: tree, [HEAD_SHA]: { ...tree, [NEW_FILE]: BASE } } };
    const { code, json } = await approvals(s);
    expect(code).toBe(1);
    expect(signed(json)).toEqual({ departmentHead: JWC.head, schoolLeader: null, informationCenterHead: null, securityLeader: null });
    expect(text(json)).toContain("须按申请表顺序：使用部门负责人签字之后的批准才计入");
    const inOrder = { ...s, reviews: [review(JWC.head), review(JWC.leader), review(INFO), review(SECURITY)] };
    expect((await approvals(inOrder)).code).toBe(0);
  });

  it("team membership removed before the next evaluation", async () => {
    const server = await github.start(scenario(addFiling));
    expect((await approvals(server)).code).toBe(0);
    server.setTeam("campus/info-center-heads", []);
    const again = await approvals(server);
    expect(again.code).toBe(1);
    expect(text(again.json)).toContain(`${INFO} 不在信息中心负责人名单中`);
  });

  it.each([
    ["a 403 rate limit", { status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600) } }, "GitHub API 速率限制已用完"],
    ["a 500 that persists after retries", { status: 500 }, "GitHub 服务器错误 500"],
  ] as const)("%s ends with a clear error and an error status, never success", async (_name, failure, says) => {
    const s = scenario(addFiling, { failures: [{ match: /\/reviews$/, ...failure }] });
    const { code, stderr, server } = await approvals(s, []);
    expect(code).toBe(2);
    expect(stderr).toContain(says);
    expect(server.statuses.map((x) => x.state)).toEqual(["pending", "error"]);
    // A 5xx is retried (three times) before giving up; a long rate limit is not waited out.
    expect(server.requests.filter((r) => r.path.includes("/reviews")).length).toBe(failure.status === 500 ? 4 : 1);
  });

  it("a 404 for the pull request says what to check", async () => {
    const { code, stderr, server } = await approvals(scenario(addFiling, { failures: [{ match: /\/pulls\/7$/, status: 404 }] }), []);
    expect(code).toBe(2);
    expect(stderr).toContain("GitHub 上找不到 PR campus/filings#7（404）");
    expect(server.statuses).toEqual([]);
  });
});

describe("each change kind turns green with exactly the roles the config requires", () => {
  const approvalsYaml = TREE["policies/approvals.yaml"]!;
  const required = (kind: string): string[] => {
    const m = new RegExp(`^  ${kind}: \\[(.*)\\]$`, "m").exec(approvalsYaml)!;
    return m[1]!.split(",").map((s) => s.trim());
  };
  const TSG_SEAT = "filings/tsg/seat-booking.yaml";
  const holder: Record<string, Record<string, string>> = {
    jwc: { departmentHead: JWC.head, schoolLeader: JWC.leader, informationCenterHead: INFO, securityLeader: SECURITY },
    tsg: { departmentHead: "wu-tsg", schoolLeader: JWC.leader, informationCenterHead: INFO, securityLeader: SECURITY },
  };
  const exam = TREE[EXAM]!;
  const kinds: { kind: string; dept: string; change: Change; author?: string }[] = [
    { kind: "new", dept: "jwc", change: addFiling },
    { kind: "increase", dept: "jwc", change: { files: [{ filename: EXAM, status: "modified" }], head: { [EXAM]: edit(exam, "cpu: 4", "cpu: 6") } } },
    { kind: "decrease", dept: "jwc", change: { files: [{ filename: EXAM, status: "modified" }], head: { [EXAM]: edit(exam, "memoryGiB: 8", "memoryGiB: 4") } } },
    { kind: "renewal", dept: "jwc", change: { files: [{ filename: EXAM, status: "modified" }], head: { [EXAM]: edit(exam, "start: 2026-03-01", "start: 2027-03-01") } } },
    { kind: "metadata", dept: "jwc", change: { files: [{ filename: EXAM, status: "modified" }], head: { [EXAM]: edit(exam, 'phone: "13800138000"', 'phone: "13800138001"') } } },
    {
      kind: "decommission",
      dept: "jwc",
      change: { files: [{ filename: EXAM, status: "modified" }], head: { [EXAM]: edit(exam, "status: active", "status: decommissioned\ndecommission:\n  requestedAt: 2026-11-20\n  backupTakenAt: 2026-11-21") } },
    },
    { kind: "delete", dept: "tsg", change: { files: [{ filename: TSG_SEAT, status: "removed" }], head: { [TSG_SEAT]: null } }, author: "wu-tsg" },
    { kind: "protected", dept: "jwc", change: { files: [{ filename: "stacks/Pulumi.campus-proxmox.yaml", status: "modified" }], head: {} }, author: "ops-engineer" },
  ];

  it.each(kinds.map((k) => [k.kind, k] as const))("%s", async (_kind, k) => {
    const roles = required(k.kind);
    const reviewers = roles.map((r) => holder[k.dept]![r]!);
    const author = k.author ?? JWC.staff;
    const base = (reviews: ScenarioReview[]) => scenario(k.change, { author, commits: [{ sha: HEAD_SHA, author, committer: author }], reviews });
    const ok = await approvals(base(reviewers.map((r) => review(r))));
    expect(ok.code, text(ok.json)).toBe(0);
    expect(ok.json.decisions).toHaveLength(1);
    expect(ok.json.decisions[0].roles.map((r: any) => r.role)).toEqual(roles);
    if (k.kind !== "protected") expect(ok.json.decisions[0].subject.kinds).toEqual([k.kind]);
    for (const missing of reviewers) {
      const short = await approvals(base(reviewers.filter((r) => r !== missing).map((r) => review(r))));
      expect(short.code, `${k.kind} without ${missing}`).toBe(1);
    }
  });
});

describe("writing the result", () => {
  it("a change no signature can approve says so first, even when every role has signed", async () => {
    const server = await github.start(scenario({ files: [{ filename: EXAM, status: "modified" }], head: { [EXAM]: edit(TREE[EXAM]!, "ip: 10.20.1.10", "ip: 10.20.1.99") } }));
    expect((await approvals(server, [])).code).toBe(1);
    const body = server.comments[0]!.body;
    expect(body).toContain("⛔ 本 PR 中有无法批准的变更（见下方标 ⛔ 的说明），签字也不能使它通过：请先按说明修改本 PR。");
    expect(body).not.toContain("尚未满足审批要求");
    expect(body).toContain("- ⛔ jwc-exam-scheduling：IP 地址从 10.20.1.10 改为 10.20.1.99。");
    // What changes, old → new, by the field's name on the form.
    expect(body).toMatch(/- 本次变更：IP[^：]*：10\.20\.1\.10 → 10\.20\.1\.99/);
  });

  it("sets the commit status and keeps one sticky comment, edited in place", async () => {
    const server = await github.start(scenario(addFiling, { reviews: [review(JWC.head)] }));
    expect((await approvals(server, [])).code).toBe(1);
    // Pending while it judges, then the verdict.
    expect(server.statuses).toEqual([expect.objectContaining({ sha: HEAD_SHA, state: "pending", context: "filings/approval" }), expect.objectContaining({ sha: HEAD_SHA, state: "failure", context: "filings/approval" })]);
    expect(server.comments).toHaveLength(1);
    const body = server.comments[0]!.body;
    expect(body).toContain("<!-- filings/approval -->");
    // In Chinese for the leaders: the filing in the form's words and lib/names.ts's, the department
    // and the signers by name (approvals.yaml people), the time in Beijing time, one line per role still to sign.
    expect(body).toContain("⏳ 还需 3 个签字");
    expect(body).toContain("- 使用部门：教务处（jwc）；用途：测试用选课系统");
    expect(body).toContain("- 服务器类型：虚拟服务器；配置：4 vCPU，内存 8 GiB，硬盘 100 GiB");
    expect(body).toContain("- 网络：校内网 10.20.1.200；");
    expect(body).toContain("- 承诺：每天备份数据和日志、重要数据双备份、日志保存 180 天；已签署责任书（2026-1 版）");
    expect(body).toMatch(/- ✅ 使用部门负责人：王建国，\d{4}-\d\d-\d\d \d\d:\d\d（北京时间）/);
    expect(body).toContain("- ⬜ 缺少部门校分管负责人的批准（可批准：李建华）。");
    expect(body).not.toContain("@li-vp-teaching");
    // English, folded, after the Chinese.
    const english = body.slice(body.indexOf("<details><summary>English</summary>"));
    expect(body.indexOf("<details>")).toBeGreaterThan(body.indexOf("还需签字"));
    expect(english).toMatch(/- ✅ department head: 王建国, \d{4}-\d\d-\d\d \d\d:\d\d \(Beijing time\)/);
    expect(english).not.toMatch(/[签审批]/);
    server.setReviews(ALL_FOUR());
    expect((await approvals(server, [])).code).toBe(0);
    expect(server.statuses.map((x) => x.state)).toEqual(["pending", "failure", "pending", "success"]);
    expect(server.comments).toHaveLength(1);
    expect(server.comments[0]!.body).toContain("所有签字已齐全");
  });
});

describe("API use", () => {
  it("makes the same number of requests for 1 and for 100 reviews", async () => {
    const count = async (n: number) => {
      const reviews = [...ALL_FOUR(), ...Array.from({ length: n - 4 }, (_, i) => review(`student-${i}`, "COMMENTED"))].slice(0, Math.max(n, 1));
      const { server } = await approvals(scenario(addFiling, { reviews }));
      return server.requests.length;
    };
    const one = await count(1);
    expect(await count(4)).toBe(one);
    expect(await count(100)).toBe(one);
  });
});

describe("GitHub answers are believed only in the shape GitHub documents (fail closed)", () => {
  // Each case would pass (exit 0) if the answer were believed: the four signatures are all there.
  const cases: { name: string; hostile: Scenario["hostile"]; says: RegExp }[] = [
    { name: "a files list that is an object", hostile: [{ match: /^GET \/repos\/campus\/filings\/pulls\/7\/files$/, body: {} }], says: /文件列表 files.*\/ must be array/ },
    { name: "a commits list that is an object", hostile: [{ match: /^GET \/repos\/campus\/filings\/pulls\/7\/commits$/, body: {} }], says: /提交 commits.*must be array/ },
    { name: "a commit without its sha", hostile: [{ match: /^GET \/repos\/campus\/filings\/pulls\/7\/commits$/, body: [{ author: null, committer: null }] }], says: /\/0 must have required property 'sha'/ },
    { name: "a reviews list that is an object", hostile: [{ match: /^GET \/repos\/campus\/filings\/pulls\/7\/reviews$/, body: { "0": {} } }], says: /审查 reviews.*must be array/ },
    { name: "a team list that is an object", hostile: [{ match: /^GET \/orgs\/campus\/teams\/[^/]+\/members$/, body: { login: INFO } }], says: /团队 team.*must be array/ },
    { name: "an HTML page instead of JSON", hostile: [{ match: /^GET \/repos\/campus\/filings\/pulls\/7$/, body: "<html>login</html>", contentType: "text/html" }], says: /内容类型为 text\/html，不是 JSON/ },
    { name: "a pull request without its commit count", hostile: [{ match: /^GET \/repos\/campus\/filings\/pulls\/7$/, body: { number: 7, state: "open", user: { login: JWC.staff }, head: { sha: HEAD_SHA }, base: { sha: BASE_SHA, ref: "main" }, changed_files: 1 } }], says: /must have required property 'commits'/ },
    { name: "a pull request without its file count", hostile: [{ match: /^GET \/repos\/campus\/filings\/pulls\/7$/, body: { number: 7, state: "open", user: { login: JWC.staff }, head: { sha: HEAD_SHA }, base: { sha: BASE_SHA, ref: "main" }, commits: 1 } }], says: /must have required property 'changed_files'/ },
    { name: "a default branch that is a tag's ref", hostile: [{ match: /^GET \/repos\/campus\/filings\/git\/ref\//, body: { ref: "refs/tags/main", object: { type: "commit", sha: BASE_SHA } } }], says: /另一个引用（refs\/tags\/main）/ },
  ];

  it.each(cases)("$name: exit 2, the reason, and no green status", async (c) => {
    const { code, stderr, server } = await approvals(scenario(addFiling, { hostile: c.hostile }), []);
    expect(code).toBe(2);
    expect(stderr).toMatch(c.says);
    expect(server.statuses.map((x) => x.state)).not.toContain("success");
  });

  it("a commit past GitHub's 250-commit list: refused, so its author cannot sign unseen", async () => {
    // The department head pushed the 260th commit and then approved as department head.
    const commits = Array.from({ length: 260 }, (_, i) => ({ sha: i.toString(16).padStart(40, "0"), author: i === 259 ? JWC.head : JWC.staff, committer: i === 259 ? JWC.head : JWC.staff }));
    const { code, stderr, server } = await approvals(scenario(addFiling, { commits }), []);
    expect(code).toBe(2);
    expect(stderr).toContain("PR #7 有 260 个提交，GitHub 只列出了 250 个");
    expect(server.statuses.map((x) => x.state)).toEqual(["pending", "error"]);
    expect(server.statuses[1]!.description).toContain("250");
  });

  it("250 commits, all listed: judged as usual", async () => {
    const commits = Array.from({ length: 250 }, (_, i) => ({ sha: i.toString(16).padStart(40, "0"), author: JWC.staff, committer: JWC.staff }));
    const { code } = await approvals(scenario(addFiling, { commits }));
    expect(code).toBe(0);
  });
});

describe("a review event (workflow_run) names only the head commit", () => {
  it("--head-sha judges the open pull request whose head it is, and writes its status", async () => {
    const server = await github.start(scenario(addFiling));
    const r = await runCli(["approvals", "--repo", "campus/filings", "--head-sha", HEAD_SHA], { env: { GITHUB_TOKEN: "t", GITHUB_API_URL: server.url } });
    expect(r.code).toBe(0);
    expect(server.statuses.at(-1)).toEqual(expect.objectContaining({ sha: HEAD_SHA, state: "success", context: "filings/approval" }));
  });

  it("a commit that heads no open pull request: nothing judged, no status", async () => {
    const server = await github.start(scenario(addFiling));
    const r = await runCli(["approvals", "--repo", "campus/filings", "--head-sha", OLD_SHA], { env: { GITHUB_TOKEN: "t", GITHUB_API_URL: server.url } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("无需判断");
    expect(server.statuses).toEqual([]);
  });

  it("needs exactly one of --pr and --head-sha", async () => {
    const r = await runCli(["approvals", "--repo", "campus/filings"], { env: { GITHUB_TOKEN: "t" } });
    expect(r.code).toBe(2);
  });
});

describe("a change that opens a sensitive port to more of the Internet", () => {
  const JUDGE = "filings/jsj/online-judge.yaml";
  const wider = TREE[JUDGE]!.replace("sources: [ 10.8.0.0/16 ]", "sources: [ 10.8.0.0/16, 192.0.2.0/24 ]");
  const change: Change = { files: [{ filename: JUDGE, status: "modified" }], head: { [JUDGE]: wider } };
  const jsj = (reviews: ScenarioReview[]) =>
    scenario(change, { author: "wei-jsj", commits: [{ sha: HEAD_SHA, author: "wei-jsj", committer: "wei-jsj" }], reviews, teams: { ...TEAMS, "example-univ/jsj-deans": [] } });

  it("is refused with only the department's signatures, and the comment says why the security leader must sign", async () => {
    // Letting more sources reach an open port is an increase: the four signatures of the form.
    const { code, json } = await approvals(jsj([review("chu-jsj"), review("zhou-vp-research")]));
    expect(code).toBe(1);
    expect(json.decisions[0].subject.kinds).toEqual(["increase"]);
    expect(signed(json).securityLeader).toBeNull();
    expect(text(json)).toContain("本次变更对互联网开放敏感端口或扩大了可访问的来源（22/tcp）");
  });

  it("turns green once the information center and the security leader sign", async () => {
    expect((await approvals(jsj([review("chu-jsj"), review("zhou-vp-research"), review(SECURITY)]))).code).toBe(1);
    const { code } = await approvals(jsj([review("chu-jsj"), review("zhou-vp-research"), review(INFO), review(SECURITY)]));
    expect(code).toBe(0);
  });

  it("an ordinary port opened to the whole Internet is an increase too (found by an attacker review: it needed the department head alone)", async () => {
    // 443/tcp restricted to a campus range, then the restriction removed.
    const restricted = TREE[JUDGE]!.replace("exposures:\n", "exposures:\n    - port: 443/tcp\n      reason: 仅校内访问\n      sources: [ 10.8.0.0/16 ]\n");
    const s = scenario({ files: [{ filename: JUDGE, status: "modified" }], head: { [JUDGE]: TREE[JUDGE]! } }, {
      author: "wei-jsj", commits: [{ sha: HEAD_SHA, author: "wei-jsj", committer: "wei-jsj" }], reviews: [review("chu-jsj")], teams: { ...TEAMS, "example-univ/jsj-deans": [] },
    });
    const { code, json } = await approvals({ ...s, trees: { ...s.trees, main: { ...TREE, [JUDGE]: restricted }, [BASE_SHA]: { ...TREE, [JUDGE]: restricted } } });
    expect(json.decisions[0].subject.kinds).toEqual(["increase"]);
    expect(code).toBe(1);
  });
});

describe("notifications", () => {
  it("a group robot hears of a request once per change of its verdict, not once per event", async () => {
    const heard: { markdown: { content: string } }[] = [];
    const robot = http.createServer((req, res) => {
      let data = "";
      req.on("data", (c: Buffer) => (data += c.toString()));
      req.on("end", () => {
        heard.push(JSON.parse(data) as { markdown: { content: string } });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ errcode: 0, errmsg: "ok" }));
      });
    });
    await new Promise<void>((r) => robot.listen(0, "127.0.0.1", r));
    try {
      const server = await github.start(scenario(addFiling, { reviews: [review(JWC.head)] }));
      const env = { GITHUB_TOKEN: "test-token", GITHUB_API_URL: server.url, FILINGS_NOTIFY_WECOM_URL: `http://127.0.0.1:${(robot.address() as AddressInfo).port}/cgi-bin/webhook/send?key=k` };
      const run = () => runCli(["approvals", "--repo", "campus/filings", "--pr", "7"], { env });
      expect((await run()).code).toBe(1);
      expect(heard).toHaveLength(1);
      expect(heard[0]!.markdown.content).toContain("等待签字");
      expect(heard[0]!.markdown.content).toContain("请部门校分管负责人批准");
      // The same verdict again (a re-run, an event that changed nothing): the comment stays, nobody is told.
      expect((await run()).code).toBe(1);
      expect(heard).toHaveLength(1);
      expect(server.requests.filter((r) => r.method === "PATCH" && r.path.includes("/issues/comments/"))).toEqual([]);
    } finally {
      await new Promise<void>((r) => robot.close(() => r()));
    }
  });
});
