/**
 * `believe`, the check every GitHub answer passes before it is used: a success status, a JSON content
 * type, and the documented shape of the fields the gate reads. Each row starts from an answer that is
 * believed and breaks one thing; a broken answer is a GitHubApiError (exit 2) that says what and where.
 */
import { describe, expect, it } from "vitest";
import { ANSWER_SCHEMAS, believe, type AnswerKind } from "../../lib/github/answers";
import { GitHubApiError } from "../../lib/errors";

const SHA = "c".repeat(40);
const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };
const answer = (data: unknown, status = 200, headers: Record<string, string> = JSON_TYPE) => ({ status, headers, data });

function refusal(kind: AnswerKind, a: ReturnType<typeof answer>): GitHubApiError {
  try {
    believe(kind, "测试 test", a);
  } catch (err) {
    expect(err).toBeInstanceOf(GitHubApiError);
    return err as GitHubApiError;
  }
  throw new Error(`${kind}: the answer was believed`);
}

describe("the envelope", () => {
  const files = [{ filename: "filings/jwc/x.yaml", status: "added" }];

  it.each([200, 201, 299])("status %i with a JSON body is believed", (status) => {
    expect(believe("files", "test", answer(files, status))).toEqual(files);
  });

  it.each([199, 300, 302, 404, 500])("status %i is not", (status) => {
    const err = refusal("files", answer(files, status));
    expect(err.status).toBe(status);
    expect(err.userMessage.zh).toBe(`GitHub 的回答与预期不符（测试 test）：状态码 ${status}。为安全起见，审批与状态均未更新；请稍后重试，仍失败时请联系信息中心。`);
    expect(err.userMessage.en).toBe(`GitHub's answer was not what was expected (测试 test): status ${status}. To be safe nothing was approved or updated; retry later and ask the information center if it persists.`);
  });

  it.each(["application/json", "application/vnd.github+json", "Application/JSON; charset=utf-8"])("content type %s is JSON", (type) => {
    expect(believe("files", "test", answer(files, 200, { "content-type": type }))).toEqual(files);
  });

  it.each([
    ["text/html", "内容类型为 text/html，不是 JSON", "content type text/html, not JSON"],
    ["text/json", "内容类型为 text/json，不是 JSON", "content type text/json, not JSON"],
    ["application/jsonx", "内容类型为 application/jsonx，不是 JSON", "content type application/jsonx, not JSON"],
    ["x-application/json", "内容类型为 x-application/json，不是 JSON", "content type x-application/json, not JSON"],
    ["", "内容类型为 （空），不是 JSON", "content type (none), not JSON"],
  ])("content type %j is not", (type, zh, en) => {
    const err = refusal("files", answer(files, 200, type ? { "content-type": type } : {}));
    expect(err.userMessage.zh).toContain(`（测试 test）：${zh}。`);
    expect(err.userMessage.en).toContain(`(测试 test): ${en}.`);
  });

  it("a shape that does not match says where and what, in both languages", () => {
    const err = refusal("files", answer({}));
    expect(err.userMessage.zh).toBe("GitHub 的回答与预期不符（测试 test）：/ must be array。为安全起见，审批与状态均未更新；请稍后重试，仍失败时请联系信息中心。");
    expect(err.userMessage.en).toBe("GitHub's answer was not what was expected (测试 test): / must be array. To be safe nothing was approved or updated; retry later and ask the information center if it persists.");
  });
});

/**
 * Per kind: an answer as GitHub sends it, then each constraint the gate relies on broken alone, with
 * where the check points. Fields the gate does not read may be anything.
 */
