import type { Commit, Review } from "../approvals/evaluate";

/** What the approval check needs from GitHub; octokit.ts beside it implements it with octokit. */
export interface PullRequestInfo {
  readonly number: number;
  readonly author: string;
  readonly headSha: string;
  readonly baseSha: string;
  /** The base branch: the rules are read from its current head. */
  readonly baseRef: string;
  /** How many commits GitHub counts on the PR; its commit list stops at 250. */
  readonly commitCount: number;
}

export interface ChangedFile {
  readonly path: string;
  readonly status: string;
  /** For a rename: the path it had before. */
  readonly previousPath?: string;
}

export interface GitHubPort {
  pullRequest(): Promise<PullRequestInfo>;
  changedFiles(): Promise<ChangedFile[]>;
  commits(): Promise<Commit[]>;
  reviews(): Promise<Review[]>;
  /** File bytes at a ref, or undefined when the file does not exist there. */
  fileAt(ref: string, path: string): Promise<Uint8Array | undefined>;
  /** Member logins of `@org/team`. */
  teamMembers(team: string): Promise<string[]>;
  setStatus(sha: string, state: "success" | "failure" | "error" | "pending", description: string): Promise<void>;
  /** Creates the comment holding `marker`, or edits the one that already does. */
  upsertComment(marker: string, body: string): Promise<void>;
}

/** Repository issues, for the reminders (and later the drift report). */
export interface IssuesPort {
  /** Open issues carrying `label`, with their bodies. */
  openIssues(label: string): Promise<{ number: number; title: string; body: string }[]>;
  createIssue(issue: { title: string; body: string; labels: string[]; assignees: string[] }): Promise<number>;
  updateIssue(number: number, issue: { title: string; body: string }): Promise<void>;
  /** Comments why, then closes. */
  closeIssue(number: number, comment: string): Promise<void>;
  /** Numbers of the merged pull requests that brought `sha` in. */
  mergedPullsFor(sha: string): Promise<number[]>;
  /** Numbers of the open pull requests whose head commit is exactly `sha` (a review event names only that). */
  openPullsWithHead(sha: string): Promise<number[]>;
  /** Numbers of the merged pull requests whose merge (or squash) commit is exactly `sha`. */
  pullsMergedAs(sha: string): Promise<number[]>;
}

