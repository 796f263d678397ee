import type { ValidateFunction } from "ajv";
import { compileSchema } from "../schema/compile";
import { GitHubApiError } from "../errors";

/**
 * What the adapter expects of each GitHub answer it reads: the fields it uses, with their types, and
 * arrays where GitHub documents lists. An answer of another shape is not believed: a files "list"
 * that came back as `{}` was once read as one file with no path, which made a new filing need only
 * two of the four signatures. Other fields GitHub adds are allowed.
 */

const LOGIN = { type: "object", required: ["login"], properties: { login: { type: "string", minLength: 1 } } } as const;
/** GitHub leaves a commit's author or committer null when its e-mail belongs to no account. */
const USER_OR_NULL = { anyOf: [{ type: "null" }, LOGIN] } as const;
const SHA = { type: "string", pattern: "^[0-9a-f]{40}$" } as const;
const list = (item: object) => ({ type: "array", items: item }) as const;

export const ANSWER_SCHEMAS = {
  pull: {
    type: "object",
    required: ["number", "state", "user", "head", "base", "commits", "changed_files"],
    properties: {
      number: { type: "integer", minimum: 1 },
      state: { enum: ["open", "closed"] },
      user: LOGIN,
      head: { type: "object", required: ["sha"], properties: { sha: SHA } },
      base: { type: "object", required: ["sha", "ref"], properties: { sha: SHA, ref: { type: "string", minLength: 1 } } },
      commits: { type: "integer", minimum: 0 },
      changed_files: { type: "integer", minimum: 0 },
    },
  },
  repository: { type: "object", required: ["default_branch"], properties: { default_branch: { type: "string", minLength: 1 } } },
  tagRef: { type: "object", required: ["ref", "object"], properties: { ref: { type: "string" }, object: { type: "object", required: ["sha"], properties: { sha: SHA } } } },
  branchRef: {
    type: "object",
    required: ["ref", "object"],
    properties: { ref: { type: "string" }, object: { type: "object", required: ["type", "sha"], properties: { type: { const: "commit" }, sha: SHA } } },
  },
  files: list({
    type: "object",
    required: ["filename", "status"],
    properties: {
      filename: { type: "string", minLength: 1 },
      status: { enum: ["added", "removed", "modified", "renamed", "copied", "changed", "unchanged"] },
      previous_filename: { type: "string", minLength: 1 },
    },
  }),
  commits: list({ type: "object", required: ["sha", "author", "committer"], properties: { sha: SHA, author: USER_OR_NULL, committer: USER_OR_NULL } }),
  reviews: list({
    type: "object",
    required: ["id", "user", "state"],
    properties: {
      id: { type: "integer" },
      user: USER_OR_NULL,
      state: { enum: ["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"] },
      commit_id: { type: ["string", "null"] },
      submitted_at: { type: "string" },
    },
  }),
  members: list(LOGIN),
  comments: list({ type: "object", required: ["id"], properties: { id: { type: "integer" }, body: { type: ["string", "null"] } } }),
  issues: list({
    type: "object",
    required: ["number", "title"],
    properties: { number: { type: "integer", minimum: 1 }, title: { type: "string" }, body: { type: ["string", "null"] } },
  }),
  issue: { type: "object", required: ["number"], properties: { number: { type: "integer", minimum: 1 } } },
  openPulls: list({
    type: "object",
    required: ["number", "head", "base"],
    properties: { number: { type: "integer", minimum: 1 }, head: { type: "object", required: ["sha"], properties: { sha: SHA } }, base: { type: "object", required: ["ref"], properties: { ref: { type: "string" } } } },
  }),
  commitPulls: list({
    type: "object",
    required: ["number", "merged_at"],
    properties: {
      number: { type: "integer", minimum: 1 },
      merged_at: { type: ["string", "null"] },
      merge_commit_sha: { type: ["string", "null"] },
      state: { type: "string" },
      head: { type: "object", required: ["sha"], properties: { sha: { type: "string" } } },
    },
  }),
  content: {
    type: "object",
    required: ["type"],
    properties: { type: { type: "string" }, content: { type: "string" }, encoding: { type: "string" } },
  },
  directory: list({ type: "object", required: ["name", "type"], properties: { name: { type: "string", minLength: 1 }, type: { type: "string", minLength: 1 } } }),
  status: { type: "object", required: ["state"], properties: { state: { type: "string" } } },
  comment: { type: "object", required: ["id"], properties: { id: { type: "integer" } } },
  protection: {
    type: "object",
    properties: {
      required_status_checks: {
        type: "object",
        properties: {
          contexts: { type: "array", items: { type: "string" } },
          checks: { type: "array", items: { type: "object", required: ["context"], properties: { context: { type: "string" }, app_id: { type: ["integer", "null"] } } } },
          strict: { type: "boolean" },
        },
      },
      enforce_admins: { type: "object", required: ["enabled"], properties: { enabled: { type: "boolean" } } },
      required_pull_request_reviews: {
        type: "object",
        properties: { require_code_owner_reviews: { type: "boolean" }, dismiss_stale_reviews: { type: "boolean" }, require_last_push_approval: { type: "boolean" } },
      },
      allow_force_pushes: { type: "object", required: ["enabled"], properties: { enabled: { type: "boolean" } } },
      allow_deletions: { type: "object", required: ["enabled"], properties: { enabled: { type: "boolean" } } },
    },
  },
  branchRules: list({
    type: "object",
    required: ["type", "ruleset_id"],
    properties: { type: { type: "string", minLength: 1 }, ruleset_id: { type: "integer" }, parameters: { type: "object" } },
  }),
  rulesets: list({ type: "object", required: ["id"], properties: { id: { type: "integer" } } }),
  ruleset: {
    type: "object",
    required: ["id", "enforcement"],
    properties: {
      id: { type: "integer" },
      target: { type: "string" },
      enforcement: { type: "string" },
      bypass_actors: { type: "array", items: { type: "object", required: ["actor_type"], properties: { actor_type: { type: "string" }, actor_id: { type: ["integer", "null"] } } } },
      conditions: {
        anyOf: [
          { type: "null" },
          { type: "object", properties: { ref_name: { type: "object", properties: { include: { type: "array", items: { type: "string" } }, exclude: { type: "array", items: { type: "string" } } } } } },
        ],
      },
      rules: { type: "array", items: { type: "object", required: ["type"], properties: { type: { type: "string" }, parameters: { type: "object" } } } },
    },
  },
  environment: {
    type: "object",
    required: ["name"],
    properties: {
      name: { type: "string" },
      deployment_branch_policy: {
        anyOf: [{ type: "null" }, { type: "object", required: ["protected_branches", "custom_branch_policies"], properties: { protected_branches: { type: "boolean" }, custom_branch_policies: { type: "boolean" } } }],
      },
      protection_rules: { type: "array", items: { type: "object", required: ["type"], properties: { type: { type: "string" }, prevent_self_review: { type: "boolean" } } } },
    },
  },
  branchPolicies: {
    type: "object",
    required: ["branch_policies"],
    properties: { branch_policies: { type: "array", items: { type: "object", required: ["name"], properties: { name: { type: "string" }, type: { enum: ["branch", "tag"] } } } } },
  },
  environments: list({ type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1 } } }),
  secretNames: list({ type: "object", required: ["name"], properties: { name: { type: "string" } } }),
  // The department desk's forge (lib/forge/github.ts), as the signed-in person.
  user: { type: "object", required: ["login"], properties: { login: { type: "string", pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$" }, name: { type: ["string", "null"] } } },
  membership: { type: "object", required: ["state"], properties: { state: { enum: ["active", "pending"] } } },
  // A file's metadata at a commit: a directory (a list) or a symlink where a filing should be is no file.
  existingFile: { type: "object", required: ["type", "sha"], properties: { type: { const: "file" }, sha: SHA } },
  combinedStatus: {
    type: "object",
    required: ["statuses"],
    properties: { statuses: list({ type: "object", required: ["context", "state"], properties: { context: { type: "string", minLength: 1 }, state: { enum: ["success", "failure", "error", "pending"] } } }) },
  },
  checkRuns: {
    type: "object",
    required: ["check_runs"],
    properties: {
      check_runs: list({ type: "object", required: ["name", "status"], properties: { name: { type: "string", minLength: 1 }, status: { type: "string" }, conclusion: { type: ["string", "null"] } } }),
    },
  },
  closedPull: { type: "object", required: ["number", "state"], properties: { number: { type: "integer", minimum: 1 }, state: { enum: ["open", "closed"] } } },
  createdPull: { type: "object", required: ["number", "html_url"], properties: { number: { type: "integer", minimum: 1 }, html_url: { type: "string", pattern: "^https?://" } } },
  pullList: list({
    type: "object",
    required: ["number", "title", "html_url", "user", "state", "head"],
    properties: {
      number: { type: "integer", minimum: 1 },
      title: { type: "string" },
      html_url: { type: "string", pattern: "^https?://" },
      user: USER_OR_NULL,
      state: { enum: ["open", "closed"] },
      merged_at: { type: ["string", "null"] },
      created_at: { type: "string" },
      head: { type: "object", required: ["ref"], properties: { ref: { type: "string", minLength: 1 } } },
    },
  }),
  workflowPermissions: {
    type: "object",
    required: ["default_workflow_permissions", "can_approve_pull_request_reviews"],
    properties: { default_workflow_permissions: { enum: ["read", "write"] }, can_approve_pull_request_reviews: { type: "boolean" } },
  },
} as const;

export type AnswerKind = keyof typeof ANSWER_SCHEMAS;

const compiled = new Map<AnswerKind, ValidateFunction>();

/** A response as octokit hands it over: what the checks read of it. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
  readonly data: unknown;
}

/**
 * Believes an answer only when its status is a success, it says it is JSON, and its body has the
 * documented shape; anything else is a GitHubApiError (exit 2), so no status or comment can claim
 * success on an answer nobody understood.
 */
export function believe<T>(kind: AnswerKind, what: string, answer: Answer): T {
  const type = String(answer.headers["content-type"] ?? "");
  const fail = (zh: string, en: string): never => {
    throw new GitHubApiError(
      answer.status,
      `GitHub 的回答与预期不符（${what}）：${zh}。为安全起见，审批与状态均未更新；请稍后重试，仍失败时请联系信息中心。`,
      `GitHub's answer was not what was expected (${what}): ${en}. To be safe nothing was approved or updated; retry later and ask the information center if it persists.`,
    );
  };
  if (answer.status < 200 || answer.status > 299) fail(`状态码 ${answer.status}`, `status ${answer.status}`);
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) fail(`内容类型为 ${type || "（空）"}，不是 JSON`, `content type ${type || "(none)"}, not JSON`);
  let validate = compiled.get(kind);
  if (!validate) {
    validate = compileSchema(ANSWER_SCHEMAS[kind]);
    compiled.set(kind, validate);
  }
  if (!validate(answer.data)) {
    // Ajv always says why a value failed: its first error, where it points (the root is "").
    const e = validate.errors![0]!;
    const where = e.instancePath || "/";
    fail(`${where} ${e.message}`, `${where} ${e.message}`);
  }
  return answer.data as T;
}
