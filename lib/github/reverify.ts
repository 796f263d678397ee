import type { MainCommit } from "../git/changes";
import { msg, text, type Lang, type Message } from "../messages";
import { checkApprovals } from "./check";
import type { GitHubPort, IssuesPort } from "./port";

/**
 * The deploy job's last line of defence (DESIGN §13): before `pulumi up`, every change that reached
 * main since the last successful deploy is judged again, with main's code, main's config and role
 * membership as it is now. A forged status, an administrator's bypass or a rule changed after the
 * approval all end here: a change is applied only if its pull request still satisfies the chain.
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

export async function reverifyMain(
  commits: readonly MainCommit[],
  issues: IssuesPort,
  portFor: (pr: number) => Promise<GitHubPort>,
  today: string,
): Promise<Reverification> {
  const pulls: PullVerdict[] = [];
  const direct: MainCommit[] = [];
  for (const commit of commits) {
    const numbers = await issues.pullsMergedAs(commit.sha);
    if (numbers.length === 0) {
      direct.push(commit);
      continue;
    }
    for (const number of numbers) {
      const { evaluation } = await checkApprovals(await portFor(number), { dryRun: true, today });
      const missing = evaluation.decisions.flatMap((d) => [...d.roles.flatMap((r) => (r.signer ? [] : [r.missing ?? msg(`缺少 ${r.role}`, `no ${r.role}`)])), ...d.refusals]);
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
