import { escapeHtml } from "./html";
import { portsWithExposure } from "../net/exposure";
import type { RoleDecision } from "../approvals/evaluate";
import { NO_NAMES, ROLE_NAMES, SERVER_TYPE_NAMES, schoolName, withNames, ZONE_NAMES, type Names } from "../names";
import { ROLES } from "../config/model";
import type { Filing } from "../filings/model";
import { daysFiledLate, periodEnd, schoolTime, type IsoDate } from "../filings/dates";
import { letterSigned, operationsCommitted } from "./filing-summary";

/**
 * The filled 申请表 of one filing, box for box as the paper form has them (申请部门 with room for
 * the stamp and 部门分管负责人 for a signature, administrator, server, configuration, network, the
 * four opinions with signature and date), printable on A4. With an approval record the four boxes
 * show who approved on GitHub, by name (approvals.yaml `people`), and when, in Beijing time;
 * without, they are left blank for signing by hand. The stamp and the top signature are always by hand.
 */

export interface ApprovalRecord {
  readonly repo: string;
  readonly pr: number;
  readonly roles: readonly RoleDecision[];
  /** The pull request's page, linked in the footer. */
  readonly url?: string;
  /** When the form was printed (an instant), said in the footer. */
  readonly printedAt?: string;
}

/** A signer as the form prints them: the name the config gives, or the login marked as unnamed. */
function signerName(login: string, names: Names): string {
  const named = withNames(`@${login}`, names);
  return named === `@${login}` ? `@${login}（姓名未登记）` : named;
}

const check = (on: boolean) => (on ? "☑" : "☐");

/** Above the table: whether the record is complete, or which roles are still to sign. */
function status(record: ApprovalRecord | undefined): string {
  if (!record) return "";
  const missing = record.roles.filter((r) => !r.signer);
  return missing.length === 0
    ? `<p class="status">审批状态：已完成（${record.roles.length}/${record.roles.length}）</p>`
    : `<p class="status open">审批未完成：尚缺${missing.map((r) => ROLE_NAMES[r.role].zh).join("、")}的批准，不得作为批件</p>`;
}


/**
 * `printed`: the day the form is printed and the institution's deadline for filing a physical
 * server; a form printed for hand signatures (no record) then says when it was printed and, for a
 * physical server filed past the deadline, by how much.
 */