const cases: { kind: AnswerKind; valid: unknown; broken: [string, (v: any) => unknown, string][] }[] = [
  {
    kind: "pull",
    valid: { number: 7, state: "open", user: { login: "a" }, head: { sha: SHA }, base: { sha: SHA, ref: "main" }, commits: 1, changed_files: 1, title: "any" },
    broken: [
      ["number 0", (v) => ({ ...v, number: 0 }), "/number"],
      ["number not an integer", (v) => ({ ...v, number: 1.5 }), "/number"],
      ["another state", (v) => ({ ...v, state: "merged" }), "/state"],
      ["no author login", (v) => ({ ...v, user: {} }), "/user"],
      ["an empty author login", (v) => ({ ...v, user: { login: "" } }), "/user/login"],
      ["a short head sha", (v) => ({ ...v, head: { sha: "abc" } }), "/head/sha"],
      ["an upper-case base sha", (v) => ({ ...v, base: { ...v.base, sha: SHA.toUpperCase() } }), "/base/sha"],
      ["no base ref", (v) => ({ ...v, base: { sha: SHA } }), "/base"],
      ["an empty base ref", (v) => ({ ...v, base: { sha: SHA, ref: "" } }), "/base/ref"],
      ["a negative commit count", (v) => ({ ...v, commits: -1 }), "/commits"],
      ["no file count", ({ changed_files: _c, ...v }) => v, "/"],
      ["a file count as text", (v) => ({ ...v, changed_files: "1" }), "/changed_files"],
    ],
  },
  {
    kind: "repository",
    valid: { default_branch: "main", name: "filings" },
    broken: [
      ["no default branch", () => ({ name: "filings" }), "/"],
      ["an empty default branch", () => ({ default_branch: "" }), "/default_branch"],
    ],
  },
  { kind: "tagRef", valid: { ref: "refs/tags/filings-deployed", object: { type: "commit", sha: SHA } }, broken: [["no sha", () => ({ ref: "x", object: {} }), "/object"]] },
  {
    kind: "branchRef",
    valid: { ref: "refs/heads/main", object: { type: "commit", sha: SHA } },
    broken: [
      ["a tag object", (v) => ({ ...v, object: { type: "tag", sha: SHA } }), "/object/type"],
      ["no sha", (v) => ({ ...v, object: { type: "commit" } }), "/object"],
      ["no ref", (v) => ({ object: v.object }), "/"],
    ],
  },
  {
    kind: "files",
    valid: [{ filename: "a", status: "renamed", previous_filename: "b" }, { filename: "c", status: "unchanged" }],
    broken: [
      ["an object", () => ({}), "/"],
      ["an empty file name", (v) => [{ ...v[0], filename: "" }], "/0/filename"],
      ["no status", () => [{ filename: "a" }], "/0"],
      ["another status", (v) => [{ ...v[0], status: "deleted" }], "/0/status"],
      ["an empty previous name", (v) => [{ ...v[0], previous_filename: "" }], "/0/previous_filename"],
    ],
  },
  {
    kind: "commits",
    valid: [{ sha: SHA, author: null, committer: { login: "a" } }],
    broken: [
      ["no sha", () => [{ author: null, committer: null }], "/0"],
      ["no author field", () => [{ sha: SHA, committer: null }], "/0"],
      ["an author without login", () => [{ sha: SHA, author: {}, committer: null }], "/0/author"],
    ],
  },
  {
    kind: "reviews",
    valid: [{ id: 1, user: null, state: "APPROVED", commit_id: null, submitted_at: "2026-11-23T02:00:00Z" }],
    broken: [
      ["no id", ({ 0: { id: _i, ...r } }) => [r], "/0"],
      ["an id as text", (v) => [{ ...v[0], id: "1" }], "/0/id"],
      ["another state", (v) => [{ ...v[0], state: "APPROVE" }], "/0/state"],
      ["a commit id as a number", (v) => [{ ...v[0], commit_id: 1 }], "/0/commit_id"],
      ["a submission time as a number", (v) => [{ ...v[0], submitted_at: 1 }], "/0/submitted_at"],
    ],
  },
  { kind: "members", valid: [{ login: "a" }], broken: [["a member without login", () => [{}], "/0"], ["an object", () => ({ login: "a" }), "/"]] },
  { kind: "comments", valid: [{ id: 1, body: null }], broken: [["no id", () => [{ body: "x" }], "/0"], ["a body as a number", () => [{ id: 1, body: 1 }], "/0/body"]] },
  { kind: "issues", valid: [{ number: 1, title: "t", body: null }], broken: [["number 0", () => [{ number: 0, title: "t" }], "/0/number"], ["no title", () => [{ number: 1 }], "/0"]] },
  { kind: "issue", valid: { number: 3 }, broken: [["number 0", () => ({ number: 0 }), "/number"]] },
  {
    kind: "openPulls",
    valid: [{ number: 4, head: { sha: SHA }, base: { ref: "main" } }],
    broken: [["a head without sha", () => [{ number: 4, head: {}, base: { ref: "main" } }], "/0/head"], ["no base", () => [{ number: 4, head: { sha: SHA } }], "/0"]],
  },
  {
    kind: "commitPulls",
    valid: [{ number: 1, merged_at: null, merge_commit_sha: null, state: "open", head: { sha: SHA } }],
    broken: [
      ["no merge time field", () => [{ number: 1 }], "/0"],
      ["a merge time as a number", (v) => [{ ...v[0], merged_at: 1 }], "/0/merged_at"],
      ["a head without sha", (v) => [{ ...v[0], head: {} }], "/0/head"],
    ],
  },
  { kind: "content", valid: { type: "file", content: "eA==", encoding: "base64" }, broken: [["no type", () => ({ content: "x" }), "/"], ["content as a number", () => ({ type: "file", content: 1 }), "/content"]] },
  { kind: "status", valid: { state: "success" }, broken: [["no state", () => ({}), "/"]] },
  {
    kind: "directory",
    valid: [{ name: "x.yaml", type: "symlink", size: 0 }],
    broken: [["an entry without type", () => [{ name: "x.yaml" }], "/0"], ["an empty name", () => [{ name: "", type: "file" }], "/0/name"], ["a file instead of a listing", () => ({ type: "file", name: "x" }), "/"]],
  },
  { kind: "environments", valid: [{ name: "production", id: 1 }], broken: [["an environment without name", () => [{ id: 1 }], "/0"]] },
  { kind: "secretNames", valid: [{ name: "GH_TOKEN", created_at: "2019-08-10T14:59:22Z" }], broken: [["a secret without name", () => [{ created_at: "x" }], "/0"]] },
  { kind: "comment", valid: { id: 9 }, broken: [["an id as text", () => ({ id: "9" }), "/id"]] },
  {
    kind: "protection",
    valid: { required_status_checks: { contexts: ["a"], checks: [{ context: "a", app_id: null }], strict: true }, enforce_admins: { enabled: true }, allow_force_pushes: { enabled: false } },
    broken: [
      ["a check without context", (v) => ({ ...v, required_status_checks: { checks: [{ app_id: 1 }] } }), "/required_status_checks/checks/0"],
      ["strict as text", (v) => ({ ...v, required_status_checks: { strict: "yes" } }), "/required_status_checks/strict"],
      ["enforce admins without enabled", (v) => ({ ...v, enforce_admins: {} }), "/enforce_admins"],
      ["force pushes as text", (v) => ({ ...v, allow_force_pushes: { enabled: "false" } }), "/allow_force_pushes/enabled"],
      ["dismissal as text", (v) => ({ ...v, required_pull_request_reviews: { dismiss_stale_reviews: "true" } }), "/required_pull_request_reviews/dismiss_stale_reviews"],
    ],
  },
  {
    kind: "branchRules",
    valid: [{ type: "deletion", ruleset_id: 3 }],
    broken: [["no ruleset id", () => [{ type: "deletion" }], "/0"], ["an empty type", () => [{ type: "", ruleset_id: 3 }], "/0/type"], ["an object", () => ({}), "/"]],
  },
  {
    kind: "ruleset",
    valid: { id: 3, enforcement: "active", bypass_actors: [], conditions: { ref_name: { include: ["~ALL"], exclude: [] } }, rules: [{ type: "update" }] },
    broken: [
      ["no enforcement", ({ enforcement: _e, ...v }) => v, "/"],
      ["bypass actors as an object", (v) => ({ ...v, bypass_actors: {} }), "/bypass_actors"],
      ["a rule without type", (v) => ({ ...v, rules: [{}] }), "/rules/0"],
      ["include as text", (v) => ({ ...v, conditions: { ref_name: { include: "~ALL" } } }), "/conditions"],
    ],
  },
  {
    kind: "environment",
    valid: { name: "production", deployment_branch_policy: null, protection_rules: [{ type: "required_reviewers" }] },
    broken: [
      ["a branch policy without its flags", (v) => ({ ...v, deployment_branch_policy: {} }), "/deployment_branch_policy"],
      ["a protection rule without type", (v) => ({ ...v, protection_rules: [{}] }), "/protection_rules/0"],
    ],
  },
  {
    kind: "user",
    valid: { login: "li-lib", name: "李" },
    broken: [["a login that is no login", (v) => ({ ...v, login: "li lib" }), "/login"], ["no login", () => ({ name: "x" }), "/"], ["a name that is no text", (v) => ({ ...v, name: 7 }), "/name"]],
  },
  {
    kind: "membership",
    valid: { state: "active", role: "member" },
    broken: [["another state", (v) => ({ ...v, state: "maybe" }), "/state"]],
  },
  {
    kind: "combinedStatus",
    valid: { state: "pending", statuses: [{ context: "filings/approval", state: "pending", description: "审批未齐全" }] },
    broken: [["no list of statuses", () => ({ state: "success" }), "/"], ["a status without its context", (v) => ({ ...v, statuses: [{ state: "success" }] }), "/statuses/0"], ["another state", (v) => ({ ...v, statuses: [{ context: "x", state: "green" }] }), "/statuses/0/state"]],
  },
  {
    kind: "checkRuns",
    valid: { total_count: 1, check_runs: [{ name: "Validate filings", status: "completed", conclusion: "success" }] },
    broken: [["no list of runs", () => ({ total_count: 0 }), "/"], ["a run without its name", (v) => ({ ...v, check_runs: [{ status: "completed", conclusion: null }] }), "/check_runs/0"], ["a conclusion that is no text", (v) => ({ ...v, check_runs: [{ name: "x", status: "completed", conclusion: 1 }] }), "/check_runs/0/conclusion"]],
  },
  {
    kind: "existingFile",
    valid: { type: "file", sha: "0123456789abcdef0123456789abcdef01234567", name: "opac.yaml", path: "filings/tsg/opac.yaml" },
    broken: [["a directory where the file should be", () => [{ type: "file", sha: "0123456789abcdef0123456789abcdef01234567" }], "/"], ["a symlink", (v) => ({ ...v, type: "symlink" }), "/type"], ["a blob id that is none", (v) => ({ ...v, sha: "HEAD" }), "/sha"]],
  },
  {
    kind: "closedPull",
    valid: { number: 7, state: "closed", title: "t" },
    broken: [["no state", () => ({ number: 7 }), "/"], ["another state", (v) => ({ ...v, state: "merged" }), "/state"]],
  },
  {
    kind: "createdPull",
    valid: { number: 2, html_url: "https://github.com/campus/filings/pull/2" },
    broken: [["a number that is none", (v) => ({ ...v, number: 0 }), "/number"], ["a link that is no web address", (v) => ({ ...v, html_url: "javascript:alert(1)" }), "/html_url"]],
  },
  {
    kind: "pullList",
    valid: [
      { number: 2, title: "t", html_url: "https://github.com/campus/filings/pull/2", user: { login: "li-lib" }, state: "open", merged_at: null, created_at: "2026-12-07T02:00:00Z", head: { ref: "filing/tsg-x" } },
      { number: 1, title: "u", html_url: "https://github.com/campus/filings/pull/1", user: null, state: "closed", merged_at: "2026-12-01T02:00:00Z", head: { ref: "filing/jwc-y" } },
    ],
    broken: [
      ["an object for a list", (v) => v[0], "/"],
      ["a pull request without its branch", (v) => [{ ...v[0], head: {} }], "/0/head"],
      ["a link that is no web address", (v) => [{ ...v[0], html_url: "javascript:x" }], "/0/html_url"],
      ["a merge time that is no text", (v) => [{ ...v[0], merged_at: 1 }], "/0/merged_at"],
      ["a creation time that is no text", (v) => [{ ...v[0], created_at: 1 }], "/0/created_at"],
      ["another state", (v) => [{ ...v[0], state: "draft" }], "/0/state"],
    ],
  },
  {
    kind: "workflowPermissions",
    valid: { default_workflow_permissions: "read", can_approve_pull_request_reviews: false },
    broken: [["another permission", (v) => ({ ...v, default_workflow_permissions: "none" }), "/default_workflow_permissions"], ["no approval flag", () => ({ default_workflow_permissions: "read" }), "/"]],
  },
];

