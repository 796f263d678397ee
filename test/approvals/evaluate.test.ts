/**
 * evaluateApprovals as the pure function it is: each case starts from a pull request every role has
 * signed and changes one fact. The fake-GitHub cases (test/github/approvals.test.ts) stay the
 * end-to-end layer.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateApprovals, teamsToResolve, type EvaluationInput, type PullRequestFacts, type Review } from "../../lib/approvals/evaluate";
import { classifyChanges, type FilingChange } from "../../lib/approvals/classify";
import type { InstitutionConfig } from "../../lib/config/model";
import { parseConfig } from "../../lib/config/parse";
import { REPO, sampleConfig } from "../helpers/register";

const config: InstitutionConfig = parseConfig(sampleConfig).loaded!.config;
const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);

/** A new jwc filing: the form's four signatures (approvals.yaml `required.new`). */
const change: FilingChange = { path: "filings/jwc/timetable.yaml", id: "jwc-timetable", department: "jwc", kinds: ["new"], fields: [], refusals: [] };
// Role holders in the sample config: jwc's head and school leader, the information-center team, the security leader.
const SIGNERS = { departmentHead: "wang-jwc", schoolLeader: "li-vp-teaching", informationCenterHead: "chen-info", securityLeader: "zhou-vp-security" } as const;
const approve = (user: string, minute: number, commitId = HEAD): Review => ({ id: minute, user, state: "APPROVED", commitId, submittedAt: `2026-11-23T02:${String(minute).padStart(2, "0")}:00Z` });

const pr: PullRequestFacts = {
  number: 21,
  author: "zhang-jwc",
  headSha: HEAD,
  commits: [{ sha: HEAD, author: "zhang-jwc", committer: "zhang-jwc" }],
  reviews: [approve(SIGNERS.departmentHead, 1), approve(SIGNERS.schoolLeader, 2), approve(SIGNERS.informationCenterHead, 3), approve(SIGNERS.securityLeader, 4)],
};

const base: EvaluationInput = {
  classification: { filings: [change], protectedPaths: [] },
  pr,
  config,
  teams: new Map([
    ["@campus/info-center-heads", new Set(["chen-info"])],
    ["@campus/jwc-staff", new Set(["zhang-jwc"])],
  ]),
};

/** The roles left unsigned, and every message the evaluation gives, in English. */
function outcome(input: EvaluationInput) {
  const e = evaluateApprovals(input);
  return {
    satisfied: e.satisfied,
    missing: e.decisions.flatMap((d) => d.roles.filter((r) => !r.signer).map((r) => r.role)),
    says: [...e.refusals, ...e.decisions.flatMap((d) => [...d.refusals, ...d.roles.flatMap((r) => (r.missing ? [r.missing] : []))]), ...e.ignored.map((i) => i.why)].map((m) => m.en).join("\n"),
  };
}

const withReviews = (reviews: readonly Review[]): EvaluationInput => ({ ...base, pr: { ...pr, reviews } });
const replaced = (index: number, review: Review): EvaluationInput => withReviews(pr.reviews.map((r, i) => (i === index ? review : r)));

