import { daysBetween, daysFiledLate } from "../filings/dates";
import { msg, withForm } from "../messages";
import { at, type Finding, type RegisterEntry, type RegisterRule, type RuleContext } from "./types";
import { SERVER_TYPE_NAMES } from "../names";

// Both rules compare dates with today, so they run on the facts of every filing on every check
// (register rules) rather than on cached per-file results.

export const physicalDetails: RegisterRule = {
  scope: "register",
  id: "physical-details",
  severity: "error",
  check(entries, ctx) {
    return entries.flatMap((f) => physicalFindings(f, ctx));
  },
};

function physicalFindings(f: RegisterEntry, ctx: RuleContext): Finding[] {
  const found: Finding[] = [];
  const { type, maintenance, onlineSince } = f.facts;
  if (type === "physical") {
    if (!maintenance) {
      found.push(at(f, ["type"], withForm(msg(
        `${SERVER_TYPE_NAMES.physical.zh}必须填写维保信息 maintenance（维保单位 vendor、是否在保 underWarranty、维保技术人员 technician 的姓名 name 和电话 phone）。`,
        "A physical server needs maintenance: vendor, underWarranty and technician { name, phone }.",
      ), msg(
        `${SERVER_TYPE_NAMES.physical.zh}必须填写下方的维保信息（维保单位、是否在保、维保技术人员的姓名和电话）。`,
        "A physical server needs the maintenance details below: vendor, under warranty, and the technician's name and phone.",
      ))));
    }
    if (!onlineSince) {
      found.push(at(f, ["type"], withForm(msg(
        `${SERVER_TYPE_NAMES.physical.zh}必须填写上线时间 onlineSince（YYYY-MM-DD）。`,
        "A physical server needs onlineSince (YYYY-MM-DD).",
      ), msg(`${SERVER_TYPE_NAMES.physical.zh}必须填写下方的上线时间。`, "A physical server needs its online date below."))));
    } else if (daysBetween(ctx.today, onlineSince) > 0) {
      found.push(at(f, ["onlineSince"], msg(
        `上线时间 ${onlineSince} 晚于今天（${ctx.today}）。请填写服务器实际接入校园网的日期。`,
        `onlineSince ${onlineSince} is after today (${ctx.today}). Give the date the server actually went online.`,
      )));
    } else if (ctx.change?.added.has(f.file)) {
      // Said to the department as it files, not only to the approvers (the approval comment): a late
      // filing is still better than none, so it is a warning.
      const deadline = ctx.config.limits.physicalFilingDeadlineDays;
      const days = daysFiledLate(onlineSince, ctx.today, deadline);
      if (days !== undefined) {
        const late = msg(
          `${SERVER_TYPE_NAMES.physical.zh}于 ${onlineSince} 上线，至今已 ${days} 天，超过上线后 ${deadline} 天内备案的期限。仍可提交，审批人会看到这一提示；请在`,
          `The ${SERVER_TYPE_NAMES.physical.en} went online on ${onlineSince}, ${days} days ago, past the deadline of filing within ${deadline} days. You can still submit, and the approvers see this note; say in`,
        );
        found.push(at(f, ["onlineSince"], withForm(
          msg(`${late.zh} remarks（备注）中写明补报原因。`, `${late.en} remarks why it is filed late.`),
          msg(`${late.zh}备注中写明补报原因。`, `${late.en} the remarks why it is filed late.`),
        ), { severity: "warning" }));
      }
    }
  } else {
    const present = { maintenance, onlineSince: onlineSince !== undefined };
    for (const key of ["maintenance", "onlineSince"] as const) {
      if (!present[key]) continue;
      found.push(at(f, [key], msg(
        `${SERVER_TYPE_NAMES.virtual.zh}不需要 ${key}（仅${SERVER_TYPE_NAMES.physical.zh}填写），该字段将被忽略，建议删除。`,
        `A virtual server does not use ${key} (physical servers only); it is ignored — remove it.`,
      ), { at: "key", severity: "warning" }));
    }
  }
  return found;
}

export const decommissionRecord: RegisterRule = {
  scope: "register",
  id: "decommission-record",
  severity: "error",
  check(entries, ctx) {
    return entries.flatMap((f) => decommissionFindings(f, ctx));
  },
};

function decommissionFindings(f: RegisterEntry, ctx: RuleContext): Finding[] {
  const found: Finding[] = [];
  const { status, decommission } = f.facts;
  if (status === "decommissioned") {
    if (!decommission) {
      found.push(at(f, ["status"], msg(
        "状态为已申请下线（decommissioned）时必须填写 decommission：申请下线日期 requestedAt 和数据备份完成日期 backupTakenAt。",
        "A decommissioned filing needs decommission: requestedAt and backupTakenAt.",
      )));
    } else if (!decommission.backupTakenAt) {
      found.push(at(f, ["decommission"], withForm(msg(
        "下线前必须完成数据备份并填写 decommission.backupTakenAt（备份完成日期）。未记录备份的服务器不会被关机。",
        "Take a final backup and record decommission.backupTakenAt before decommissioning; without it the server is not shut down.",
      ), msg(
        "下线前必须完成数据备份，并在上方填写备份完成日期。未记录备份的服务器不会被关机。",
        "Take a final backup and fill in the date it was taken above; without it the server is not shut down.",
      )), { at: "key" }));
    }
  } else if (decommission) {
    found.push(at(f, ["decommission"], msg(
      "填写了 decommission，但状态仍为 active。若要下线，请把 status 改为 decommissioned；否则请删除 decommission。",
      "decommission is filled in but status is still active. Set status: decommissioned to decommission, or remove decommission.",
    ), { at: "key", severity: "warning" }));
  }
  for (const key of ["requestedAt", "backupTakenAt"] as const) {
    const date = decommission?.[key];
    if (date && daysBetween(ctx.today, date) > 0) {
      found.push(at(f, ["decommission", key], msg(
        `${key} 为 ${date}，晚于今天（${ctx.today}）。请填写已经发生的日期。`,
        `decommission.${key} ${date} is after today (${ctx.today}). Give a date that has passed.`,
      )));
    }
  }
  return found;
}
