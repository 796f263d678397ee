import crypto from "node:crypto";
import type { Evaluation } from "../approvals/evaluate";
import type { IsoDate } from "../filings/dates";
import { UsageError } from "../errors";
import { msg } from "../messages";

/**
 * What the department desk (web/) needs from a forge, whichever it is: signing a person in, who
 * they are, whether they belong to a team, and opening a pull request in their name. The GitHub
 * adapter speaks the OAuth web flow and the REST API; the local adapter (lib/forge/local.ts) lets a
 * fresh clone try the desk with no forge at all. A token never leaves the server.
 */

export interface ForgeAccount {
  /** The forge login, without its @. */
  readonly login: string;
  readonly name?: string;
}

export interface ProposedFile {
  readonly path: string;
  readonly content: string;
  /**
   * The git blob id of the version this content replaces; absent for a new file. The forge refuses
   * the proposal when the default branch holds anything else (someone changed it meanwhile), or
   * holds the file at all when it is new.
   */
  readonly basedOn?: string;
}

export interface PullProposal {
  /** Derived from validated ids only (lib/desk/pull.ts). */
  readonly branch: string;
  readonly title: string;
  readonly body: string;
  readonly message: string;
  readonly files: readonly ProposedFile[];
}

export interface OpenedPull {
  readonly number: number;
  readonly url: string;
  readonly branch: string;
}

export interface PullSummary {
  readonly number: number;
  readonly title: string;
  readonly url: string;
  readonly author: string;
  /** `withdrawn`: closed by its author through the desk (its title carries WITHDRAWN); `closed`: closed otherwise, unmerged. */
  readonly state: "open" | "closed" | "withdrawn" | "merged";
  readonly branch: string;
  readonly createdAt: string;
}

/**
 * What a request withdrawn through the desk carries at the start of its title: the forge keeps no
 * reason for a close, and a department (and a leader reading the forge's list) should tell a
 * withdrawal from a refusal.
 */
export const WITHDRAWN = "【已撤回】";

/** `title` marked withdrawn (once). */
export function withdrawnTitle(title: string): string {
  return title.startsWith(WITHDRAWN) ? title : `${WITHDRAWN}${title}`;
}

/** The state a closed, unmerged request is shown in, from its title. */
export function closedState(title: string): "withdrawn" | "closed" {
  return title.startsWith(WITHDRAWN) ? "withdrawn" : "closed";
}

/** Git's id of a file's content (its blob): what the forge is asked to still hold before a change replaces it. */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return crypto.createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** The default branch no longer holds the version a proposal was made from: nothing was written. */
export class StaleFileError extends UsageError {
  constructor(readonly path: string) {
    super(msg(
      `${path} 在您填写期间已被修改（或已由别人提交）。为免覆盖，本次未提交。请返回“我的备案”重新打开后再填写。`,
      `${path} changed while you were filling in the form (or someone else filed it). Nothing was submitted, so as not to overwrite it. Open it again from My filings.`,
    ));
  }
}

/** A check the forge reports on a pull request's head commit (a commit status or a check run). */
export interface HeadCheck {
  readonly name: string;
  readonly state: "success" | "failure" | "pending";
}

/** An open pull request as the gate judges it now, for the desk's pages. */
export interface PullJudgement {
  readonly pull: PullSummary;
  /** The gate's own evaluator on the pull request as it stands: every change, who signed, who must still. */
  readonly evaluation: Evaluation;
  readonly checks: readonly HeadCheck[];
}

/** The forge as one signed-in person, with their token. */
export interface ForgeSession {
  account(): Promise<ForgeAccount>;
  /** Whether `login` belongs to `team` (`@org/slug`). */
  isTeamMember(team: string, login: string): Promise<boolean>;
  /** A branch from the default branch's head, one commit with the files, and a pull request, all in this person's name. */
  openPull(proposal: PullProposal): Promise<OpenedPull>;
  /** The pull requests this person opened, newest first. */
  pullsBy(login: string): Promise<PullSummary[]>;
  /** Every open pull request of the register, whoever opened it. */
  openPulls(): Promise<PullSummary[]>;
  /**
   * One open pull request judged as the gate judges it (its changes, reviews, commits, the config of
   * the default branch, team membership), with its head's checks. Throws when it cannot be judged.
   */
  judge(pull: PullSummary, today: IsoDate): Promise<PullJudgement>;
  /**
   * `path` as an open request's branch holds it (undefined when it does not): what the request
   * proposes, read to keep two requests from asking for one address. Advisory only: the gate
   * judges every request against the default branch as it stands.
   */
  proposedFile(pull: PullSummary, path: string): Promise<string | undefined>;
  /**
   * Closes an open pull request this person opened (撤回), its title (`title`, as it now reads)
   * marked WITHDRAWN: the forge lets its author do that.
   */
  closePull(number: number, title: string): Promise<void>;
}

export interface DeskForge {
  readonly kind: "github" | "local";
  /** Where the browser goes to sign in; `state` comes back with the code and is checked. */
  signInUrl(state: string, redirectUri: string): string;
  /** The person's token for the code the forge sent back (kept in the encrypted session only). */
  tokenFor(code: string, redirectUri: string): Promise<string>;
  session(token: string): ForgeSession;
}