describe("evaluateApprovals", () => {
  it("is satisfied when each required role has signed the head commit, one person each", () => {
    expect(outcome(base)).toEqual({ satisfied: true, missing: [], says: "" });
  });

  it.each([
    {
      what: "ordered mode: the school leader signed before the department head",
      input: { ...withReviews([approve(SIGNERS.schoolLeader, 1), approve(SIGNERS.departmentHead, 2), approve(SIGNERS.informationCenterHead, 3), approve(SIGNERS.securityLeader, 4)]), config: { ...config, approvals: { ...config.approvals, ordered: true } } },
      missing: ["schoolLeader", "informationCenterHead", "securityLeader"],
      says: /in form order: only an approval after the department head signed counts/,
    },
    {
      what: "one person for two roles: the department head is also listed as school leader, and nobody else signs that role",
      input: { ...withReviews([approve(SIGNERS.departmentHead, 1), approve(SIGNERS.informationCenterHead, 3), approve(SIGNERS.securityLeader, 4)]), config: { ...config, departments: config.departments.map((d) => (d.slug === "jwc" ? { ...d, roles: { ...d.roles, schoolLeader: ["@wang-jwc"] } } : d)) } },
      missing: ["schoolLeader"],
      says: /wang-jwc already signed another role of this PR; one person signs one role/,
    },
    {
      what: "a stale approval: the security leader approved an earlier commit",
      input: replaced(3, approve(SIGNERS.securityLeader, 4, OLD)),
      missing: ["securityLeader"],
      says: /zhou-vp-security approved commit bbbbbbb; the PR changed after that \(now aaaaaaa\)/,
    },
    {
      what: "a committer: the school leader pushed a commit to the pull request",
      input: { ...base, pr: { ...pr, commits: [...pr.commits, { sha: HEAD, author: "zhang-jwc", committer: SIGNERS.schoolLeader }] } },
      missing: ["schoolLeader"],
      says: /li-vp-teaching authored or committed a commit of this PR and cannot sign for it/,
    },
    {
      what: "a dismissed approval",
      input: replaced(0, { ...approve(SIGNERS.departmentHead, 5), state: "DISMISSED" }),
      missing: ["departmentHead"],
      says: /wang-jwc's approval was dismissed/,
    },
    {
      what: "changes requested after an approval",
      input: withReviews([...pr.reviews, { ...approve(SIGNERS.informationCenterHead, 9), state: "CHANGES_REQUESTED" }]),
      missing: ["informationCenterHead"],
      says: /chen-info's latest review requests changes/,
    },
    {
      what: "team membership: the information-center approver has left the team",
      input: { ...base, teams: new Map([["@campus/info-center-heads", new Set<string>()], ["@campus/jwc-staff", new Set(["zhang-jwc"])]]) },
      missing: ["informationCenterHead"],
      says: /chen-info is not among the information-center head holders/,
    },
    {
      what: "the author's department: a member of jwc files for another department",
      input: { ...base, classification: { filings: [{ ...change, path: "filings/cwc/timetable.yaml", id: "cwc-timetable", department: "cwc" }], protectedPaths: [] } },
      missing: ["departmentHead", "schoolLeader"],
      says: /zhang-jwc files for jwc and cannot change cwc's filings/,
    },
    {
      what: "the author approves their own pull request",
      input: withReviews([...pr.reviews, approve("zhang-jwc", 9)]),
      missing: [],
      says: /zhang-jwc opened this PR and cannot approve it/,
    },
  ])("$what", ({ input, missing, says }) => {
    const o = outcome(input);
    expect(o.missing).toEqual(missing);
    expect(o.says).toMatch(says);
    // The author's own approval is only ignored; every other case leaves the PR unapprovable as it stands.
    expect(o.satisfied).toBe(missing.length === 0 && !/files for/.test(o.says));
  });

  it("a pull request that changes no file is refused with a message, never satisfied", () => {
    const o = outcome({ ...base, classification: { filings: [], protectedPaths: [] } });
    expect(o).toEqual({ satisfied: false, missing: [], says: "This PR changes no files: there is nothing to approve." });
  });
});

/**
 * What a leader reads for each role, and which approval signs it: the whole decision, both
 * languages. Each row starts from the fully signed new filing above and changes one fact.
 */
