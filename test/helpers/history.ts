/**
 * A register with a scripted git history, for the monthly change report (the command's test and the
 * desk's download read the same): October's register, then in November (China Standard Time) four
 * pull requests (#12 a resource increase merged just after midnight, #13 a renewal squashed, #14 a
 * file removed, #15 a new filing), and in December two more (#16, #17 a decommission).
 */
import fs from "node:fs";
import path from "node:path";
import { gitIn } from "./git";
import { REPO, edit } from "./register";

export function scriptedHistory(repo: string): void {
  const git = gitIn(repo);
  const write = (rel: string, text: string) => fs.writeFileSync(path.join(repo, rel), text);
  const read = (rel: string) => fs.readFileSync(path.join(repo, rel), "utf8");
  const commit = (message: string, date: string) => {
    git(["add", "-A"]);
    git(["commit", "-q", "-m", message], date);
  };
  /** A pull request merged with a merge commit: its branch's commit dated `authored`, the merge `merged`. */
  const mergePull = (number: number, branch: string, change: () => void, authored: string, merged: string) => {
    git(["checkout", "-q", "-b", branch]);
    change();
    commit(`${branch}: the change`, authored);
    git(["checkout", "-q", "main"]);
    git(["merge", "-q", "--no-ff", "-m", `Merge pull request #${number} from campus/${branch}`, branch], merged);
  };
  /** A pull request merged by squashing: one commit on main whose subject ends "(#n)". */
  const squashPull = (number: number, title: string, change: () => void, merged: string) => {
    change();
    commit(`${title} (#${number})`, merged);
  };
  git(["init", "-q", "-b", "main"]);
  fs.cpSync(path.join(REPO, "policies"), path.join(repo, "policies"), { recursive: true });
  fs.cpSync(path.join(REPO, "filings"), path.join(repo, "filings"), { recursive: true });
  commit("register as of October", "2026-10-15T10:00:00+08:00");
  // November (China Standard Time), through merges and squashes. The first branch's commit is dated
  // October, but it reached main on 1 November: it is November's.
  mergePull(12, "jwc-cpu", () => write("filings/jwc/exam-scheduling.yaml", edit(read("filings/jwc/exam-scheduling.yaml"), "cpu: 4", "cpu: 6")), "2026-10-31T20:00:00+08:00", "2026-11-01T00:30:00+08:00");
  squashPull(13, "xgb: renewal", () => write("filings/xgb/counseling.yaml", read("filings/xgb/counseling.yaml").replace(/start: \S+/, "start: 2026-12-20")), "2026-11-10T09:00:00+08:00");
  mergePull(14, "tsg-remove", () => fs.rmSync(path.join(repo, "filings/tsg/seat-booking.yaml")), "2026-11-14T09:00:00+08:00", "2026-11-15T09:00:00+08:00");
  squashPull(15, "jwc: new filing", () => fs.copyFileSync(path.join(REPO, "test/fixtures/filings/valid/fixture.yaml"), path.join(repo, "filings/jwc/fixture.yaml")), "2026-11-30T23:30:00+08:00");
  // December: not in November's report.
  mergePull(16, "jwc-grade", () => write("filings/jwc/grade-archive.yaml", edit(read("filings/jwc/grade-archive.yaml"), "cpu: 4", "cpu: 8")), "2026-11-30T22:00:00+08:00", "2026-12-01T00:10:00+08:00");
  squashPull(17, "jwc: decommission the fixture", () => write("filings/jwc/fixture.yaml", edit(read("filings/jwc/fixture.yaml"), "status: active", "status: decommissioned") + "decommission: { requestedAt: 2026-12-02, backupTakenAt: 2026-12-02 }\n"), "2026-12-03T10:00:00+08:00");
}
