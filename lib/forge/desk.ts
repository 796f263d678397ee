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
  readonly state: "open" | "closed" | "merged";
  readonly branch: string;
  readonly createdAt: string;
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
}

export interface DeskForge {
  readonly kind: "github" | "local";
  /** Where the browser goes to sign in; `state` comes back with the code and is checked. */
  signInUrl(state: string, redirectUri: string): string;
  /** The person's token for the code the forge sent back (kept in the encrypted session only). */
  tokenFor(code: string, redirectUri: string): Promise<string>;
  session(token: string): ForgeSession;
}