describe("the decision a leader reads", () => {
  const at = (minute: number) => `2026-11-23T02:${String(minute).padStart(2, "0")}:00Z`;
  const review = (user: string, minute: number, state: Review["state"], id = minute, commitId: string | null = HEAD): Review => ({ id, user, state, commitId, submittedAt: at(minute) });
  const roleOf = (input: EvaluationInput, role: string, decision = 0) => evaluateApprovals(input).decisions[decision]!.roles.find((r) => r.role === role);
  const missingOf = (zh: string, en: string) => ({ zh, en });
  const ordered = (input: EvaluationInput): EvaluationInput => ({ ...input, config: { ...config, approvals: { ...config.approvals, ordered: true } } });
  const jwcWith = (roles: Partial<InstitutionConfig["departments"][number]["roles"]>): InstitutionConfig => ({
    ...config,
    departments: config.departments.map((d) => (d.slug === "jwc" ? { ...d, roles: { ...d.roles, ...roles } } : d)),
  });

  it("a signed role names its signer and the time of the approval", () => {
    expect(roleOf(base, "schoolLeader")).toEqual({ role: "schoolLeader", signer: { login: "li-vp-teaching", at: at(2) } });
  });

  it.each([
    {
      what: "a later 'changes requested' listed before the approval (GitHub's list is not by time) still withdraws it",
      reviews: [review("li-vp-teaching", 9, "CHANGES_REQUESTED"), ...pr.reviews],
      missing: missingOf(
        "缺少部门校分管负责人的批准（可批准：@li-vp-teaching）。",
        "Missing the school leader over the department's approval (may approve: @li-vp-teaching).",
      ),
    },
    {
      what: "a withdrawal in the same second as the approval, with the later id, wins",
      reviews: [review("li-vp-teaching", 2, "CHANGES_REQUESTED", 50), ...pr.reviews],
      missing: missingOf(
        "缺少部门校分管负责人的批准（可批准：@li-vp-teaching）。",
        "Missing the school leader over the department's approval (may approve: @li-vp-teaching).",
      ),
    },
    {
      what: "a review started early and submitted late (a lower id, a later time) is the later word",
      reviews: [...pr.reviews.filter((r) => r.user !== "li-vp-teaching"), review("li-vp-teaching", 9, "CHANGES_REQUESTED", 1), review("li-vp-teaching", 2, "APPROVED", 50)],
      missing: missingOf(
        "缺少部门校分管负责人的批准（可批准：@li-vp-teaching）。",
        "Missing the school leader over the department's approval (may approve: @li-vp-teaching).",
      ),
    },
    {
      what: "the same, with the approval listed first",
      reviews: [...pr.reviews.filter((r) => r.user !== "li-vp-teaching"), review("li-vp-teaching", 2, "APPROVED", 50), review("li-vp-teaching", 9, "CHANGES_REQUESTED", 1)],
      missing: missingOf(
        "缺少部门校分管负责人的批准（可批准：@li-vp-teaching）。",
        "Missing the school leader over the department's approval (may approve: @li-vp-teaching).",
      ),
    },
    {
      what: "times written with milliseconds and an offset are instants: an approval at 10:05+08:00 is before a withdrawal at 02:06Z",
      reviews: [...pr.reviews.filter((r) => r.user !== "li-vp-teaching"), { id: 60, user: "li-vp-teaching", state: "CHANGES_REQUESTED" as const, commitId: HEAD, submittedAt: "2026-11-23T02:06:00.000Z" }, { id: 61, user: "li-vp-teaching", state: "APPROVED" as const, commitId: HEAD, submittedAt: "2026-11-23T10:05:00+08:00" }],
      missing: missingOf(
        "缺少部门校分管负责人的批准（可批准：@li-vp-teaching）。",
        "Missing the school leader over the department's approval (may approve: @li-vp-teaching).",
      ),
    },
    {
      what: "the same withdrawal listed after the approval",
      reviews: [...pr.reviews, review("li-vp-teaching", 2, "CHANGES_REQUESTED", 50)],
      missing: missingOf(
        "缺少部门校分管负责人的批准（可批准：@li-vp-teaching）。",
        "Missing the school leader over the department's approval (may approve: @li-vp-teaching).",
      ),
    },
  ])("$what", ({ reviews, missing }) => {
    expect(roleOf(withReviews(reviews), "schoolLeader")).toEqual({ role: "schoolLeader", missing });
  });

  it.each([
    ["a comment after the approval", "COMMENTED"],
    ["a pending review after the approval", "PENDING"],
  ] as const)("%s neither gives nor withdraws it", (_what, state) => {
    expect(roleOf(withReviews([...pr.reviews, review("li-vp-teaching", 9, state)]), "schoolLeader")?.signer?.login).toBe("li-vp-teaching");
  });

  it("a holder who only commented is told a comment is no approval; the author's and a committer's comments, and a review not submitted, are not listed", () => {
    const reviews = [...pr.reviews.filter((r) => r.user !== "chen-info"), review("chen-info", 9, "COMMENTED"), review("zhang-jwc", 10, "COMMENTED"), review("liu-jwc-staff", 11, "COMMENTED"), review("wu-jwc-deputy", 12, "PENDING")];
    // The author (zhang-jwc) opened the PR over a colleague's commit: not a contributor, still not listed.
    const input: EvaluationInput = { ...base, pr: { ...pr, commits: [{ sha: HEAD, author: "liu-jwc-staff", committer: "liu-jwc-staff" }], reviews } };
    const e = evaluateApprovals(input);
    expect(e.ignored).toEqual([{ login: "chen-info", why: { zh: "chen-info 只写了评论，没有选择“Approve”：评论不算批准。", en: "chen-info only commented and did not choose Approve: a comment is not an approval." } }]);
    expect(roleOf(input, "informationCenterHead")?.signer).toBeUndefined();
    // Once they approve, the comment before it is no news.
    expect(evaluateApprovals(withReviews([...pr.reviews, review("chen-info", 0, "COMMENTED")])).ignored).toEqual([]);
  });

  it("with two holders of a role who both approved, the first to approve signs", () => {
    const input = { ...withReviews([...pr.reviews, review("wu-jwc-deputy", 0, "APPROVED")]), config: jwcWith({ departmentHead: ["@wang-jwc", "@wu-jwc-deputy"] }) };
    expect(roleOf(input, "departmentHead")).toEqual({ role: "departmentHead", signer: { login: "wu-jwc-deputy", at: at(0) } });
  });

  it("the first to approve signs, even when the other holder reviewed earlier and approved later", () => {
    // wang-jwc asked for changes first, approved at minute 9; wu-jwc-deputy approved at minute 5.
    const reviews = [review("wang-jwc", 0, "CHANGES_REQUESTED"), review("wu-jwc-deputy", 5, "APPROVED"), review("wang-jwc", 9, "APPROVED"), ...pr.reviews.slice(1)];
    const input = { ...withReviews(reviews), config: jwcWith({ departmentHead: ["@wang-jwc", "@wu-jwc-deputy"] }) };
    expect(roleOf(input, "departmentHead")).toEqual({ role: "departmentHead", signer: { login: "wu-jwc-deputy", at: at(5) } });
  });

  it("a role with two holders, neither signed, lists both", () => {
    const input = { ...withReviews(pr.reviews.slice(1)), config: jwcWith({ departmentHead: ["@wang-jwc", "@wu-jwc-deputy"] }) };
    expect(roleOf(input, "departmentHead")).toEqual({
      role: "departmentHead",
      missing: missingOf("缺少使用部门负责人的批准（可批准：@wang-jwc, @wu-jwc-deputy）。", "Missing the department head's approval (may approve: @wang-jwc, @wu-jwc-deputy)."),
    });
  });

  it("ordered mode names no order for a role nobody holding it approved", () => {
    const input = ordered(withReviews([review("wang-jwc", 1, "APPROVED"), review("chen-info", 3, "APPROVED"), review("zhou-vp-security", 4, "APPROVED")]));
    expect(roleOf(input, "schoolLeader")).toEqual({
      role: "schoolLeader",
      missing: missingOf("缺少部门校分管负责人的批准（可批准：@li-vp-teaching）。", "Missing the school leader over the department's approval (may approve: @li-vp-teaching)."),
    });
  });

  it("ordered mode with a stranger's approval too: both reasons, one after the other", () => {
    const input = ordered(withReviews([review("li-vp-teaching", 1, "APPROVED"), review("wang-jwc", 2, "APPROVED"), review("random-dev", 3, "APPROVED")]));
    expect(roleOf(input, "schoolLeader")).toEqual({
      role: "schoolLeader",
      missing: missingOf(
        "缺少部门校分管负责人的批准（可批准：@li-vp-teaching）；须按申请表顺序：使用部门负责人签字之后的批准才计入；random-dev 不在部门校分管负责人名单中。",
        "Missing the school leader over the department's approval (may approve: @li-vp-teaching); in form order: only an approval after the department head signed counts; random-dev is not among the school leader over the department holders.",
      ),
    });
  });

  it("two holders of a role who each signed another: both named", () => {
    const securityToo: InstitutionConfig = { ...config, approvals: { ...config.approvals, holders: { ...config.approvals.holders, securityLeader: ["@wang-jwc", "@campus/info-center-heads"] } } };
    const input = { ...withReviews(pr.reviews.slice(0, 3)), config: securityToo };
    expect(roleOf(input, "securityLeader")?.missing).toEqual({
      zh: "缺少信息安全校分管负责人的批准（可批准：@wang-jwc, @campus/info-center-heads）；wang-jwc, chen-info 已担任本 PR 的另一角色，同一人不能签两个角色。",
      en: "Missing the school leader for information security's approval (may approve: @wang-jwc, @campus/info-center-heads); wang-jwc, chen-info already signed another role of this PR; one person signs one role.",
    });
  });

  it("ordered mode: approvals in the form's order sign every role", () => {
    const e = evaluateApprovals(ordered(base));
    expect(e.decisions[0]!.roles.map((r) => r.signer?.login)).toEqual(["wang-jwc", "li-vp-teaching", "chen-info", "zhou-vp-security"]);
    expect(e.satisfied).toBe(true);
  });

  it("ordered mode: an approval in the same second as the previous role's does not count as after it", () => {
    const input = ordered(withReviews([review("wang-jwc", 1, "APPROVED"), review("li-vp-teaching", 1, "APPROVED", 2), review("chen-info", 3, "APPROVED"), review("zhou-vp-security", 4, "APPROVED")]));
    expect(roleOf(input, "schoolLeader")).toEqual({
      role: "schoolLeader",
      missing: missingOf(
        "缺少部门校分管负责人的批准（可批准：@li-vp-teaching）；须按申请表顺序：使用部门负责人签字之后的批准才计入。",
        "Missing the school leader over the department's approval (may approve: @li-vp-teaching); in form order: only an approval after the department head signed counts.",
      ),
    });
  });

  it.each([
    {
      what: "someone who holds no role approved: named once, under the role they probably meant",
      input: withReviews([review("wang-jwc", 1, "APPROVED"), review("random-dev", 2, "APPROVED"), review("chen-info", 3, "APPROVED"), review("zhou-vp-security", 4, "APPROVED")]),
      role: "schoolLeader",
      missing: missingOf(
        "缺少部门校分管负责人的批准（可批准：@li-vp-teaching）；random-dev 不在部门校分管负责人名单中。",
        "Missing the school leader over the department's approval (may approve: @li-vp-teaching); random-dev is not among the school leader over the department holders.",
      ),
    },
    {
      what: "two people who hold no role",
      input: withReviews([review("wang-jwc", 1, "APPROVED"), review("dev-a", 2, "APPROVED"), review("dev-b", 3, "APPROVED"), review("zhou-vp-security", 4, "APPROVED")]),
      role: "schoolLeader",
      missing: missingOf(
        "缺少部门校分管负责人的批准（可批准：@li-vp-teaching）；dev-a, dev-b 不在部门校分管负责人名单中。",
        "Missing the school leader over the department's approval (may approve: @li-vp-teaching); dev-a, dev-b are not among the school leader over the department holders.",
      ),
    },
    {
      what: "the only holder of a role already signed another",
      input: { ...withReviews([review("wang-jwc", 1, "APPROVED"), review("chen-info", 3, "APPROVED"), review("zhou-vp-security", 4, "APPROVED")]), config: jwcWith({ schoolLeader: ["@wang-jwc"] }) },
      role: "schoolLeader",
      missing: missingOf(
        "缺少部门校分管负责人的批准（可批准：@wang-jwc）；wang-jwc 已担任本 PR 的另一角色，同一人不能签两个角色。",
        "Missing the school leader over the department's approval (may approve: @wang-jwc); wang-jwc already signed another role of this PR; one person signs one role.",
      ),
    },
    {
      what: "a department with no holder of the role",
      input: { ...base, config: jwcWith({ schoolLeader: [] }) },
      role: "schoolLeader",
      missing: missingOf(
        "缺少部门校分管负责人的批准（可批准：（无 none））；li-vp-teaching 不在部门校分管负责人名单中。",
        "Missing the school leader over the department's approval (may approve: （无 none）); li-vp-teaching is not among the school leader over the department holders.",
      ),
    },
  ])("$what", ({ input, role, missing }) => {
    expect(roleOf(input, role)).toEqual({ role, missing });
  });

  it("one person may sign two roles where the config allows it", () => {
    const input = { ...withReviews([review("wang-jwc", 1, "APPROVED"), review("chen-info", 3, "APPROVED"), review("zhou-vp-security", 4, "APPROVED")]), config: { ...jwcWith({ schoolLeader: ["@wang-jwc"] }), approvals: { ...config.approvals, allowOnePersonTwoRoles: true } } };
    const e = evaluateApprovals(input);
    expect(e.decisions[0]!.roles.map((r) => r.signer?.login)).toEqual(["wang-jwc", "wang-jwc", "chen-info", "zhou-vp-security"]);
    expect(e.satisfied).toBe(true);
  });

  it.each([
    {
      what: "an approval of a commit GitHub no longer knows",
      review: { ...approve("li-vp-teaching", 2), commitId: null },
      zh: "li-vp-teaching 于 2026-11-23 10:02（北京时间）批准之后，PR 又有修改，这次批准不再计入。请在“Files changed”页面左上方的下拉菜单中选“Changes since your last review”（自上次审查以来的修改）查看，再重新批准。",
      en: "li-vp-teaching approved a commit that no longer exists; the PR changed after that (now aaaaaaa). Review and approve again.",
    },
    {
      what: "an approval of an earlier commit",
      review: approve("li-vp-teaching", 2, OLD),
      zh: "li-vp-teaching 于 2026-11-23 10:02（北京时间）批准之后，PR 又有修改，这次批准不再计入。请在“Files changed”页面左上方的下拉菜单中选“Changes since your last review”（自上次审查以来的修改）查看，再重新批准。",
      en: "li-vp-teaching approved commit bbbbbbb; the PR changed after that (now aaaaaaa). Review and approve again.",
    },
    {
      what: "a dismissed approval",
      review: { ...approve("li-vp-teaching", 2), state: "DISMISSED" as const },
      zh: "li-vp-teaching 的批准已被撤销（dismissed）。",
      en: "li-vp-teaching's approval was dismissed.",
    },
    {
      what: "changes requested",
      review: { ...approve("li-vp-teaching", 2), state: "CHANGES_REQUESTED" as const },
      zh: "li-vp-teaching 最近一次审查要求修改（changes requested），之前的批准不再有效。",
      en: "li-vp-teaching's latest review requests changes; an earlier approval no longer counts.",
    },
  ])("says why a review does not count: $what", ({ review: r, zh, en }) => {
    expect(evaluateApprovals(replaced(1, r)).ignored).toEqual([{ login: "li-vp-teaching", why: { zh, en } }]);
  });

  it.each([
    {
      what: "the author approves their own pull request",
      input: withReviews([...pr.reviews, approve("zhang-jwc", 9)]),
      ignored: { login: "zhang-jwc", why: { zh: "zhang-jwc 是本 PR 的提交人，不能批准自己的申请。", en: "zhang-jwc opened this PR and cannot approve it." } },
    },
    {
      what: "a committer approves, among commits of which one has no GitHub account",
      input: { ...base, pr: { ...pr, commits: [{ sha: OLD }, ...pr.commits, { sha: HEAD, author: "li-vp-teaching" }] } },
      ignored: { login: "li-vp-teaching", why: { zh: "li-vp-teaching 向本 PR 提交过修改（commit），不能再为它签字。", en: "li-vp-teaching authored or committed a commit of this PR and cannot sign for it." } },
    },
  ])("$what", ({ input, ignored }) => {
    expect(evaluateApprovals(input).ignored).toEqual([ignored]);
  });

  it("a pull request that changes no file says so in Chinese too", () => {
    expect(evaluateApprovals({ ...base, classification: { filings: [], protectedPaths: [] } }).refusals).toEqual([
      { zh: "本 PR 没有任何文件变更，无需也无法审批。", en: "This PR changes no files: there is nothing to approve." },
    ]);
  });
});

