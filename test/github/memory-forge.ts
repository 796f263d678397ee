/**
 * The forge ports (lib/github/port.ts) over plain data, for in-process tests of the gate's GitHub
 * side (check.ts, reverify.ts) that mutation testing can afford to run per mutant. This is our own
 * port, not octokit: the octokit adapter and GitHub's answers are tested against the GitHub-shaped
 * server (fake-server.ts). It records what the gate wrote: statuses and comments.
 */
import type { Commit, Review } from "../../lib/approvals/evaluate";
import type { ChangedFile, CommitState, GitHubPort, PullRequestInfo, RepositoryPort } from "../../lib/github/port";
import { ALL_FOUR, BASE_SHA, HEAD_SHA, JWC, TEAMS, TREE, type Change } from "./scenarios";

export interface MemoryPull {
  readonly number: number;
  readonly author: string;
  readonly baseRef: string;
  readonly baseSha: string;
  readonly headSha: string;
  readonly files: readonly ChangedFile[];
  readonly commits: readonly Commit[];
  readonly reviews: readonly Review[];
  /** What GitHub counts, when it differs from the lists (its lists stop at 3000 files and 250 commits). */
  readonly changedFileCount?: number;
  readonly commitCount?: number;
}

export interface MemoryRepo {
  readonly main: { readonly name: string; readonly sha: string };
  /** File contents per commit sha. */
  readonly trees: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** What a path is at a ref when it is not a regular file (`symlink`, `submodule`, or `absent` from its folder's listing). */
  readonly entries?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly teams: Readonly<Record<string, readonly string[]>>;
  readonly pulls: readonly MemoryPull[];
  /** Merge (or squash) commit → the merged pull requests it is. */
  readonly mergedAs?: Readonly<Record<string, readonly number[]>>;
  /** Called on the n-th read (from 1) of a pull request: what has changed on it by then (a push, a new base). */
  readonly moves?: (number: number, read: number) => Partial<MemoryPull> | undefined;
  /** Fails every status write (GitHub down at the worst moment). */
  readonly statusFails?: boolean;
  /** Open issues already in the repository. */
  readonly issues?: readonly Issue[];
}

export interface Issue {
  readonly number: number;
  title: string;
  body: string;
  readonly labels: readonly string[];
  /** Nobody unless said: an unknown login would make GitHub refuse the whole issue. */
  readonly assignees?: readonly string[];
  state: "open" | "closed";
  readonly comments: string[];
}

export interface Written {
  readonly statuses: { sha: string; state: CommitState; description: string }[];
  readonly comments: Map<number, string[]>;
  readonly issues: Issue[];
}

const review = (user: string, i: number): Review => ({ id: i + 1, user, state: "APPROVED", commitId: HEAD_SHA, submittedAt: `2026-11-23T09:0${i}:00Z` });

/** Pull request #7 by jwc staff, making `change` on the sample register, signed by the four roles unless said. */
export function memoryPull(change: Change, extra: Partial<MemoryPull> = {}): MemoryPull {
  return {
    number: 7,
    author: JWC.staff,
    baseRef: "main",
    baseSha: BASE_SHA,
    headSha: HEAD_SHA,
    files: change.files.map((f) => ({ path: f.filename, status: f.status, ...(f.previous_filename ? { previousPath: f.previous_filename } : {}) })),
    commits: [{ sha: HEAD_SHA, author: JWC.staff, committer: JWC.staff }],
    reviews: ALL_FOUR().map((r, i) => review(r.user, i)),
    ...extra,
  };
}

/** The sample register on main at BASE_SHA with the head tree `change` leaves. */
export function memoryRepo(change: Change, pulls: readonly MemoryPull[], extra: Partial<MemoryRepo> = {}): MemoryRepo {
  const head: Record<string, string> = { ...TREE };
  for (const [p, text] of Object.entries(change.head)) {
    if (text === null) delete head[p];
    else head[p] = text;
  }
  return { main: { name: "main", sha: BASE_SHA }, trees: { [BASE_SHA]: TREE, [HEAD_SHA]: head }, teams: TEAMS, pulls, ...extra };
}

export function memoryForge(r: MemoryRepo): { repo: RepositoryPort; portFor: (n: number) => Promise<GitHubPort>; written: Written } {
  const written: Written = { statuses: [], comments: new Map(), issues: (r.issues ?? []).map((i) => ({ ...i, comments: [...i.comments] })) };
  const issue = (n: number) => {
    const found = written.issues.find((i) => i.number === n);
    if (!found) throw new Error(`no issue #${n}`);
    return found;
  };
  const reads = new Map<number, number>();
  const pull = (n: number): MemoryPull => {
    const p = r.pulls.find((x) => x.number === n);
    if (!p) throw new Error(`no pull request #${n}`);
    return p;
  };
  const current = (n: number): MemoryPull => {
    const read = (reads.get(n) ?? 0) + 1;
    reads.set(n, read);
    return { ...pull(n), ...r.moves?.(n, read) };
  };
  const bytes = (ref: string, path: string) => {
    const text = r.trees[ref]?.[path];
    return text === undefined ? undefined : new TextEncoder().encode(text);
  };
  const repo: RepositoryPort = {
    defaultBranch: async () => r.main,
    setStatus: async (sha, state, description) => {
      if (r.statusFails) throw new Error("status write failed");
      written.statuses.push({ sha, state, description });
    },
    openIssues: async (label) => written.issues.filter((i) => i.state === "open" && i.labels.includes(label)).map(({ number, title, body }) => ({ number, title, body })),
    createIssue: async ({ title, body, labels, assignees }) => {
      const number = 100 + written.issues.length;
      written.issues.push({ number, title, body, labels, assignees, state: "open", comments: [] });
      return number;
    },
    updateIssue: async (n, { title, body }) => {
      Object.assign(issue(n), { title, body });
    },
    closeIssue: async (n, comment) => {
      issue(n).comments.push(comment);
      issue(n).state = "closed";
    },
    mergedPullsFor: async (sha) => [...(r.mergedAs?.[sha] ?? [])],
    openPullsWithHead: async (sha) => r.pulls.filter((p) => p.headSha === sha).map((p) => p.number),
    pullsMergedAs: async (sha) => [...(r.mergedAs?.[sha] ?? [])],
  };
  const portFor = async (n: number): Promise<GitHubPort> => ({
    pullRequest: async (): Promise<PullRequestInfo> => {
      const p = current(n);
      return {
        number: p.number,
        author: p.author,
        state: "open",
        headSha: p.headSha,
        baseSha: p.baseSha,
        baseRef: p.baseRef,
        commitCount: p.commitCount ?? p.commits.length,
        changedFileCount: p.changedFileCount ?? p.files.length,
      };
    },
    changedFiles: async () => [...pull(n).files],
    commits: async () => [...pull(n).commits],
    reviews: async () => [...pull(n).reviews],
    fileAt: async (ref, path) => bytes(ref, path),
    entryType: async (ref, path) => {
      const kind = r.entries?.[ref]?.[path];
      if (kind === "absent") return undefined;
      return kind ?? (bytes(ref, path) ? "file" : undefined);
    },
    teamMembers: async (team) => [...(r.teams[team.replace(/^@/, "")] ?? [])],
    upsertComment: async (marker, body) => {
      if (!body.includes(marker)) throw new Error("a comment without its marker could never be found again");
      const before = written.comments.get(n) ?? [];
      if (before.at(-1) === body) return false;
      written.comments.set(n, [...before, body]);
      return true;
    },
  });
  return { repo, portFor, written };
}
