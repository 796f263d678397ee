import type { VerdictInputs } from "../approvals/classify";
import type { MainCommit } from "../git/changes";
import { msg, text, type Lang, type Message } from "../messages";
import { trackIssue } from "../operations/tracked-issue";
import { evaluatePull } from "./check";
import { applyIssueActions } from "./issues";
import type { GitHubPort, RepositoryPort } from "./port";

/**
 * The deploy job's last line of defence (DESIGN §13): before `pulumi up`, every commit that reached
 * main since the last successful deploy is judged again. What each commit changed and the rules it is
 * judged by come from git (its first parent's config, which the commit cannot have changed); the
 * signatures, committers and role membership from GitHub as they are now. A commit is deployed only
 * when it is the merge of pull requests into the default branch that each satisfy the chain. A forged
 * status, an administrator's bypass, a file list GitHub cut short or a rule changed after the
 * approval all end here. The deploy workflow runs this from the last deployed commit's code, so a
 * merge cannot change the check that judges it.
 */

export interface PullVerdict {
  readonly number: number;
  readonly commit: string;
  readonly satisfied: boolean;
  /** What is missing, in the approval comment's words, when not satisfied. */
  readonly missing: readonly Message[];
}

export interface Reverification {
  readonly ok: boolean;
  readonly pulls: readonly PullVerdict[];
  /** Commits on main that no merged pull request brought in. */
  readonly direct: readonly MainCommit[];
}

export const BLOCKED_LABEL = "filings-deploy-blocked";
export const BLOCKED_MARKER = "<!-- filings/deploy-blocked -->";

/** What the re-check reads from git: a commit's change and rules, and what it holds beyond an approved head. */
export interface MainHistory {
  inputsFor(commit: MainCommit): VerdictInputs;
  /** Of `paths`, those whose content at `commit` is not their content at `head`; undefined without `head`. */
  changedBeyond(commit: MainCommit, head: string, paths: readonly string[]): string[] | undefined;
}

export async function reverifyMain(
  commits: readonly MainCommit[],
  repo: RepositoryPort,
  portFor: (pr: number) => Promise<GitHubPort>,
  history: MainHistory,
  today: string,
): Promise<Reverification> {
  const pulls: PullVerdict[] = [];
  const direct: MainCommit[] = [];
  const main = commits.length > 0 ? (await repo.defaultBranch()).name : undefined;
  for (const commit of commits) {
    const numbers = await repo.pullsMergedAs(commit.sha);
    if (numbers.length === 0) {
      direct.push(commit);
      continue;
    }
    const inputs = history.inputsFor(commit);
    for (const number of numbers) {
      const port = await portFor(number);
      const pr = await port.pullRequest();
      const refuse = (why: Message) => pulls.push({ number, commit: commit.sha, satisfied: false, missing: [why] });
      if (pr.baseRef !== main) {
        refuse(msg(`PR 合并到了 ${pr.baseRef}，不是默认分支 ${main}，它的审批不作数。`, `The pull request was merged into ${pr.baseRef}, not the default branch ${main}; its approvals do not count.`));
        continue;
      }
      // The signatures are for the pull request's head: whatever the merge changed must be as it is there.
      const beyond = history.changedBeyond(commit, pr.headSha, inputs.changes.changedPaths);
      if (beyond === undefined) {
        refuse(msg(
          `本地仓库中没有 PR 的最新提交 ${pr.headSha.slice(0, 7)}，无法确认合并的内容就是批准的内容。请先获取 PR 的提交（git fetch origin "+refs/pull/*/head:refs/remotes/pull/*"）。`,
          `The clone lacks the pull request's head ${pr.headSha.slice(0, 7)}, so the merge cannot be compared with what was approved. Fetch the pull requests' heads first (git fetch origin "+refs/pull/*/head:refs/remotes/pull/*").`,
        ));
        continue;
      }
      if (beyond.length > 0) {
        const shown = `${beyond.slice(0, 10).join(", ")}${beyond.length > 10 ? ` …（+${beyond.length - 10}）` : ""}`;
        refuse(msg(
          `合并提交改动的内容与 PR 批准时的最新提交 ${pr.headSha.slice(0, 7)} 不同：${shown}。签字只对批准的内容有效；请把分支更新到最新的 ${main} 后重新审批并合并，不要在合并时另作修改。`,
          `The merge commit changes content that differs from the pull request's approved head ${pr.headSha.slice(0, 7)}: ${shown}. Signatures hold only for what was approved; bring the branch up to date with ${main}, have it approved again and merge it without further edits.`,
        ));
        continue;
      }
      const { evaluation } = await evaluatePull(port, pr, inputs, today);
      const missing = [
        ...evaluation.refusals,
        // A role says what it misses exactly when it is not signed.
        ...evaluation.decisions.flatMap((d) => [...d.roles.flatMap((r) => (r.missing ? [r.missing] : [])), ...d.refusals]),
      ];
      pulls.push({ number, commit: commit.sha, satisfied: evaluation.satisfied, missing });
    }
  }
  return { ok: direct.length === 0 && pulls.every((p) => p.satisfied), pulls, direct };
}