/** Who may change which filings, and what a PR with several parts needs. */
describe("the refusals and the parts of a pull request", () => {
  const refusalsOf = (input: EvaluationInput) => evaluateApprovals(input).decisions.map((d) => d.refusals);
  const cwc: FilingChange = { ...change, path: "filings/cwc/timetable.yaml", id: "cwc-timetable", department: "cwc" };
  const metadata: FilingChange = { ...change, kinds: ["metadata"] };

  it.each([
    {
      what: "a filing of a department that is not in departments.yaml",
      input: { ...base, classification: { filings: [{ ...change, path: "filings/zzz/x.yaml", id: "zzz-x", department: "zzz" }], protectedPaths: [] } },
      refusals: [[
        { zh: "zzz-x：部门 zzz 不在 departments.yaml 中。", en: "zzz-x: department zzz is not in departments.yaml." },
        { zh: "zzz-x：提交人 zhang-jwc 属于 jwc，不能修改 zzz 的备案。", en: "zzz-x: zhang-jwc files for jwc and cannot change zzz's filings." },
      ]],
    },
    {
      what: "filings of two departments",
      input: { ...base, classification: { filings: [change, cwc], protectedPaths: [] } },
      refusals: [0, 1].map(() => [{
        zh: "本 PR 同时修改了多个部门的备案（jwc, cwc）。每个 PR 只能修改一个部门的备案，请拆分。",
        en: "This PR changes filings of several departments (jwc, cwc). One PR changes one department's filings; split it.",
      }]),
    },
    {
      what: "an author of one department changing another's",
      input: { ...base, classification: { filings: [cwc], protectedPaths: [] } },
      refusals: [[{ zh: "cwc-timetable：提交人 zhang-jwc 属于 jwc，不能修改 cwc 的备案。", en: "cwc-timetable: zhang-jwc files for jwc and cannot change cwc's filings." }]],
    },
    {
      what: "an author in no department's list",
      input: { ...base, pr: { ...pr, author: "stranger", commits: [{ sha: HEAD, author: "stranger", committer: "stranger" }] } },
      refusals: [[{
        zh: "jwc-timetable：提交人 stranger 不在任何部门的成员名单（departments.yaml 的 members）中，不能提交备案变更。请由部门的备案人员提交，或请信息中心把其加入本部门的 members。",
        en: "jwc-timetable: stranger is in no department's members (departments.yaml) and cannot change filings. Have the department's filing staff submit it, or ask the information center to add them to the department's members.",
      }]],
    },
    {
      what: "the department's head files for it (not listed as a member)",
      input: { ...base, pr: { ...pr, author: "wang-jwc", commits: [{ sha: HEAD, author: "wang-jwc", committer: "wang-jwc" }] } },
      refusals: [[]],
    },
    {
      what: "the information-center head files for any department",
      input: { ...base, classification: { filings: [cwc], protectedPaths: [] }, pr: { ...pr, author: "chen-info", commits: [{ sha: HEAD, author: "chen-info", committer: "chen-info" }] } },
      refusals: [[]],
    },
  ])("$what", ({ input, refusals }) => {
    expect(refusalsOf(input)).toEqual(refusals);
    if (refusals.flat().length > 0) expect(evaluateApprovals(input).satisfied).toBe(false);
  });

  it("a refusal the classification found (a shrinking disk) stays with the filing, whoever signs", () => {
    const shrink = { zh: "磁盘缩小", en: "a disk shrinks" };
    const e = evaluateApprovals({ ...base, classification: { filings: [{ ...change, kinds: ["increase"], refusals: [shrink] }], protectedPaths: [] } });
    expect(e.decisions[0]!.refusals).toEqual([shrink]);
    expect(e.satisfied).toBe(false);
  });

  it("an author listed by two departments may change either, and is named with both for a third", () => {
    const both: InstitutionConfig = { ...config, departments: config.departments.map((d) => (d.slug === "cwc" ? { ...d, members: ["@zhang-jwc"] } : d)) };
    const rsc: FilingChange = { ...change, path: "filings/rsc/x.yaml", id: "rsc-x", department: "rsc" };
    expect(evaluateApprovals({ ...base, config: both, classification: { filings: [cwc], protectedPaths: [] } }).decisions[0]!.refusals).toEqual([]);
    expect(evaluateApprovals({ ...base, config: both, classification: { filings: [rsc], protectedPaths: [] } }).decisions[0]!.refusals).toEqual([
      { zh: "rsc-x：提交人 zhang-jwc 属于 jwc, cwc，不能修改 rsc 的备案。", en: "rsc-x: zhang-jwc files for jwc, cwc and cannot change rsc's filings." },
    ]);
  });

  it("a filing of an unknown department lists nobody who may sign for its department", () => {
    const zzz = { ...base, classification: { filings: [{ ...change, path: "filings/zzz/x.yaml", id: "zzz-x", department: "zzz" }], protectedPaths: [] } };
    expect(evaluateApprovals(zzz).decisions[0]!.roles[0]).toEqual({
      role: "departmentHead",
      missing: {
        zh: "缺少使用部门负责人的批准（可批准：（无 none））；wang-jwc, li-vp-teaching 不在使用部门负责人名单中。",
        en: "Missing the department head's approval (may approve: （无 none）); wang-jwc, li-vp-teaching are not among the department head holders.",
      },
    });
  });

  it("a new file that is not a valid filing, judged on a date, is refused without a late-filing warning", () => {
    const unreadable: FilingChange = { ...change, kinds: [], refusals: [{ zh: "无效", en: "invalid" }] };
    const d = evaluateApprovals({ ...base, today: "2026-12-01", classification: { filings: [unreadable], protectedPaths: [] } }).decisions[0]!;
    expect(d.warnings).toEqual([]);
    expect(d.satisfied).toBe(false);
  });

  it("a protected path signed by the information center and security is approved, with nothing refused or warned", () => {
    const input = { ...withReviews([approve("chen-info", 3), approve("zhou-vp-security", 4)]), classification: { filings: [], protectedPaths: ["stacks/program.ts"] } };
    const e = evaluateApprovals(input);
    expect(e.decisions).toHaveLength(1);
    expect(e.decisions[0]).toMatchObject({ refusals: [], warnings: [], satisfied: true });
    expect(e.satisfied).toBe(true);
  });

  it("a filing signed for its kind and a protected path not signed for: not approved", () => {
    const input = { ...withReviews([approve("wang-jwc", 1)]), classification: { filings: [metadata], protectedPaths: ["stacks/program.ts"] } };
    const e = evaluateApprovals(input);
    expect(e.decisions.map((d) => [d.subject.kind, d.satisfied])).toEqual([["filing", true], ["protected", false]]);
    expect(e.decisions[1]!.subject).toEqual({ kind: "protected", paths: ["stacks/program.ts"] });
    expect(e.decisions[1]!.roles.map((r) => r.role)).toEqual(["informationCenterHead", "securityLeader"]);
    expect(e.satisfied).toBe(false);
  });
});

