/**
 * The deploy's re-check (lib/github/reverify.ts) in-process: what git says each commit on main
 * changed, against what GitHub says of the pull requests that brought it, over the forge ports fed
 * plain data. Each case starts from one merged pull request every role signed and changes one thing;
 * the whole command over a real git history and a GitHub-shaped server is in reverify.test.ts.
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config/parse";
import { CONFIG_SOURCE_PATHS } from "../../lib/config/model";
import type { VerdictInputs } from "../../lib/approvals/classify";
import type { MainCommit } from "../../lib/git/changes";
import { blockedIssue, recordVerdict, reverifyMain, reverifyText, type MainHistory, type Reverification } from "../../lib/github/reverify";
import { memoryForge, memoryPull, memoryRepo, type Issue, type MemoryPull } from "./memory-forge";
import { addFiling, EXAM, HEAD_SHA, NEW_FILE, TREE } from "./scenarios";

const MERGE = "1".repeat(40);
const SECOND = "2".repeat(40);
const DIRECT = "3".repeat(40);
const merge: MainCommit = { sha: MERGE, subject: "Merge pull request #7 from campus/jwc-fixture" };
const direct: MainCommit = { sha: DIRECT, subject: "hotfix on main" };

const bytes = (text: string) => new TextEncoder().encode(text);
const configFiles = new Map(CONFIG_SOURCE_PATHS.filter((p) => TREE[p] !== undefined).map((p) => [p, { path: p, bytes: bytes(TREE[p]!) }]));
expect(parseConfig({ files: new Map(configFiles) }).loaded).toBeDefined();

/** What git says the merge of PR #7 changed: the new filing, with the rules main held before it. */
const inputs: VerdictInputs = {
  configFiles,
  configFrom: "0000000",
  changes: { changedPaths: [NEW_FILE], versions: [{ path: NEW_FILE, head: { path: NEW_FILE, bytes: bytes(TREE[EXAM]!.replace("id: jwc-exam-scheduling", "id: jwc-fixture").replace("ip: 10.20.1.10", "ip: 10.20.1.200")) } }] },
};

/** The merge brings exactly the approved head, unless `beyond` says otherwise. */
function history(beyond: (commit: MainCommit, head: string) => string[] | undefined = () => []): MainHistory & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    inputsFor: (commit) => {
      asked.push(commit.sha);
      return inputs;
    },
    changedBeyond: (commit, head, paths) => {
      expect(paths).toEqual(inputs.changes.changedPaths);
      return beyond(commit, head);
    },
  };
}

const signed = memoryPull(addFiling);
const unsigned: MemoryPull = { ...signed, reviews: [signed.reviews[0]!] };

async function reverify(commits: readonly MainCommit[], pulls: readonly MemoryPull[], mergedAs: Record<string, number[]> = { [MERGE]: [7] }, h = history()) {
  const forge = memoryForge(memoryRepo(addFiling, pulls, { mergedAs }));
  return reverifyMain(commits, forge.repo, forge.portFor, h, "2026-11-24");
}

