import type { Commit, Review } from "../approvals/evaluate";

/** What the approval check needs from GitHub; octokit.ts beside it implements it with octokit. */
export interface PullRequestInfo {
  readonly number: number;
  readonly author: string;
  readonly state: "open" | "closed";
  readonly headSha: string;
  readonly baseSha: string;
  /** The base branch: only pull requests into the default branch are judged. */
  readonly baseRef: string;
  /** How many commits GitHub counts on the PR; its commit list stops at 250. */
  readonly commitCount: number;
  /** How many files GitHub counts as changed; its file list stops at 3000. */
  readonly changedFileCount: number;
}

export interface ChangedFile {
  readonly path: string;
  readonly status: string;
  /** For a rename: the path it had before. */
  readonly previousPath?: string;
}

/** One pull request. */
export interface GitHubPort {
  pullRequest(): Promise<PullRequestInfo>;
  changedFiles(): Promise<ChangedFile[]>;
  commits(): Promise<Commit[]>;
  reviews(): Promise<Review[]>;
  /** File bytes at a ref (a commit sha), or undefined when the file does not exist there. */
  fileAt(ref: string, path: string): Promise<Uint8Array | undefined>;
  /**
   * What `path` is at a ref, as its folder's listing says: `file`, `dir`, `symlink`, `submodule`, or
   * undefined when absent. fileAt follows a symbolic link to its target, so only this tells them apart.
   */
  entryType(ref: string, path: string): Promise<string | undefined>;
  /** Member logins of `@org/team`. */
  teamMembers(team: string): Promise<string[]>;
  /**
   * Creates the comment holding `marker`, or edits the one that already does; true when it was
   * written (new, or its text changed), false when it already read `body` and was left alone.
   */
  upsertComment(marker: string, body: string): Promise<boolean>;
}

export type CommitState = "success" | "failure" | "error" | "pending";

/** The repository: its default branch, commit statuses, the pull requests of a commit, issues. */
export interface RepositoryPort {
  /** The default branch and the commit it points at now (read as a branch, never as a tag of that name). */
  defaultBranch(): Promise<{ readonly name: string; readonly sha: string }>;
  /** Sets the `filings/approval` status of a commit. */
  setStatus(sha: string, state: CommitState, description: string): Promise<void>;
  /** Open issues carrying `label`, with their bodies. */
  openIssues(label: string): Promise<{ number: number; title: string; body: string }[]>;
  createIssue(issue: { title: string; body: string; labels: string[]; assignees: string[] }): Promise<number>;
  updateIssue(number: number, issue: { title: string; body: string }): Promise<void>;
  /** Comments why, then closes. */
  closeIssue(number: number, comment: string): Promise<void>;
  /** Numbers of the merged pull requests that brought `sha` in. */
  mergedPullsFor(sha: string): Promise<number[]>;
  /** Numbers of the open pull requests whose head commit is exactly `sha`, whatever their base. */
  openPullsWithHead(sha: string): Promise<number[]>;
  /** Numbers of the merged pull requests whose merge (or squash) commit is exactly `sha`. */
  pullsMergedAs(sha: string): Promise<number[]>;
}
