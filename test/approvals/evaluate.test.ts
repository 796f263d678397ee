/**
 * evaluateApprovals as the pure function it is: each case starts from a pull request every role has
 * signed and changes one fact. The fake-GitHub cases (test/github/approvals.test.ts) stay the
 * end-to-end layer.
 */
import { describe, expect, it } from "vitest";
import { evaluateApprovals, type EvaluationInput, type PullRequestFacts, type Review } from "../../lib/approvals/evaluate";
import type { FilingChange } from "../../lib/approvals/classify";
import type { InstitutionConfig } from "../../lib/config/model";
import { parseConfig } from "../../lib/config/parse";
import { sampleConfig } from "../helpers/register";

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