describe("reverifyMain", () => {
  it("a merge of a pull request every role signed: deployable", async () => {
    expect(await reverify([merge], [signed])).toEqual({ ok: true, pulls: [{ number: 7, commit: MERGE, satisfied: true, missing: [] }], direct: [] });
  });

  it("nothing reached main since the last deploy: deployable, and GitHub is not asked", async () => {
    const forge = memoryForge(memoryRepo(addFiling, [signed]));
    const repo = { ...forge.repo, defaultBranch: () => Promise.reject(new Error("asked")) };
    expect(await reverifyMain([], repo, forge.portFor, history(), "2026-11-24")).toEqual({ ok: true, pulls: [], direct: [] });
  });

  it("signatures missing now (a forged green status at merge time): not deployable, each missing signature said", async () => {
    const r = await reverify([merge], [unsigned]);
    expect(r.ok).toBe(false);
    expect(r.pulls).toHaveLength(1);
    expect(r.pulls[0]!.satisfied).toBe(false);
    expect(r.pulls[0]!.missing.map((m) => m.zh.replace(/（.*/, ""))).toEqual(["缺少部门校分管负责人的批准", "缺少信息中心负责人的批准", "缺少信息安全校分管负责人的批准"]);
  });

  it("a change no signature passes, fully signed: not deployable, its refusal is what is missing", async () => {
    const ip = { ...inputs, changes: { changedPaths: [EXAM], versions: [{ path: EXAM, base: { path: EXAM, bytes: bytes(TREE[EXAM]!) }, head: { path: EXAM, bytes: bytes(TREE[EXAM]!.replace("ip: 10.20.1.10", "ip: 10.20.1.99")) } }] } };
    const h: MainHistory = { inputsFor: () => ip, changedBeyond: () => [] };
    const forge = memoryForge(memoryRepo(addFiling, [signed], { mergedAs: { [MERGE]: [7] } }));
    const r = await reverifyMain([merge], forge.repo, forge.portFor, h, "2026-11-24");
    expect(r.ok).toBe(false);
    expect(r.pulls[0]!.missing.map((m) => m.zh)).toEqual([expect.stringMatching(/^jwc-exam-scheduling：IP 地址从 10\.20\.1\.10 改为 10\.20\.1\.99。/)]);
  });

  it("a commit no pull request brought in: not deployable, named as direct", async () => {
    const r = await reverify([merge, direct], [signed]);
    expect(r).toEqual({ ok: false, pulls: [{ number: 7, commit: MERGE, satisfied: true, missing: [] }], direct: [direct] });
  });

  it("each commit judged by its own inputs from git, in order", async () => {
    const h = history();
    const second: MainCommit = { sha: SECOND, subject: "Merge pull request #9" };
    const r = await reverify([merge, second], [signed, { ...signed, number: 9 }], { [MERGE]: [7], [SECOND]: [9] }, h);
    expect(r.ok).toBe(true);
    expect(r.pulls.map((p) => [p.number, p.commit])).toEqual([[7, MERGE], [9, SECOND]]);
    expect(h.asked).toEqual([MERGE, SECOND]);
  });

  it("an unsigned merge followed by a signed one: the deploy of both is refused, naming the earlier", async () => {
    const second: MainCommit = { sha: SECOND, subject: "Merge pull request #9" };
    const r = await reverify([merge, second], [unsigned, { ...signed, number: 9 }], { [MERGE]: [7], [SECOND]: [9] });
    expect(r.ok).toBe(false);
    expect(r.pulls.map((p) => [p.number, p.satisfied])).toEqual([[7, false], [9, true]]);
  });

  it("a direct push is direct whatever its subject says (a 'Revert' or a 'Merge pull request' title proves nothing)", async () => {
    const revert: MainCommit = { sha: DIRECT, subject: 'Revert "jwc: fixture"' };
    const posing: MainCommit = { sha: SECOND, subject: "Merge pull request #7 from campus/jwc-fixture" };
    const r = await reverify([revert, posing], [signed], {});
    expect(r).toEqual({ ok: false, pulls: [], direct: [revert, posing] });
  });

  it("one commit that merged two pull requests: both judged, either unsigned blocks", async () => {
    const r = await reverify([merge], [signed, { ...unsigned, number: 9 }], { [MERGE]: [7, 9] });
    expect(r.ok).toBe(false);
    expect(r.pulls.map((p) => [p.number, p.satisfied])).toEqual([[7, true], [9, false]]);
  });

  it("a pull request merged into another branch: its approvals do not count", async () => {
    const r = await reverify([merge], [{ ...signed, baseRef: "jwc-base" }]);
    expect(r.ok).toBe(false);
    expect(r.pulls[0]!.missing).toEqual([{ zh: "PR 合并到了 jwc-base，不是默认分支 main，它的审批不作数。", en: "The pull request was merged into jwc-base, not the default branch main; its approvals do not count." }]);
  });

  it("the clone lacks the approved head: refused, saying how to fetch it", async () => {
    const r = await reverify([merge], [signed], undefined, history(() => undefined));
    expect(r.ok).toBe(false);
    expect(r.pulls[0]!.missing).toEqual([{
      zh: `本地仓库中没有 PR 的最新提交 ${HEAD_SHA.slice(0, 7)}，无法确认合并的内容就是批准的内容。请先获取 PR 的提交（git fetch origin "+refs/pull/*/head:refs/remotes/pull/*"）。`,
      en: `The clone lacks the pull request's head ${HEAD_SHA.slice(0, 7)}, so the merge cannot be compared with what was approved. Fetch the pull requests' heads first (git fetch origin "+refs/pull/*/head:refs/remotes/pull/*").`,
    }]);
  });

  it("the merge holds content beyond the approved head: refused, naming the paths", async () => {
    const r = await reverify([merge], [signed], undefined, history((commit, head) => (commit.sha === MERGE && head === HEAD_SHA ? [NEW_FILE] : [])));
    expect(r.ok).toBe(false);
    expect(r.pulls[0]!.missing).toEqual([{
      zh: `合并提交改动的内容与 PR 批准时的最新提交 ${HEAD_SHA.slice(0, 7)} 不同：${NEW_FILE}。签字只对批准的内容有效；请把分支更新到最新的 main 后重新审批并合并，不要在合并时另作修改。`,
      en: `The merge commit changes content that differs from the pull request's approved head ${HEAD_SHA.slice(0, 7)}: ${NEW_FILE}. Signatures hold only for what was approved; bring the branch up to date with main, have it approved again and merge it without further edits.`,
    }]);
  });

  it("more than ten such paths: the first ten and how many more", async () => {
    const paths = Array.from({ length: 12 }, (_, i) => `stacks/p${i}.ts`);
    const r = await reverify([merge], [signed], undefined, history(() => paths));
    expect(r.pulls[0]!.missing[0]!.zh).toContain(`：${paths.slice(0, 10).join(", ")} …（+2）。`);
    const ten = await reverify([merge], [signed], undefined, history(() => paths.slice(0, 10)));
    expect(ten.pulls[0]!.missing[0]!.zh).toContain(`：${paths.slice(0, 10).join(", ")}。`);
  });
});