describe("the shape of each answer", () => {
  it("covers every kind of answer the gate and the desk read", () => {
    expect(cases.map((c) => c.kind).sort()).toEqual(Object.keys(ANSWER_SCHEMAS).filter((k) => k !== "rulesets" && k !== "branchPolicies").sort());
  });

  it.each(cases.map((c) => [c.kind, c] as const))("%s: the documented answer is believed", (_kind, c) => {
    expect(believe(c.kind, "test", answer(c.valid))).toEqual(c.valid);
  });

  it.each(cases.flatMap((c) => c.broken.map(([what, breakIt, where]) => [`${c.kind}: ${what}`, c.kind, breakIt(structuredClone(c.valid)), where] as const)))(
    "%s is refused, pointing at the field",
    (_name, kind, data, where) => {
      expect(refusal(kind, answer(data)).userMessage.en).toMatch(new RegExp(`\\(测试 test\\): ${where.replace(/[/]/g, "\\/")} `));
    },
  );

  it.each([
    ["rulesets", [{ id: 1 }], [{ name: "x" }], "/0"],
    ["branchPolicies", { branch_policies: [{ name: "main" }] }, { branch_policies: [{}] }, "/branch_policies/0"],
  ] as const)("%s: believed as documented, refused without its key field", (kind, valid, broken, where) => {
    expect(believe(kind, "test", answer(valid))).toEqual(valid);
    expect(refusal(kind, answer(broken)).userMessage.en).toContain(`: ${where} `);
  });
});