/** The one issue that says why a deploy was refused, in both languages (it is read on GitHub). */
export function blockedIssue(result: Reverification): { title: string; body: string } {
  const lines = [BLOCKED_MARKER, "", "部署前的审批复核未通过，本次没有执行 pulumi up。 The approval re-check before deploying failed; pulumi up did not run.", ""];
  for (const p of result.pulls.filter((x) => !x.satisfied)) {
    lines.push(`- #${p.number}（合并提交 merge commit ${p.commit.slice(0, 7)}）：审批不完整 approvals incomplete`);
    for (const m of p.missing) lines.push(`  - ${m.zh} / ${m.en}`);
  }
  for (const c of result.direct) lines.push(`- ${c.sha.slice(0, 7)} “${c.subject}”：没有经过 PR 就进入了 main / reached main without a pull request`);
  lines.push("", "处理：补齐审批后重新运行部署；未经 PR 的变更请回退后通过 PR 重新提交。 To resolve: complete the approvals and run the deploy again; revert changes made without a pull request and bring them in through one.");
  const bad = [...result.pulls.filter((x) => !x.satisfied).map((p) => `#${p.number}`), ...result.direct.map((c) => c.sha.slice(0, 7))];
  return { title: `[部署已阻止 deploy blocked] ${bad.join(" ")}`, body: lines.join("\n") };
}

export function reverifyText(result: Reverification, lang: Lang): string {
  const out: string[] = [];
  for (const p of result.pulls) {
    out.push(p.satisfied
      ? text(msg(`✓ #${p.number}：审批齐全`, `✓ #${p.number}: approvals complete`), lang)
      : `${text(msg(`✗ #${p.number}：审批不完整`, `✗ #${p.number}: approvals incomplete`), lang)}\n${p.missing.map((m) => `    ${text(m, lang)}`).join("\n")}`);
  }
  for (const c of result.direct) out.push(text(msg(`✗ ${c.sha.slice(0, 7)} “${c.subject}”：没有经过 PR`, `✗ ${c.sha.slice(0, 7)} "${c.subject}": no pull request`), lang));
  out.push(result.ok
    ? text(msg(`复核通过：${result.pulls.length} 个 PR，可以部署。`, `Re-check passed: ${result.pulls.length} pull requests; the deploy may go ahead.`), lang)
    : text(msg("复核未通过：不部署。", "Re-check failed: no deploy."), lang));
  return `${out.join("\n")}\n`;
}

/** Keeps the one issue saying why deploys are blocked (lib/operations/tracked-issue.ts). */
export async function recordVerdict(result: Reverification, repo: RepositoryPort, lang: Lang): Promise<void> {
  const closing = text(msg("复核已通过，部署继续。", "The re-check passed; the deploy goes ahead."), lang);
  const actions = trackIssue(await repo.openIssues(BLOCKED_LABEL), BLOCKED_MARKER, result.ok ? undefined : blockedIssue(result), closing);
  await applyIssueActions(repo, BLOCKED_LABEL, actions);
}