/** Facts a change brings beyond its kind: a physical server filed late, a sensitive port opened wider. */
describe("what a change adds to its kind", () => {
  const read = (rel: string) => ({ path: rel, bytes: fs.readFileSync(path.join(REPO, rel)) });
  const GPU = "filings/jsj/gpu-lab.yaml"; // physical, online since 2026-02-01
  const JUDGE = "filings/jsj/online-judge.yaml"; // external, 22/tcp from 10.8.0.0/16
  const jsjPr = (reviews: Review[]): PullRequestFacts => ({ ...pr, author: "chu-jsj", commits: [{ sha: HEAD, author: "chu-jsj", committer: "chu-jsj" }], reviews });
  const asNew = (rel: string, today: string | undefined) => ({ ...base, classification: classifyChanges([rel], [{ path: rel, head: read(rel) }]), pr: jsjPr([]), today });

  it.each([
    ["filed 31 days after going online", "2026-03-04", [{
      zh: "jsj-gpu-lab：物理服务器于 2026-02-01 上线，31 天后才备案，超过 30 天的期限。请审批人注意。",
      en: "jsj-gpu-lab: the physical server went online on 2026-02-01 and is filed 31 days later, past the 30-day deadline.",
    }]],
    ["filed on the 30th day", "2026-03-03", []],
    ["judged without a date", undefined, []],
  ])("a physical server %s", (_what, today, warnings) => {
    expect(evaluateApprovals(asNew(GPU, today)).decisions[0]!.warnings).toEqual(warnings);
  });

  it("a virtual server that names an onlineSince is not held to the physical servers' deadline", () => {
    const judge = classifyChanges(["filings/jsj/online-judge.yaml"], [{ path: "filings/jsj/online-judge.yaml", head: read("filings/jsj/online-judge.yaml") }]);
    const virtual = { ...judge.filings[0]!, filing: { ...judge.filings[0]!.filing!, onlineSince: "2026-01-01" } } as FilingChange;
    const warnings = evaluateApprovals({ ...base, classification: { filings: [virtual], protectedPaths: [] }, pr: jsjPr([]), today: "2026-12-01" }).decisions[0]!.warnings;
    // Its one warning is the sensitive port it opens; none about a deadline.
    expect(warnings.map((w) => w.en)).toEqual([expect.stringContaining("opens sensitive ports")]);
  });

  it("a late physical server is only flagged when it is new, not when its file changes later", () => {
    const changed = classifyChanges([GPU], [{ path: GPU, base: read(GPU), head: { path: GPU, bytes: Buffer.from(`${fs.readFileSync(path.join(REPO, GPU), "utf8")}# 复核\n`) } }]);
    expect(evaluateApprovals({ ...base, classification: changed, pr: jsjPr([]), today: "2026-12-01" }).decisions[0]!.warnings).toEqual([]);
  });

  const wider = fs.readFileSync(path.join(REPO, JUDGE), "utf8").replace("sources: [ 10.8.0.0/16 ]", "sources: [ 10.8.0.0/16, 192.0.2.0/24 ]");
  const widened = classifyChanges([JUDGE], [{ path: JUDGE, base: read(JUDGE), head: { path: JUDGE, bytes: Buffer.from(wider) } }]);

  it("opening a sensitive port to more sources adds the security leader where the change's kind alone would not need it, and says why", () => {
    // A school whose config lets the department head alone sign an increase.
    const lenient = { ...config, approvals: { ...config.approvals, required: { ...config.approvals.required, increase: ["departmentHead" as const] } } };
    const d = evaluateApprovals({ ...base, config: lenient, classification: widened, pr: jsjPr([]) }).decisions[0]!;
    expect(d.subject.kind === "filing" && d.subject.change.kinds).toEqual(["increase"]);
    expect(d.roles.map((r) => r.role)).toEqual(["departmentHead", "securityLeader"]);
    expect(d.warnings).toEqual([{
      zh: "jsj-online-judge：本次变更对互联网开放敏感端口或扩大了可访问的来源（22/tcp），按信息安全规定须信息安全校分管负责人批准。",
      en: "jsj-online-judge: this change opens sensitive ports to the Internet or to more sources (22/tcp); the security rules require the approval of the school leader for information security.",
    }]);
  });

  it("names every sensitive port the change exposes", () => {
    const two = wider.replace("ports: [ 443/tcp, 80/tcp, 22/tcp ]", "ports: [ 443/tcp, 80/tcp, 22/tcp, 3389/tcp ]");
    const change2 = classifyChanges([JUDGE], [{ path: JUDGE, base: read(JUDGE), head: { path: JUDGE, bytes: Buffer.from(two) } }]);
    expect(evaluateApprovals({ ...base, classification: change2, pr: jsjPr([]) }).decisions[0]!.warnings[0]).toEqual({
      zh: "jsj-online-judge：本次变更对互联网开放敏感端口或扩大了可访问的来源（22/tcp、3389/tcp），按信息安全规定须信息安全校分管负责人批准。",
      en: "jsj-online-judge: this change opens sensitive ports to the Internet or to more sources (22/tcp, 3389/tcp); the security rules require the approval of the school leader for information security.",
    });
  });

  it("a change whose kind already needs the security leader lists the role once", () => {
    const bigger = wider.replace(/cpu: (\d+)/, (_m, n: string) => `cpu: ${Number(n) + 2}`);
    const both = classifyChanges([JUDGE], [{ path: JUDGE, base: read(JUDGE), head: { path: JUDGE, bytes: Buffer.from(bigger) } }]);
    const d = evaluateApprovals({ ...base, classification: both, pr: jsjPr([]) }).decisions[0]!;
    expect(d.roles.map((r) => r.role)).toEqual(["departmentHead", "schoolLeader", "informationCenterHead", "securityLeader"]);
    expect(d.warnings).toHaveLength(1);
  });

  it("a change of several kinds needs every role any of them needs: less memory and a later period need the school leader for the renewal", () => {
    const both: FilingChange = { ...change, kinds: ["decrease", "renewal"] };
    const signedForDecrease = { ...base, classification: { filings: [both], protectedPaths: [] }, pr: { ...pr, reviews: [approve(SIGNERS.departmentHead, 1), approve(SIGNERS.informationCenterHead, 3)] } };
    expect(outcome(signedForDecrease)).toMatchObject({ satisfied: false, missing: ["schoolLeader"] });
    expect(evaluateApprovals(signedForDecrease).decisions[0]!.roles.map((r) => r.role)).toEqual(["departmentHead", "schoolLeader", "informationCenterHead"]);
  });

  it("a person listed in the config with capitals in their login signs as GitHub spells it", () => {
    const capitals = { ...config, departments: config.departments.map((d) => (d.slug === "jwc" ? { ...d, roles: { ...d.roles, schoolLeader: ["@Li-VP-Teaching"] } } : d)) };
    expect(outcome({ ...base, config: capitals })).toEqual({ satisfied: true, missing: [], says: "" });
  });

  it("a removed file exposes nothing", () => {
    const removed = classifyChanges([JUDGE], [{ path: JUDGE, base: read(JUDGE) }]);
    expect(evaluateApprovals({ ...base, classification: removed, pr: jsjPr([]) }).decisions[0]!.warnings).toEqual([]);
  });
});