export function formHtml(filing: Filing, departmentName: string, record?: ApprovalRecord, names: Names = NO_NAMES, printed?: { readonly today: IsoDate; readonly deadlineDays: number }): string {
  const f = filing;
  const disks = f.resources.disks.map((d) => `${d.sizeGiB} GiB`).join(" + ");
  const physical = f.type === "physical";
  const late = physical && f.onlineSince && printed && !record ? daysFiledLate(f.onlineSince, printed.today, printed.deadlineDays) : undefined;
  const cfg = (value: string) => (physical ? [value, ""] : ["", value]);
  const rows = [
    ["CPU", ...cfg(`${f.resources.cpu} 核`)],
    ["内存", ...cfg(`${f.resources.memoryGiB} GiB`)],
    ["硬盘空间", ...cfg(disks)],
  ];
  const opinion = (role: (typeof ROLES)[number]) => {
    const d = record?.roles.find((r) => r.role === role);
    const signed = d?.signer
      ? `同意（网上批准）　签字：${escapeHtml(signerName(d.signer.login, names))}　${escapeHtml(schoolTime(d.signer.at))}`
      : record
        ? `尚未批准　签字：＿＿＿＿　　年　月　日`
        : `签字：＿＿＿＿＿＿　　年　　月　　日`;
    return `<tr><th class="role">${escapeHtml(ROLE_NAMES[role].zh)}意见</th><td colspan="3" class="opinion">${signed}</td></tr>`;
  };
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>服务器备案申请表 ${escapeHtml(f.id)}</title>
<style>
body { font-family: "Noto Serif CJK SC", "SimSun", serif; margin: 2em auto; max-width: 180mm; }
h1 { text-align: center; font-size: 20px; letter-spacing: 2px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #000; padding: 6px 8px; vertical-align: top; }
th { width: 22%; font-weight: normal; background: #f4f4f4; text-align: center; }
td.opinion { height: 48px; vertical-align: bottom; text-align: right; }
th.role { white-space: nowrap; }
td.stamp { height: 56px; }
.status { text-align: center; font-size: 14px; margin: 0 0 6px; }
.status.open { color: #b00; font-weight: bold; }
body.open::after { content: "审批未完成，不得作为批件"; position: fixed; top: 45%; left: 0; right: 0; text-align: center; font-size: 40px; color: rgba(200, 0, 0, 0.15); transform: rotate(-20deg); pointer-events: none; }
.number { text-align: right; font-size: 12px; margin: 0 0 4px; }
.meta { font-size: 11px; color: #444; margin-top: 8px; }
.late { color: #b00; }
@media print { @page { size: A4 portrait; margin: 15mm; } body { margin: 0; } th { background: none; } }
</style>
</head>
<body${record && record.roles.some((r) => !r.signer) ? ' class="open"' : ""}>
<h1>${escapeHtml(schoolName(names, "zh"))}${SERVER_TYPE_NAMES.physical.zh}及${SERVER_TYPE_NAMES.virtual.zh}备案申请表</h1>
${status(record)}
<p class="number">备案编号：${escapeHtml(f.id)}</p>
<table>
<tr><th>申请部门<br>（盖章）</th><td class="stamp">${escapeHtml(departmentName)}</td><th>部门分管负责人<br>（签字）</th><td class="stamp"></td></tr>
<tr><th colspan="4">应用系统管理员信息</th></tr>
<tr><th>姓名</th><td>${escapeHtml(f.administrator.name)}</td><th>职务</th><td>${escapeHtml(f.administrator.title)}</td></tr>
<tr><th>手机号码</th><td>${escapeHtml(f.administrator.phone)}</td><th>邮箱</th><td>${escapeHtml(f.administrator.email)}</td></tr>
<tr><th colspan="4">服务器信息</th></tr>
<tr><th>服务器类型</th><td colspan="3">${SERVER_TYPE_NAMES.physical.zh} ${check(physical)}　　${SERVER_TYPE_NAMES.virtual.zh} ${check(!physical)}</td></tr>
<tr><th>用途</th><td colspan="3">${escapeHtml(f.purpose)}</td></tr>
<tr><th>维保单位</th><td>${escapeHtml(f.maintenance?.vendor ?? "—")}</td><th>是否在保</th><td>${f.maintenance ? (f.maintenance.underWarranty ? "是" : "否") : "—"}</td></tr>
<tr><th>维保技术姓名</th><td>${escapeHtml(f.maintenance?.technician.name ?? "—")}</td><th>维保技术电话</th><td>${escapeHtml(f.maintenance?.technician.phone ?? "—")}</td></tr>
${physical && f.onlineSince ? `<tr><th>上线时间</th><td colspan="3">${escapeHtml(f.onlineSince)}${late !== undefined ? `<span class="late">（上线 ${late} 天后填表，超过上线后 ${printed!.deadlineDays} 天内备案的期限）</span>` : ""}</td></tr>` : ""}
<tr><th>开通时间</th><td colspan="3">${escapeHtml(f.period.start)} 起，使用 ${f.period.months} 个月（至 ${escapeHtml(periodEnd(f.period.start, f.period.months))}）</td></tr>
<tr><th>服务器配置</th><th>${SERVER_TYPE_NAMES.physical.zh}配置</th><th>${SERVER_TYPE_NAMES.virtual.zh}批准配置</th><th>备注</th></tr>
${rows.map(([k, p, v]) => `<tr><th>${k}</th><td>${escapeHtml(p!)}</td><td>${escapeHtml(v!)}</td><td></td></tr>`).join("\n")}
<tr><th>是否需要${ZONE_NAMES.external.zh}</th><td>${f.network.zone === "external" ? "是" : "否"}</td><th>IP 地址</th><td>${escapeHtml(f.network.ip)}</td></tr>
<tr><th>开放端口</th><td colspan="3">${portsWithExposure(f.network.ports, f.network.exposures, "zh").map(escapeHtml).join("<br>") || "无"}</td></tr>
<tr><th>备注</th><td colspan="3">${[f.remarks ? escapeHtml(f.remarks) : "", `承诺：${escapeHtml([...operationsCommitted(f, "zh"), letterSigned(f, "zh")].join("、"))}`].filter(Boolean).join("<br>")}</td></tr>
${ROLES.map(opinion).join("\n")}
</table>
<p class="meta">${record ? `审批记录：${escapeHtml(record.repo)} 拉取请求 #${record.pr}${record.url ? `（${escapeHtml(record.url)}）` : ""}，各栏时间为北京时间。${record.printedAt ? `本表于 ${escapeHtml(schoolTime(record.printedAt))} 依据该申请批准的内容生成。` : ""}` : `审批记录：未附（打印后手工签字）。${printed ? `打印日期：${escapeHtml(printed.today)}。` : ""}`}</p>
</body>
</html>
`;
}