describe("what a refused deploy says", () => {
  const refused: Reverification = {
    ok: false,
    pulls: [
      { number: 7, commit: MERGE, satisfied: true, missing: [] },
      { number: 9, commit: SECOND, satisfied: false, missing: [{ zh: "缺少信息中心负责人的批准。", en: "Missing the information center head's approval." }, { zh: "缺少信息安全校分管负责人的批准。", en: "Missing the security leader's approval." }] },
    ],
    direct: [direct],
  };

  it("the issue names each unsatisfied pull request with what is missing, and each direct commit, in both languages", () => {
    expect(blockedIssue(refused)).toEqual({
      title: "[部署已阻止 deploy blocked] #9 3333333",
      body: [
        "<!-- filings/deploy-blocked -->",
        "",
        "部署前的审批复核未通过，本次没有执行 pulumi up。 The approval re-check before deploying failed; pulumi up did not run.",
        "",
        "- #9（合并提交 merge commit 2222222）：审批不完整 approvals incomplete",
        "  - 缺少信息中心负责人的批准。 / Missing the information center head's approval.",
        "  - 缺少信息安全校分管负责人的批准。 / Missing the security leader's approval.",
        "- 3333333 “hotfix on main”：没有经过 PR 就进入了 main / reached main without a pull request",
        "",
        "处理：补齐审批后重新运行部署；未经 PR 的变更请回退后通过 PR 重新提交。 To resolve: complete the approvals and run the deploy again; revert changes made without a pull request and bring them in through one.",
      ].join("\n"),
    });
  });

  it("the run's output, in the user's language", () => {
    expect(reverifyText(refused, "zh")).toBe("✓ #7：审批齐全\n✗ #9：审批不完整\n    缺少信息中心负责人的批准。\n    缺少信息安全校分管负责人的批准。\n✗ 3333333 “hotfix on main”：没有经过 PR\n复核未通过：不部署。\n");
    expect(reverifyText(refused, "en")).toBe("✓ #7: approvals complete\n✗ #9: approvals incomplete\n    Missing the information center head's approval.\n    Missing the security leader's approval.\n✗ 3333333 \"hotfix on main\": no pull request\nRe-check failed: no deploy.\n");
    const passed: Reverification = { ok: true, pulls: [refused.pulls[0]!], direct: [] };
    expect(reverifyText(passed, "zh")).toBe("✓ #7：审批齐全\n复核通过：1 个 PR，可以部署。\n");
    expect(reverifyText(passed, "en")).toBe("✓ #7: approvals complete\nRe-check passed: 1 pull requests; the deploy may go ahead.\n");
  });
});

describe("the deploy-blocked issue", () => {
  const failed: Reverification = { ok: false, pulls: [], direct: [direct] };
  const passed: Reverification = { ok: true, pulls: [], direct: [] };
  const ours = (number: number, state: Issue["state"] = "open"): Issue => ({ number, title: "old", body: "<!-- filings/deploy-blocked -->\nold", labels: ["filings-deploy-blocked"], state, comments: [] });
  const theirs: Issue = { number: 5, title: "a person's note", body: "deploys look slow", labels: ["filings-deploy-blocked"], state: "open", comments: [] };
  async function record(result: Reverification, issues: Issue[], lang: "zh" | "en" = "zh") {
    const forge = memoryForge(memoryRepo(addFiling, [], { issues }));
    await recordVerdict(result, forge.repo, lang);
    return forge.written.issues;
  }

  it("a failed re-check opens one labelled issue with the reasons, assigned to nobody", async () => {
    expect(await record(failed, [])).toEqual([{ number: 100, ...blockedIssue(failed), labels: ["filings-deploy-blocked"], assignees: [], state: "open", comments: [] }]);
  });

  it("a failed re-check again brings the open issue up to date instead of opening another; a person's issue with the label is left alone", async () => {
    const issues = await record(failed, [theirs, ours(6)]);
    expect(issues).toEqual([theirs, { ...ours(6), ...blockedIssue(failed) }]);
  });

  it("a passing re-check closes the open issue, saying why in the run's language, and leaves a person's issue open", async () => {
    expect(await record(passed, [theirs, ours(6)])).toEqual([theirs, { ...ours(6), state: "closed", comments: ["复核已通过，部署继续。"] }]);
    expect((await record(passed, [ours(6)], "en"))[0]!.comments).toEqual(["The re-check passed; the deploy goes ahead."]);
  });

  it("a passing re-check with nothing open changes nothing", async () => {
    expect(await record(passed, [ours(6, "closed")])).toEqual([ours(6, "closed")]);
  });
});