describe("teamsToResolve", () => {
  it("asks only for the role teams of the departments changed, and copes with a department listing no members", () => {
    const teamsOf: InstitutionConfig = {
      ...config,
      departments: config.departments.map((d) => (d.slug === "tsg" ? { ...d, roles: { ...d.roles, departmentHead: ["@campus/TSG-heads"] }, members: undefined } : d)),
    };
    const tsg: FilingChange = { ...change, path: "filings/tsg/x.yaml", id: "tsg-x", department: "tsg" };
    expect(teamsToResolve({ filings: [change], protectedPaths: [] }, teamsOf)).not.toContain("@campus/tsg-heads");
    expect(teamsToResolve({ filings: [tsg], protectedPaths: [] }, teamsOf)).toContain("@campus/tsg-heads");
    // A pull request with filings of two departments (refused, but judged): both departments' teams.
    const jsj: FilingChange = { ...change, path: "filings/jsj/x.yaml", id: "jsj-x", department: "jsj" };
    expect(teamsToResolve({ filings: [tsg, jsj], protectedPaths: [] }, teamsOf)).toEqual(expect.arrayContaining(["@campus/tsg-heads", "@example-univ/jsj-deans"]));
  });

  it("asks for the school-level teams, the teams of the departments changed, and every department's members", () => {
    const jsj: FilingChange = { ...change, path: "filings/jsj/x.yaml", id: "jsj-x", department: "jsj" };
    const teams = teamsToResolve({ filings: [jsj], protectedPaths: [] }, config);
    const members = config.departments.flatMap((d) => d.members ?? []).map((m) => m.toLowerCase());
    expect(teams).toEqual([...new Set(["@campus/info-center-heads", "@example-univ/jsj-deans", ...members])].sort());
  });
});
