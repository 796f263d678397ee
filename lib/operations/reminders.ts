import type { InstitutionConfig } from "../config/model";
import type { ServerSpec } from "../plan/servers";
import { STATUS_NAMES } from "../names";

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
  /** GitHub logins to assign (users among the department's role holders; teams are mentioned). */
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

function reminderFor(server: ServerSpec, threshold: number, config: InstitutionConfig): Reminder {
  const d = config.departments.find((x) => x.slug === server.department);
  const holders = [...(d?.roles.departmentHead ?? []), ...(d?.roles.schoolLeader ?? [])];
  const assignees = [...new Set(holders.filter((p) => !p.includes("/")).map((p) => p.slice(1)))];
  const { end, daysLeft } = server.period;
  const when = daysLeft > 0 ? `${daysLeft} 天后到期` : daysLeft === 0 ? "今天到期" : `已过期 ${-daysLeft} 天`;
  const whenEn = daysLeft > 0 ? `ends in ${daysLeft} days` : daysLeft === 0 ? "ends today" : `ended ${-daysLeft} days ago`;
  const grace = config.limits.expiryGraceDays;
  const marker = reminderMarker(server.id, threshold);
  const body = [
    marker,
    `服务器备案 **${server.id}**（${server.departmentName}，${server.purpose}）的使用期限 ${when}（${end}）。`,
    `The filing **${server.id}** (${server.department}) ${whenEn} (${end}).`,
    "",
    `- 管理员 Administrator: ${server.administrator.name}，${server.administrator.phone}，${server.administrator.email}`,
    `- 部门审批人 Department roles: ${holders.join(" ") || "—"}`,
    "",
    `如需继续使用，请提交续期 PR：修改 \`${server.file}\` 中的 period.start 和 period.months，由部门负责人等审批后合并。`,
    `到期 ${grace} 天后虚拟机将被停止服务（数据保留）。不再使用的，请提交下线申请（status: decommissioned）。`,
    `To keep it, open a renewal PR changing period.start and period.months in \`${server.file}\`. ${grace} days after the end the VM is taken out of service (data kept). If it is no longer needed, decommission it.`,
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
