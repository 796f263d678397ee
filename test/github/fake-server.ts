/**
 * A small HTTP server on 127.0.0.1 that answers the REST endpoints the approval check uses, for one
 * scripted pull request and any others in the same repository (several may share a head commit), with
 * GitHub's caps (3000 files, 250 commits of a pull request). Bodies start from GitHub's documented examples and every body is checked
 * against the documented response schema (`problems`); a test fails when the fake drifts from GitHub.
 */
import { blobSha } from "../../lib/forge/desk";
import http from "node:http";
import { afterEach, expect } from "vitest";
import type { AddressInfo } from "node:net";
import { example, responseProblems } from "./openapi";

export interface ScenarioReview {
  readonly user: string;
  readonly state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  /** null: GitHub no longer knows the commit (it was garbage-collected after a force push). */
  readonly commit: string | null;
  readonly at: string;
}

/** One pull request of the repository. */
export interface ScenarioPull {
  readonly number: number;
  readonly author: string;
  readonly baseRef: string;
  readonly baseSha: string;
  readonly headSha: string;
  readonly files: readonly { readonly filename: string; readonly status: "added" | "removed" | "modified" | "renamed"; readonly previous_filename?: string }[];
  readonly commits: readonly { readonly sha: string; readonly author?: string; readonly committer?: string }[];
  readonly reviews: readonly ScenarioReview[];
  /** Default open. */
  readonly state?: "open" | "closed";
}

/** The pull request the test is about (`number`), and the repository around it. */
export interface Scenario extends ScenarioPull {
  readonly owner: string;
  readonly repo: string;
  /** File contents per ref (commit sha, or a branch or tag name). */
  readonly trees: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** `org/slug` → member logins. */
  readonly teams: Readonly<Record<string, readonly string[]>>;
  /** Largest page the server hands out, whatever per_page asks (GitHub's own cap is 100). */
  readonly maxPerPage?: number;
  /** Other pull requests of the repository (they may share the head commit). */
  readonly pulls?: readonly ScenarioPull[];
  /** The repository's default branch; "main" unless said. */
  readonly defaultBranch?: string;
  /** Branch name → the commit it points at; the default branch points at `baseSha` unless said. */
  readonly branches?: Readonly<Record<string, string>>;
  /** Tag name → the commit it points at. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Symbolic links per ref: path → the path it points at. */
  readonly links?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** A push during the check: after the first request matching `after`, pull request `number`'s head is `to`. */
  readonly push?: { readonly after: RegExp; readonly number: number; readonly to: string };
  /** Commit sha → numbers of the merged pull requests that brought it in. */
  readonly mergedCommits?: Readonly<Record<string, readonly number[]>>;
  /** Issues already in the repository. */
  readonly issues?: readonly { readonly number: number; readonly title: string; readonly body: string; readonly labels: readonly string[]; readonly state?: "open" | "closed" }[];
  /**
   * Hostile answers: requests whose "METHOD path" matches get this body (and content type) instead of
   * GitHub's, unchecked against the description, as a broken proxy or a changed API would send.
   */
  readonly hostile?: readonly { readonly match: RegExp; readonly body: unknown; readonly contentType?: string }[];
  /**
   * The desk's sign-in (GitHub App user tokens through the OAuth web flow): the App's client, and who
   * signs in at /login/oauth/authorize (FakeGitHub.signInAs changes it).
   */
  readonly oauth?: { readonly clientId: string; readonly clientSecret: string; readonly user: string };
  /** Check runs (the workflows' jobs) per commit sha. */
  readonly checkRuns?: Readonly<Record<string, readonly { readonly name: string; readonly status: "queued" | "in_progress" | "completed"; readonly conclusion: string | null }[]>>;
  /** Repository settings, for `filing doctor`; absent parts answer 404 (not set up). */
  readonly settings?: {
    readonly protection?: {
      readonly checks: readonly { context: string; app_id: number | null }[];
      readonly strict: boolean;
      readonly enforceAdmins: boolean;
      readonly codeOwnerReviews: boolean;
      readonly dismissStale: boolean;
      readonly lastPush: boolean;
      readonly forcePushes: boolean;
      readonly deletions: boolean;
    };
    /** Repository rulesets; branch rulesets apply to the default branch when `include` names it. */
    readonly rulesets?: readonly {
      readonly id: number;
      readonly target: "branch" | "tag";
      readonly include: readonly string[];
      readonly enforcement?: "active" | "evaluate" | "disabled";
      readonly rules: readonly { readonly type: string; readonly parameters?: Record<string, unknown> }[];
      /** Who may bypass it; none unless said. */
      readonly bypass?: readonly { readonly actor_type: string; readonly actor_id: number | null }[];
    }[];
    /** Secret names set for the repository and shared by the organization. */
    readonly secrets?: { readonly repository?: readonly string[]; readonly organization?: readonly string[]; readonly environments?: Readonly<Record<string, readonly string[]>> };
    readonly environments?: Readonly<Record<string, {
      readonly branches: "all" | "protected" | readonly string[];
      /** Tag patterns allowed besides the branches. */
      readonly tags?: readonly string[];
      readonly reviewers: boolean;
      readonly preventSelfReview?: boolean;
    }>>;
    readonly workflow?: { readonly default_workflow_permissions: "read" | "write"; readonly can_approve_pull_request_reviews: boolean };
  };
  /** Answers to inject: the first `times` requests whose "METHOD path" matches get this status. */
  readonly failures?: readonly { readonly match: RegExp; readonly status: number; readonly headers?: Record<string, string>; times?: number }[];
}

