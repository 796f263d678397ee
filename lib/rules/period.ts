import { expiry } from "../filings/expiry";
import { plusDays } from "../filings/dates";
import { msg, withForm } from "../messages";
import { at, type FilingRule, type RegisterRule } from "./types";
import { SERVER_TYPE_NAMES } from "../names";

export const periodMonths: FilingRule = {
  scope: "filing",
  id: "period-months",
  severity: "error",
  check(f, ctx) {
    const max = ctx.config.limits.maxPeriodMonths;
    const { months } = f.filing.period;
    if (months <= max) return [];
    return [
      at(f, ["period", "months"], msg(
        `申请使用周期为 ${months} 个月，超过上限 ${max} 个月。请改为不超过 ${max}，到期前再申请续期。`,
        `period.months is ${months}, above the maximum of ${max}. Use at most ${max} and renew before it ends.`,
      )),
    ];
  },
};

export const periodExpired: RegisterRule = {
  scope: "register",
  id: "period-expired",
  severity: "warning",
  check(entries, ctx) {
    const grace = ctx.config.limits.expiryGraceDays;
    return entries.flatMap((f) => {
      if (f.facts.status !== "active") return [];
      const { end, overdue, pastGrace } = expiry(f.facts.period, ctx.today, grace);
      if (overdue === 0) return [];
      if (ctx.change?.added.has(f.file)) {
        // Renewal is for a server already running; an application must ask for time still ahead.
        return [
          at(f, ["period", "start"], withForm(msg(
            `这是一份新备案，但申请的使用周期已于 ${end} 结束（${overdue} 天前）。请把 period.start 改为开通日期（今天 ${ctx.today} 或之后）。`,
            `This is a new filing, but the requested period already ended on ${end} (${overdue} days ago). Set period.start to the start date (today, ${ctx.today}, or later).`,
          ), msg(
            `申请的使用周期已于 ${end} 结束（${overdue} 天前）。请把开通时间改为今天（${ctx.today}）或之后。`,
            `The requested period already ended on ${end} (${overdue} days ago). Make the start today (${ctx.today}) or later.`,
          )), { severity: "error" }),
        ];
      }
      const graceEnd = plusDays(end, grace);
      return [
        at(f, ["period", "start"], msg(
          `备案已于 ${end} 到期（已过 ${overdue} 天）。${pastGrace ? `已超过宽限期，${SERVER_TYPE_NAMES.virtual.zh}将被停止服务（不删除数据）。` : `宽限期到 ${graceEnd} 为止，之后${SERVER_TYPE_NAMES.virtual.zh}将被停止服务（不删除数据）。`}请提交续期申请：修改 period.start 和 period.months。`,
          `The filing ended on ${end} (${overdue} days ago). ${pastGrace ? "The grace period is over; the VM is taken out of service (data kept)." : `The grace period lasts until ${graceEnd}; after that the VM is taken out of service (data kept).`} Renew by updating period.start and period.months.`,
        )),
      ];
    });
  },
};
