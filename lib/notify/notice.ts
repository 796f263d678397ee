import type { Evaluation } from "../approvals/evaluate";
import { msg, type Message } from "../messages";
import { CHANGE_KIND_NAMES, listed, ROLE_NAMES, withNames, type Names } from "../names";
import type { ServerOutputRow } from "../output/deploy";

/**
 * What a group robot (WeCom, DingTalk, Feishu) or an email says when something needs a person: a
 * signature, a refused request, a ready VM, a filing about to end. Short, in Chinese with the English
 * below, with the link to act on. Pure: lib/notify/send.ts delivers it.
 */
export interface Notice {
  readonly title: Message;
  readonly lines: readonly Message[];
  /** Where to act: the pull request, the reminder. */
  readonly link?: string;
}

/** What the approval check found, for the people who act next: the signers still missing, or why it cannot pass. */
export function approvalNotice(evaluation: Evaluation, pull: { readonly number: number; readonly title: string; readonly url: string }, names: Names): Notice {
  const head = (zh: string, en: string) => msg(`#${pull.number} ${pull.title}：${zh}`, `#${pull.number} ${pull.title}: ${en}`);
  const say = (m: Message): Message => msg(withNames(m.zh, names), withNames(m.en, names));
  const refusals = [...evaluation.refusals, ...evaluation.decisions.flatMap((d) => d.refusals)];
  if (refusals.length > 0) return { title: head("不能批准，需要修改", "cannot be approved as it is"), lines: refusals.map(say), link: pull.url };
  if (evaluation.satisfied) return { title: head("签字已齐全，等待信息中心确认生效", "all signatures are in; the information center merges it next"), lines: [], link: pull.url };
  const lines: Message[] = [];
  for (const d of evaluation.decisions) {
    const what = d.subject.kind === "filing" ? msg(`${d.subject.change.id}（${listed(d.subject.change.kinds.map((k) => CHANGE_KIND_NAMES[k]), "zh")}）`, `${d.subject.change.id} (${listed(d.subject.change.kinds.map((k) => CHANGE_KIND_NAMES[k]), "en")})`) : msg("配置与程序变更", "configuration and code");
    for (const r of d.roles.filter((x) => !x.signer)) lines.push(say(msg(`${what.zh}：请${ROLE_NAMES[r.role].zh}批准`, `${what.en}: needs the ${ROLE_NAMES[r.role].en}`)));
    for (const w of d.warnings) lines.push(say(w));
  }
  return { title: head("等待签字", "waiting for signatures"), lines, link: pull.url };
}

/** A reminder the daily job opened: a filing's period ends soon (or has ended). */
export function reminderNotice(title: string, link?: string): Notice {
  return { title: msg(title, title), lines: [msg("请及时提交续期或下线申请。", "File a renewal or a decommission in time.")], ...(link ? { link } : {}) };
}

/** What a deploy made ready: each VM of the merged request with its address. */
export function deployedNotice(pull: number, servers: Readonly<Record<string, ServerOutputRow>>, ids: readonly string[], link?: string): Notice | undefined {
  const ready = ids.filter((id) => servers[id]?.state === "active");
  if (ready.length === 0) return undefined;
  return {
    title: msg(`#${pull} 已部署：${ready.join("、")}`, `#${pull} deployed: ${ready.join(", ")}`),
    lines: ready.map((id) => msg(`${id}：虚拟机已就绪，IP 地址 ${servers[id]!.ip}`, `${id}: the VM is ready at ${servers[id]!.ip}`)),
    ...(link ? { link } : {}),
  };
}

/** The notice as plain text in one language, title first, the link last. */
export function noticeText(notice: Notice, lang: "zh" | "en"): { title: string; body: string } {
  const title = notice.title[lang];
  const body = [...notice.lines.map((l) => `- ${l[lang]}`), ...(notice.link ? [notice.link] : [])].join("\n");
  return { title, body };
}