export interface FakeGitHub {
  readonly url: string;
  readonly requests: { method: string; path: string }[];
  readonly statuses: { sha: string; state: string; context: string; description: string }[];
  readonly comments: { id: number; user: string; body: string; issue: number }[];
  readonly issues: { number: number; title: string; body: string; labels: string[]; assignees: string[]; state: "open" | "closed" }[];
  /** Responses that did not match GitHub's OpenAPI description. */
  readonly problems: string[];
  /** What the desk created: branches (name → sha), files committed (branch → path → text), pull requests with their author. */
  readonly created: { readonly refs: Record<string, string>; readonly files: Record<string, Record<string, string>>; readonly pulls: { number: number; author: string; title: string; body: string; head: string; base: string }[] };
  /** The person who signs in next through /login/oauth/authorize. */
  signInAs(login: string): void;
  /** Replaces the members of a team (e.g. someone removed between two evaluations). */
  setTeam(team: string, members: string[]): void;
  /** Replaces a pull request's reviews (leaders signing between two evaluations); the scenario's own by default. */
  setReviews(reviews: ScenarioReview[], number?: number): void;
  close(): Promise<void>;
}

type Json = any;

function user(login: string): Json {
  const u = example("pull-request").user;
  const id = [...login].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 100_000_000;
  return { ...u, login, id, node_id: `U_${id}`, url: `https://api.github.com/users/${login}`, html_url: `https://github.com/${login}` };
}

function sha40(s: string): string {
  return /^[0-9a-f]{40}$/.test(s) ? s : Buffer.from(s).toString("hex").padEnd(40, "0").slice(0, 40);
}

const ROUTES: { method: string; template: string }[] = [
  { method: "get", template: "/repos/{owner}/{repo}" },
  { method: "get", template: "/repos/{owner}/{repo}/git/ref/{ref}" },
  { method: "get", template: "/repos/{owner}/{repo}/pulls" },
  { method: "get", template: "/repos/{owner}/{repo}/pulls/{pull_number}" },
  { method: "patch", template: "/repos/{owner}/{repo}/pulls/{pull_number}" },
  { method: "get", template: "/repos/{owner}/{repo}/pulls/{pull_number}/files" },
  { method: "get", template: "/repos/{owner}/{repo}/pulls/{pull_number}/commits" },
  { method: "get", template: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews" },
  { method: "get", template: "/repos/{owner}/{repo}/contents/{path}" },
  { method: "get", template: "/orgs/{org}/teams/{team_slug}/members" },
  { method: "get", template: "/orgs/{org}/teams/{team_slug}/memberships/{username}" },
  { method: "get", template: "/user" },
  { method: "post", template: "/repos/{owner}/{repo}/git/refs" },
  { method: "put", template: "/repos/{owner}/{repo}/contents/{path}" },
  { method: "post", template: "/repos/{owner}/{repo}/pulls" },
  { method: "post", template: "/repos/{owner}/{repo}/statuses/{sha}" },
  { method: "get", template: "/repos/{owner}/{repo}/commits/{ref}/status" },
  { method: "get", template: "/repos/{owner}/{repo}/commits/{ref}/check-runs" },
  { method: "get", template: "/repos/{owner}/{repo}/commits/{ref}/status" },
  { method: "get", template: "/repos/{owner}/{repo}/commits/{ref}/check-runs" },
  { method: "get", template: "/repos/{owner}/{repo}/issues/{issue_number}/comments" },
  { method: "post", template: "/repos/{owner}/{repo}/issues/{issue_number}/comments" },
  { method: "patch", template: "/repos/{owner}/{repo}/issues/comments/{comment_id}" },
  { method: "get", template: "/repos/{owner}/{repo}/issues" },
  { method: "get", template: "/repos/{owner}/{repo}/commits/{commit_sha}/pulls" },
  { method: "post", template: "/repos/{owner}/{repo}/issues" },
  { method: "patch", template: "/repos/{owner}/{repo}/issues/{issue_number}" },
  { method: "get", template: "/repos/{owner}/{repo}/branches/{branch}/protection" },
  { method: "get", template: "/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies" },
  { method: "get", template: "/repos/{owner}/{repo}/environments/{environment_name}" },
  { method: "get", template: "/repos/{owner}/{repo}/actions/permissions/workflow" },
  { method: "get", template: "/repos/{owner}/{repo}/rules/branches/{branch}" },
  { method: "get", template: "/repos/{owner}/{repo}/actions/secrets" },
  { method: "get", template: "/repos/{owner}/{repo}/environments" },
  { method: "get", template: "/repos/{owner}/{repo}/environments/{environment_name}/secrets" },
  { method: "get", template: "/repos/{owner}/{repo}/actions/organization-secrets" },
  { method: "get", template: "/repos/{owner}/{repo}/rulesets" },
  { method: "get", template: "/repos/{owner}/{repo}/rulesets/{ruleset_id}" },
];

function match(method: string, path: string): { template: string; params: Record<string, string> } | undefined {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const names: string[] = [];
    const pattern = r.template.replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return name === "path" || name === "ref" ? "(.+)" : "([^/]+)";
    });
    const m = new RegExp(`^${pattern}$`).exec(path);
    if (m) return { template: r.template, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return undefined;
}

