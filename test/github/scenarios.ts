/** The pull request the GitHub-shaped server answers for, and the people in the sample config. */
import fs from "node:fs";
import path from "node:path";
import { BASE, REPO } from "../helpers/register";
import type { Scenario, ScenarioReview } from "./fake-server";

export const BASE_SHA = "b".repeat(40);
export const HEAD_SHA = "c".repeat(40);
export const OLD_SHA = "a".repeat(40);

/** The repository's filings and policies as they are on the base branch. */
export function baseTree(): Record<string, string> {
  const tree: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else tree[rel] = fs.readFileSync(path.join(REPO, rel), "utf8");
    }
  };
  walk("filings");
  walk("policies");
  return tree;
}
export const TREE = baseTree();

export const NEW_FILE = "filings/jwc/fixture.yaml";
export const EXAM = "filings/jwc/exam-scheduling.yaml";

/** Who holds what in policies/ (departments.yaml, approvals.yaml) and the teams behind it. */
export const JWC = { head: "wang-jwc", leader: "li-vp-teaching", staff: "liu-jwc-staff" };
export const INFO = "chen-ic";
export const SECURITY = "zhou-vp-security";
export const TEAMS = {
  "campus/info-center-heads": [INFO],
  "campus/jwc-staff": [JWC.staff],
  "campus/xgb-staff": ["ma-xgb-staff"],
  "campus/kyc-staff": ["he-kyc-staff"],
  "campus/tsg-staff": ["lu-tsg-staff"],
  "campus/cwc-staff": ["gao-cwc-staff"],
  "campus/rsc-staff": ["lin-rsc-staff"],
  "campus/jsj-staff": ["wei-jsj"],
  "campus/wgy-staff": ["xu-wgy-staff"],
  "campus/hxy-staff": ["tang-hxy-staff"],
};

let minute = 0;
export const review = (user: string, state: ScenarioReview["state"] = "APPROVED", commit: string | null = HEAD_SHA): ScenarioReview => ({
  user,
  state,
  commit,
  at: new Date(Date.UTC(2026, 10, 23, 9, minute++)).toISOString().replace(".000", ""),
});
export const ALL_FOUR = () => [review(JWC.head), review(JWC.leader), review(INFO), review(SECURITY)];

export interface Change {
  readonly files: Scenario["files"];
  readonly head: Record<string, string | null>;
}

export const addFiling: Change = { files: [{ filename: NEW_FILE, status: "added" }], head: { [NEW_FILE]: BASE } };

export function scenario(change: Change, extra: Partial<Scenario> = {}): Scenario {
  const head = { ...TREE };
  for (const [p, text] of Object.entries(change.head)) {
    if (text === null) delete head[p];
    else head[p] = text;
  }
  return {
    owner: "campus",
    repo: "filings",
    number: 7,
    author: JWC.staff,
    baseRef: "main",
    baseSha: BASE_SHA,
    headSha: HEAD_SHA,
    trees: { main: TREE, [BASE_SHA]: TREE, [HEAD_SHA]: head },
    files: change.files,
    commits: [{ sha: HEAD_SHA, author: JWC.staff, committer: JWC.staff }],
    reviews: ALL_FOUR(),
    teams: TEAMS,
    ...extra,
  };
}

