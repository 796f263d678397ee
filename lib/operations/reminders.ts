import type { InstitutionConfig } from "../config/model";
import type { ServerSpec } from "../plan/servers";
import { PERIOD_NAMES, STATUS_NAMES, namesOf, withNames } from "../names";

/**
 * Expiry reminders: one GitHub issue per filing per threshold (30, 7 and 0 days before the period
 * ends), found again by a hidden marker so that a second run updates instead of duplicating, and closed
 * once a renewal moved the period end out of reach. Pure: the adapter lists and writes the issues.
 */

export const REMINDER_THRESHOLDS = [30, 7, 0] as const;
export const REMINDER_LABEL = "filing-reminder";

export interface Reminder {
  readonly filingId: string;
  readonly threshold: number;
  readonly marker: string;
  readonly title: string;
  readonly body: string;
  /** Forge logins to assign: the administrator's account, or the department head's users. */
  readonly assignees: readonly string[];
}

/** An open reminder issue as found on GitHub. */
export interface OpenReminderIssue {
  readonly number: number;
  readonly body: string;
}

export type ReminderAction =
  | { readonly kind: "create"; readonly reminder: Reminder }
  | { readonly kind: "update"; readonly number: number; readonly reminder: Reminder }
  | { readonly kind: "close"; readonly number: number; readonly filingId: string; readonly comment: string };

export function reminderMarker(filingId: string, threshold: number): string {
  return `<!-- filings/reminder:${filingId}:${threshold} -->`;
}

const MARKER = /<!-- filings\/reminder:([a-z0-9-]+):(\d+) -->/;

/** The most urgent threshold a filing has reached, or undefined while it is far from its end. */
export function thresholdReached(daysLeft: number): number | undefined {
  const reached = REMINDER_THRESHOLDS.filter((t) => daysLeft <= t);
  return reached.length ? Math.min(...reached) : undefined;
}

/**
 * Who the reminder goes to: the administrator, who keeps the server, when the filing names their
 * forge account; otherwise the department head, who can pass it on. The head is told either way.
 */
function recipients(server: ServerSpec, config: InstitutionConfig): { assignees: string[]; informed: string[] } {
  const d = config.departments.find((x) => x.slug === server.department);
  const heads = [...(d?.roles.departmentHead ?? [])];
  const users = (list: readonly string[]) => [...new Set(list.filter((p) => !p.includes("/")).map((p) => p.slice(1)))];
  const account = server.administrator.account;
  return { assignees: account ? users([account]) : users(heads), informed: heads };
}

function reminderFor(server: ServerSpec, threshold: number, config: InstitutionConfig): Reminder {
  const { end, daysLeft } = server.period;
  const when = daysLeft > 0 ? `${daysLeft} 天后到期` : daysLeft === 0 ? "今天到期" : `${PERIOD_NAMES.ended.zh} ${-daysLeft} 天`;
  const whenEn = daysLeft > 0 ? `ends in ${daysLeft} days` : daysLeft === 0 ? "ends today" : `ended ${-daysLeft} days ago`;
  const grace = config.limits.expiryGraceDays;
  const marker = reminderMarker(server.id, threshold);
  const { assignees, informed } = recipients(server, config);
  const admin = server.administrator;
  const names = namesOf(config);
  const heads = informed.map((p) => { const n = withNames(p, names); return n === p ? p : `${p}（${n}）`; }).join("、");
  const body = [
    marker,
    `${admin.account ? `${admin.account} ` : ""}${admin.name}（管理员）：服务器备案 **${server.id}**（${server.departmentName}，${server.purpose}）的使用期限${when}（${end}）。`,
    "",
    `- 管理员：${admin.name}，${admin.phone}，${admin.email}${admin.account ? "" : "（备案未填写管理员的代码平台账号 administrator.account，本提醒指派给部门负责人转告）"}`,
    `- 部门负责人知悉：${heads || "—"}`,
    "",
    `如需继续使用，请提交续期申请：修改 \`${server.file}\` 中的 period.start 和 period.months，经审批合并后生效。`,
    `到期 ${grace} 天后宽限期满，服务器将停止服务（数据保留）。不再使用的，请提交下线申请（status: decommissioned）。`,
    "",
    "<details><summary>English</summary>",
    "",
    `The filing **${server.id}** (${server.department}) ${whenEn} (${end}). Administrator: ${admin.name}${admin.account ? ` (${admin.account})` : " (no forge account filed: assigned to the department head)"}; department head informed: ${informed.join(", ") || "—"}.`,
    `To keep it, open a renewal changing period.start and period.months in \`${server.file}\`. ${grace} days after the end the grace period is over and the server is taken out of service (data kept). If it is no longer needed, decommission it.`,
    "",
    "</details>",
  ].join("\n");
  return {
    filingId: server.id,
    threshold,
    marker,
    title: `[备案到期提醒] ${server.id} ${when}（${end}） / filing ${whenEn}`,
    body,
    assignees,
  };
}

/** What to do on GitHub so that the open reminder issues match the register on `today`. */
export function planReminders(servers: readonly ServerSpec[], config: InstitutionConfig, open: readonly OpenReminderIssue[]): ReminderAction[] {
  const byMarker = new Map<string, OpenReminderIssue>();
  for (const issue of open) {
    const m = MARKER.exec(issue.body);
    if (m) byMarker.set(m[0], issue);
  }
  const wanted = new Map<string, Reminder>();
  for (const s of servers) {
    if (s.status !== "active") continue;
    const t = thresholdReached(s.period.daysLeft);
    if (t !== undefined) {
      const r = reminderFor(s, t, config);
      wanted.set(r.marker, r);
    }
  }
  const actions: ReminderAction[] = [];
  for (const [marker, reminder] of wanted) {
    const existing = byMarker.get(marker);
    if (!existing) actions.push({ kind: "create", reminder });
    else if (existing.body !== reminder.body) actions.push({ kind: "update", number: existing.number, reminder });
  }
  for (const [marker, issue] of byMarker) {
    if (wanted.has(marker)) continue;
    const [, filingId, threshold] = MARKER.exec(marker)!;
    const server = servers.find((s) => s.id === filingId);
    const why =
      !server ? "备案文件已删除 / the filing was removed"
      : server.status !== "active" ? `备案${STATUS_NAMES.decommissioned.zh} / the filing was ${STATUS_NAMES.decommissioned.en}`
      : thresholdReached(server.period.daysLeft) === undefined ? `已续期至 ${server.period.end} / renewed until ${server.period.end}`
      : `已进入下一提醒阶段（${thresholdReached(server.period.daysLeft)} 天）/ superseded by the ${thresholdReached(server.period.daysLeft)}-day reminder`;
    actions.push({ kind: "close", number: issue.number, filingId: filingId!, comment: `关闭提醒（${threshold} 天）：${why}。` });
  }
  return actions;
}