export async function startFakeGitHub(scenario: Scenario): Promise<FakeGitHub> {
  const requests: FakeGitHub["requests"] = [];
  const statuses: FakeGitHub["statuses"] = [];
  const comments: FakeGitHub["comments"] = [];
  const issues: FakeGitHub["issues"] = (scenario.issues ?? []).map((i) => ({ ...i, labels: [...i.labels], assignees: [], state: i.state ?? "open" }));
  const problems: string[] = [];
  const teams = new Map(Object.entries(scenario.teams).map(([k, v]) => [k.toLowerCase(), [...v]]));
  const failures = (scenario.failures ?? []).map((f) => ({ ...f, left: f.times ?? Infinity }));
  let nextCommentId = 9000;
  const { owner, repo } = scenario;
  const repoUrl = `https://api.github.com/repos/${owner}/${repo}`;
  const defaultBranch = scenario.defaultBranch ?? "main";
  const branches: Record<string, string> = { [defaultBranch]: scenario.baseSha, ...scenario.branches };
  // Every pull request, mutable: reviews arrive and heads move between requests.
  const pulls = new Map<number, { -readonly [K in keyof ScenarioPull]: ScenarioPull[K] }>();
  for (const p of [scenario, ...(scenario.pulls ?? [])]) {
    const { number, author, baseRef, baseSha, headSha, files, commits, reviews, state } = p;
    pulls.set(number, { number, author, baseRef, baseSha, headSha, files, commits, reviews: [...reviews], state: state ?? "open" });
  }
  let pushed = false;
  const created: FakeGitHub["created"] = { refs: {}, files: {}, pulls: [] };
  let signingIn = scenario.oauth?.user;
  /** Each user token the fake handed out → its person. */
  const tokens = new Map<string, string>();
  let caller: string | undefined;
  const rulesets = scenario.settings?.rulesets ?? [];
  const notFound = { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };

  /** Titles given or changed through the API, and the branches of pull requests opened through it; the others read as the example's. */
  const titles = new Map<number, string>();
  const headRefs = new Map<number, string>();
  const pullRequest = (p: ScenarioPull): Json => {
    const pr = example("pull-request");
    const base = { ...pr.base, ref: p.baseRef, sha: sha40(p.baseSha), label: `${owner}:${p.baseRef}` };
    const head = { ...pr.head, ref: `filing-branch-${p.number}`, sha: sha40(p.headSha), label: `${p.author}:filing-branch-${p.number}` };
    return {
      ...pr, number: p.number, title: titles.get(p.number) ?? pr.title, state: p.state, merged: false, merged_at: null, user: user(p.author), base, head,
      commits: p.commits.length, changed_files: p.files.length, requested_teams: [], requested_reviewers: [], assignees: [], assignee: null,
    };
  };

  const issueBody = (i: FakeGitHub["issues"][number]): Json => {
    const base = example("issue");
    const label = base.labels[0];
    return {
      ...base,
      number: i.number,
      id: 5000 + i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      closed_at: i.state === "closed" ? "2026-11-23T10:00:00Z" : null,
      labels: i.labels.map((name, k) => ({ ...label, id: 700 + k, name })),
      assignees: i.assignees.map(user),
      assignee: i.assignees[0] ? user(i.assignees[0]) : null,
      pull_request: undefined,
    };
  };

  const handlers: Record<string, (p: Record<string, string>, q: URLSearchParams, body: Json) => { status: number; body: Json; list?: boolean }> = {
    "get /user": () => {
      if (!caller) return { status: 401, body: { message: "Requires authentication", documentation_url: "https://docs.github.com/rest" } };
      const u = example("private-user");
      return { status: 200, body: { ...u, ...user(caller), name: null, email: null } };
    },
    "get /orgs/{org}/teams/{team_slug}/memberships/{username}": (p) => {
      const members = teams.get(`${p.org}/${p.team_slug}`.toLowerCase());
      if (!members || !members.some((m) => m.toLowerCase() === p.username!.toLowerCase())) return notFound;
      const m = example("team-membership-response-if-user-is-a-team-maintainer");
      return { status: 200, body: { ...m, role: "member", state: "active" } };
    },
    "post /repos/{owner}/{repo}/git/refs": (_p, _q, body) => {
      const name = String(body.ref).replace(/^refs\/heads\//, "");
      if (branches[name] !== undefined || created.refs[name] !== undefined) return { status: 422, body: { message: "Reference already exists", documentation_url: "https://docs.github.com/rest" } };
      created.refs[name] = body.sha;
      const ref = example("git-ref");
      return { status: 201, body: { ...ref, ref: body.ref, object: { ...ref.object, type: "commit", sha: sha40(body.sha) } } };
    },
    "put /repos/{owner}/{repo}/contents/{path}": (p, _q, body) => {
      if (created.refs[body.branch] === undefined) return notFound;
      // Replacing a file names the blob it replaces, as GitHub requires: none (422) or another (409) is refused.
      const held = (created.files[body.branch] ?? {})[p.path!] ?? scenario.trees[created.refs[body.branch]!]?.[p.path!];
      if (held !== undefined && body.sha === undefined) return { status: 422, body: { message: "Invalid request.\n\n\"sha\" wasn't supplied.", documentation_url: "https://docs.github.com/rest/repos/contents#create-or-update-file-contents" } };
      if (held !== undefined && body.sha !== blobSha(held)) return { status: 409, body: { message: `${p.path} does not match ${String(body.sha)}`, documentation_url: "https://docs.github.com/rest/repos/contents#create-or-update-file-contents" } };
      (created.files[body.branch] ??= {})[p.path!] = Buffer.from(String(body.content), "base64").toString("utf8");
      return { status: 201, body: example("file-commit") };
    },
    "post /repos/{owner}/{repo}/pulls": (_p, _q, body) => {
      if (!caller || created.refs[body.head] === undefined) return { status: 422, body: { message: "Validation Failed", documentation_url: "https://docs.github.com/rest" } };
      const number = Math.max(0, ...pulls.keys()) + 1;
      pulls.set(number, { number, author: caller, baseRef: body.base, baseSha: branches[body.base] ?? scenario.baseSha, headSha: `head-${number}`, files: [], commits: [], reviews: [], state: "open" });
      created.pulls.push({ number, author: caller, title: body.title, body: body.body, head: body.head, base: body.base });
      titles.set(number, body.title);
      headRefs.set(number, body.head);
      return { status: 201, body: { ...pullRequest(pulls.get(number)!), body: body.body, html_url: `https://github.com/${owner}/${repo}/pull/${number}` } };
    },
    "get /repos/{owner}/{repo}": () => ({ status: 200, body: { ...example("full-repository"), has_discussions: false, default_branch: defaultBranch } }),
    "get /repos/{owner}/{repo}/git/ref/{ref}": (p) => {
      const [, kind, name] = /^(heads|tags)\/(.+)$/.exec(p.ref!) ?? [];
      const sha = kind === "heads" ? branches[name!] : kind === "tags" ? scenario.tags?.[name!] : undefined;
      if (sha === undefined) return notFound;
      const ref = example("git-ref");
      return { status: 200, body: { ...ref, ref: `refs/${p.ref}`, object: { ...ref.object, type: "commit", sha: sha40(sha) } } };
    },
    "get /repos/{owner}/{repo}/pulls": (_p, q) => {
      const base = example("pull-request-simple-items")[0];
      const state = q.get("state") ?? "open";
      return {
        status: 200,
        list: true,
        body: [...pulls.values()].filter((pr) => state === "all" || pr.state === state).map((pr) => ({
          ...base, number: pr.number, state: pr.state, merged_at: null, requested_teams: [], user: user(pr.author),
          title: titles.get(pr.number) ?? base.title, html_url: `https://github.com/${owner}/${repo}/pull/${pr.number}`,
          head: { ...base.head, ref: headRefs.get(pr.number) ?? base.head.ref, sha: sha40(pr.headSha) }, base: { ...base.base, ref: pr.baseRef, sha: sha40(pr.baseSha) },
        })),
      };
    },
    "get /repos/{owner}/{repo}/pulls/{pull_number}": (p) => {
      const pr = pulls.get(Number(p.pull_number));
      return pr ? { status: 200, body: pullRequest(pr) } : notFound;
    },
    "patch /repos/{owner}/{repo}/pulls/{pull_number}": (p, _q, body) => {
      const pr = pulls.get(Number(p.pull_number));
      if (!pr) return notFound;
      // Only its author (or a maintainer) may close it; the desk only ever asks as the author.
      if (caller !== pr.author) return { status: 403, body: { message: "Must have admin rights to Repository.", documentation_url: "https://docs.github.com/rest" } };
      if (body.state === "closed") pr.state = "closed";
      if (typeof body.title === "string") titles.set(pr.number, body.title);
      return { status: 200, body: pullRequest(pr) };
    },
    "get /repos/{owner}/{repo}/pulls/{pull_number}/files": (p) => {
      const pr = pulls.get(Number(p.pull_number));
      if (!pr) return notFound;
      const base = example("diff-entry-items")[0];
      return {
        status: 200,
        list: true,
        // GitHub lists at most 3000 files of a pull request, whatever the pages ask for.
        body: pr.files.slice(0, 3000).map((f) => {
          const { previous_filename: _drop, ...rest } = base;
          return { ...rest, filename: f.filename, status: f.status, ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}), sha: sha40(f.filename) };
        }),
      };
    },
    "get /repos/{owner}/{repo}/pulls/{pull_number}/commits": (p) => {
      const pr = pulls.get(Number(p.pull_number));
      if (!pr) return notFound;
      const base = example("commit-items")[0];
      return {
        status: 200,
        list: true,
        // GitHub lists at most 250 commits of a pull request, whatever the pages ask for.
        body: pr.commits.slice(0, 250).map((c) => ({
          ...base,
          sha: sha40(c.sha),
          author: c.author ? user(c.author) : null,
          committer: c.committer ? user(c.committer) : null,
        })),
      };
    },
    "get /repos/{owner}/{repo}/pulls/{pull_number}/reviews": (p) => {
      const pr = pulls.get(Number(p.pull_number));
      if (!pr) return notFound;
      const base = example("pull-request-review-items")[0];
      return {
        status: 200,
        list: true,
        body: pr.reviews.map((r, i) => ({ ...base, id: pr.number * 1000 + 80 + i, node_id: `PRR_${pr.number}_${80 + i}`, user: user(r.user), state: r.state, commit_id: r.commit === null ? null : sha40(r.commit), submitted_at: r.at })),
      };
    },
    "get /repos/{owner}/{repo}/contents/{path}": (p, q) => {
      const ref = q.get("ref") ?? defaultBranch;
      // A branch the desk made holds the files it wrote there.
      const tree = scenario.trees[ref] ?? created.files[ref] ?? {};
      const links = scenario.links?.[ref] ?? {};
      const prefix = `${p.path}/`;
      const inside = [...Object.keys(tree), ...Object.keys(links)].filter((f) => f.startsWith(prefix));
      if (tree[p.path!] === undefined && links[p.path!] === undefined && inside.length > 0) {
        // A folder: its entries, each with its type (a link shows as a symlink only here).
        const base = example("content-file-response-if-content-is-a-directory")[0];
        const names = [...new Set(inside.map((f) => f.slice(prefix.length).split("/")[0]!))].sort();
        return {
          status: 200,
          body: names.map((name) => {
            const full = `${prefix}${name}`;
            const type = links[full] !== undefined ? "symlink" : tree[full] !== undefined ? "file" : "dir";
            return { ...base, type, name, path: full, size: 0, sha: sha40(`${ref}:${full}`) };
          }),
        };
      }
      // GitHub serves a link to a file as the file it points at.
      const text = tree[links[p.path!] ?? p.path!];
      if (text === undefined) return { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/contents#get-repository-content", status: "404" } };
      const file = example("content-file-response-if-content-is-a-file");
      const bytes = Buffer.from(text, "utf8");
      return {
        status: 200,
        // A file's sha is its git blob id, as on GitHub: what an update must name.
        body: { ...file, name: p.path!.split("/").pop(), path: p.path, size: bytes.length, sha: blobSha(text), content: bytes.toString("base64"), encoding: "base64" },
      };
    },
    "get /orgs/{org}/teams/{team_slug}/members": (p) => {
      const members = teams.get(`${p.org}/${p.team_slug}`.toLowerCase());
      if (!members) return { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest/teams/members" } };
      return { status: 200, list: true, body: members.map(user) };
    },
    "get /repos/{owner}/{repo}/commits/{ref}/status": (p) => {
      const combined = example("combined-commit-status");
      const base = combined.statuses[0];
      // The latest status per context, as GitHub combines them.
      const latest = new Map<string, (typeof statuses)[number]>();
      for (const s of statuses.filter((x) => x.sha === p.ref)) latest.set(s.context, s);
      const list = [...latest.values()].map((s, i) => ({ ...base, id: i + 1, state: s.state, context: s.context, description: s.description ?? null }));
      const state = list.some((s) => s.state === "failure" || s.state === "error") ? "failure" : list.length && list.every((s) => s.state === "success") ? "success" : "pending";
      return { status: 200, body: { ...combined, sha: p.ref, state, statuses: list, total_count: list.length } };
    },
    "get /repos/{owner}/{repo}/commits/{ref}/check-runs": (p) => {
      const page = example("check-run-paginated");
      const base = page.check_runs[0];
      const runs = (scenario.checkRuns?.[p.ref!] ?? []).map((r, i) => ({ ...base, id: i + 1, head_sha: p.ref, name: r.name, status: r.status, conclusion: r.conclusion, completed_at: r.status === "completed" ? base.completed_at : null }));
      return { status: 200, body: { total_count: runs.length, check_runs: runs } };
    },
    "post /repos/{owner}/{repo}/statuses/{sha}": (p, _q, body) => {
      statuses.push({ sha: p.sha!, state: body.state, context: body.context, description: body.description });
      return { status: 201, body: { ...example("status"), state: body.state, context: body.context, description: body.description, target_url: body.target_url ?? null } };
    },
    "get /repos/{owner}/{repo}/issues/{issue_number}/comments": (p) => {
      const base = example("issue-comment-items")[0];
      const mine = comments.filter((c) => c.issue === Number(p.issue_number));
      return { status: 200, list: true, body: mine.map((c) => ({ ...base, id: c.id, user: user(c.user), body: c.body, issue_url: `${repoUrl}/issues/${c.issue}` })) };
    },
    "post /repos/{owner}/{repo}/issues/{issue_number}/comments": (p, _q, body) => {
      const c = { id: nextCommentId++, user: "filings-bot", body: body.body, issue: Number(p.issue_number) };
      comments.push(c);
      return { status: 201, body: { ...example("issue-comment"), id: c.id, body: c.body, user: user(c.user) } };
    },
    "get /repos/{owner}/{repo}/commits/{commit_sha}/pulls": (p) => {
      const base = example("pull-request-simple-items")[0];
      const merged = (scenario.mergedCommits ?? {})[p.commit_sha!] ?? [];
      const open = [...pulls.values()].filter((pr) => pr.state === "open" && sha40(pr.headSha) === p.commit_sha);
      return {
        status: 200,
        list: true,
        body: [
          ...merged.map((n) => ({ ...base, number: n, state: "closed", merged_at: "2026-11-23T02:00:00Z", merge_commit_sha: p.commit_sha, requested_teams: [] })),
          ...open.map((pr) => ({
            ...base, number: pr.number, state: "open", merged_at: null, requested_teams: [],
            head: { ...base.head, sha: p.commit_sha }, base: { ...base.base, ref: pr.baseRef, sha: sha40(pr.baseSha) },
          })),
        ],
      };
    },
    "get /repos/{owner}/{repo}/issues": (_p, q) => {
      const labels = (q.get("labels") ?? "").split(",").filter(Boolean);
      const state = q.get("state") ?? "open";
      const found = issues.filter((i) => (state === "all" || i.state === state) && labels.every((l) => i.labels.includes(l)));
      return { status: 200, list: true, body: found.map(issueBody) };
    },
    "post /repos/{owner}/{repo}/issues": (_p, _q, body) => {
      const i = { number: 100 + issues.length, title: body.title, body: body.body ?? "", labels: [...(body.labels ?? [])], assignees: [...(body.assignees ?? [])], state: "open" as const };
      issues.push(i);
      return { status: 201, body: issueBody(i) };
    },
    "patch /repos/{owner}/{repo}/issues/{issue_number}": (p, _q, body) => {
      const i = issues.find((x) => x.number === Number(p.issue_number));
      if (!i) return { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
      if (body.title !== undefined) i.title = body.title;
      if (body.body !== undefined) i.body = body.body;
      if (body.state !== undefined) i.state = body.state;
      return { status: 200, body: issueBody(i) };
    },
    "get /repos/{owner}/{repo}/branches/{branch}/protection": () => {
      const p = scenario.settings?.protection;
      if (!p) return { status: 404, body: { message: "Branch not protected", documentation_url: "https://docs.github.com/rest/branches/branch-protection" } };
      // GitHub's own example does not match its schema in these two optional parts; they are left out.
      const { restrictions: _r, ...base } = example("branch-protection");
      const { dismissal_restrictions: _d, ...reviews } = base.required_pull_request_reviews;
      return {
        status: 200,
        body: {
          ...base,
          required_status_checks: { ...base.required_status_checks, contexts: p.checks.map((c) => c.context), checks: p.checks.map((c) => ({ context: c.context, app_id: c.app_id })), strict: p.strict },
          enforce_admins: { ...base.enforce_admins, enabled: p.enforceAdmins },
          required_pull_request_reviews: { ...reviews, require_code_owner_reviews: p.codeOwnerReviews, dismiss_stale_reviews: p.dismissStale, require_last_push_approval: p.lastPush },
          allow_force_pushes: { enabled: p.forcePushes },
          allow_deletions: { enabled: p.deletions },
        },
      };
    },
    "get /repos/{owner}/{repo}/rules/branches/{branch}": (p) => {
      const names = [`refs/heads/${p.branch}`, "~ALL", ...(p.branch === defaultBranch ? ["~DEFAULT_BRANCH"] : [])];
      const applying = rulesets.filter((r) => r.target === "branch" && (r.enforcement ?? "active") === "active" && r.include.some((i) => names.includes(i)));
      return {
        status: 200,
        list: true,
        body: applying.flatMap((r) => r.rules.map((rule) => ({ ...rule, ruleset_source_type: "Repository", ruleset_source: `${owner}/${repo}`, ruleset_id: r.id }))),
      };
    },
    "get /repos/{owner}/{repo}/rulesets": (_p, q) => {
      const base = example("repository-ruleset-items")[0];
      const target = q.get("targets");
      return { status: 200, list: true, body: rulesets.filter((r) => !target || r.target === target).map((r) => ({ ...base, id: r.id, target: r.target, enforcement: r.enforcement ?? "active" })) };
    },
    "get /repos/{owner}/{repo}/rulesets/{ruleset_id}": (p) => {
      const r = rulesets.find((x) => x.id === Number(p.ruleset_id));
      if (!r) return notFound;
      return {
        status: 200,
        body: {
          ...example("repository-ruleset"),
          id: r.id,
          target: r.target,
          enforcement: r.enforcement ?? "active",
          bypass_actors: (r.bypass ?? []).map((b) => ({ ...b, bypass_mode: "always" })),
          conditions: { ref_name: { include: [...r.include], exclude: [] } },
          rules: r.rules,
        },
      };
    },
    "get /repos/{owner}/{repo}/environments/{environment_name}": (p) => {
      const env = scenario.settings?.environments?.[p.environment_name!];
      if (!env) return { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest/deployments/environments" } };
      const base = example("environment");
      const policy = env.branches === "all" ? null : { protected_branches: env.branches === "protected", custom_branch_policies: Array.isArray(env.branches) };
      return {
        status: 200,
        body: {
          ...base,
          name: p.environment_name,
          deployment_branch_policy: policy,
          protection_rules: base.protection_rules
            .filter((r: Json) => env.reviewers || r.type !== "required_reviewers")
            .map((r: Json) => (r.type === "required_reviewers" ? { ...r, prevent_self_review: env.preventSelfReview ?? false } : r)),
        },
      };
    },
    "get /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies": (p) => {
      const env = scenario.settings?.environments?.[p.environment_name!];
      const names = [...(env && Array.isArray(env.branches) ? env.branches : []).map((name: string) => ({ name, type: "branch" })), ...(env?.tags ?? []).map((name) => ({ name, type: "tag" }))];
      const base = example("deployment-branch-policies-list");
      return { status: 200, body: { total_count: names.length, branch_policies: names.map((n, i) => ({ ...base.branch_policies[0], id: 361471 + i, ...n })) } };
    },
    "get /repos/{owner}/{repo}/environments": () => {
      const base = example("environment");
      const names = Object.keys(scenario.settings?.environments ?? {});
      return { status: 200, body: { total_count: names.length, environments: names.map((name, i) => ({ ...base, id: 161088068 + i, name })) } };
    },
    "get /repos/{owner}/{repo}/environments/{environment_name}/secrets": (p) => {
      const base = example("actions-secret-paginated").secrets[0];
      const names = scenario.settings?.secrets?.environments?.[p.environment_name!] ?? [];
      return { status: 200, body: { total_count: names.length, secrets: names.map((name) => ({ ...base, name })) } };
    },
    "get /repos/{owner}/{repo}/actions/secrets": () => {
      const base = example("actions-secret-paginated").secrets[0];
      const names = scenario.settings?.secrets?.repository ?? [];
      return { status: 200, body: { total_count: names.length, secrets: names.map((name) => ({ ...base, name })) } };
    },
    "get /repos/{owner}/{repo}/actions/organization-secrets": () => {
      const base = example("actions-secret-paginated").secrets[0];
      const names = scenario.settings?.secrets?.organization ?? [];
      return { status: 200, body: { total_count: names.length, secrets: names.map((name) => ({ ...base, name })) } };
    },
    "get /repos/{owner}/{repo}/actions/permissions/workflow": () => ({
      status: 200,
      body: scenario.settings?.workflow ?? { default_workflow_permissions: "write", can_approve_pull_request_reviews: true },
    }),
    "patch /repos/{owner}/{repo}/issues/comments/{comment_id}": (p, _q, body) => {
      const c = comments.find((x) => x.id === Number(p.comment_id));
      if (!c) return { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
      c.body = body.body;
      return { status: 200, body: { ...example("issue-comment"), id: c.id, body: c.body, user: user(c.user) } };
    },
  };

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const method = (req.method ?? "GET").toLowerCase();
      requests.push({ method: method.toUpperCase(), path: url.pathname + url.search });
      const send = (status: number, body: Json, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
        res.end(JSON.stringify(body));
      };
      const auth = /^(?:token|bearer) (.+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
      caller = auth ? tokens.get(auth) : undefined;
      // The web flow's two pages, on the web host (not the REST API, so not in its description).
      if (url.pathname === "/login/oauth/authorize" && method === "get" && scenario.oauth) {
        const ok = url.searchParams.get("client_id") === scenario.oauth.clientId && signingIn;
        const back = new URL(url.searchParams.get("redirect_uri") ?? "");
        if (ok) back.searchParams.set("code", `code-${signingIn}`);
        else back.searchParams.set("error", "access_denied");
        back.searchParams.set("state", url.searchParams.get("state") ?? "");
        res.writeHead(302, { location: back.toString() });
        res.end();
        return;
      }
      if (url.pathname === "/login/oauth/access_token" && method === "post" && scenario.oauth) {
        const asked = raw ? JSON.parse(raw) : {};
        const who = /^code-(.+)$/.exec(String(asked.code ?? ""))?.[1];
        if (asked.client_id !== scenario.oauth.clientId || asked.client_secret !== scenario.oauth.clientSecret || !who) {
          send(200, { error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
          return;
        }
        const token = `ghu_${Buffer.from(who).toString("hex")}${"0".repeat(20)}`;
        tokens.set(token, who);
        send(200, { access_token: token, token_type: "bearer", scope: "" });
        return;
      }
      const route = match(method, url.pathname);
      if (!route) {
        problems.push(`${method.toUpperCase()} ${url.pathname}: not an endpoint this fake serves`);
        send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
        return;
      }
      const evil = scenario.hostile?.find((h) => h.match.test(`${method.toUpperCase()} ${url.pathname}`));
      if (evil) {
        res.writeHead(200, { "content-type": evil.contentType ?? "application/json; charset=utf-8" });
        res.end(typeof evil.body === "string" ? evil.body : JSON.stringify(evil.body));
        return;
      }
      const injected = failures.find((f) => f.left > 0 && f.match.test(`${method.toUpperCase()} ${url.pathname}`));
      if (injected) {
        injected.left--;
        const body = { message: injected.status === 403 ? "API rate limit exceeded" : "Server Error", documentation_url: "https://docs.github.com/rest" };
        problems.push(...responseProblems(method, route.template, injected.status, body));
        send(injected.status, body, injected.headers);
        return;
      }
      const out = handlers[`${method} ${route.template}`]!(route.params, url.searchParams, raw ? JSON.parse(raw) : undefined);
      if (scenario.push && !pushed && scenario.push.after.test(`${method.toUpperCase()} ${url.pathname}`)) {
        pushed = true;
        pulls.get(scenario.push.number)!.headSha = scenario.push.to;
      }
      let body = out.body;
      const headers: Record<string, string> = {};
      if (out.list && Array.isArray(body)) {
        const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), scenario.maxPerPage ?? 100);
        const page = Number(url.searchParams.get("page") ?? 1);
        const last = Math.max(1, Math.ceil(body.length / perPage));
        body = body.slice((page - 1) * perPage, page * perPage);
        if (page < last) {
          const next = new URL(url.toString());
          next.searchParams.set("page", String(page + 1));
          const lastUrl = new URL(url.toString());
          lastUrl.searchParams.set("page", String(last));
          const origin = `http://${req.headers.host}`;
          headers.link = `<${origin}${next.pathname}${next.search}>; rel="next", <${origin}${lastUrl.pathname}${lastUrl.search}>; rel="last"`;
        }
      }
      problems.push(...responseProblems(method, route.template, out.status, body));
      send(out.status, body, headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    statuses,
    comments,
    issues,
    problems,
    created,
    signInAs: (login) => {
      signingIn = login;
    },
    setTeam: (team, members) => teams.set(team.toLowerCase(), [...members]),
    setReviews: (next, number = scenario.number) => {
      pulls.get(number)!.reviews = [...next];
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A repository whose pull requests do not matter to the test (reminders, drift issues). */
export const REPOSITORY_ONLY: Scenario = {
  owner: "campus", repo: "filings", number: 1, author: "x", baseRef: "main", baseSha: "b", headSha: "c",
  trees: {}, files: [], commits: [], reviews: [], teams: {},
};

/**
 * For a test file: `start` a fake GitHub per test; after each test every server started is checked
 * for bodies GitHub's description does not allow, then closed.
 */
export function useFakeGitHub(): { start(scenario: Scenario): Promise<FakeGitHub> } {
  const started: FakeGitHub[] = [];
  afterEach(async () => {
    for (const s of started.splice(0)) {
      expect(s.problems, "the fake served bodies GitHub's OpenAPI description does not allow").toEqual([]);
      await s.close();
    }
  });
  return {
    async start(scenario) {
      const s = await startFakeGitHub(scenario);
      started.push(s);
      return s;
    },
  };
}
