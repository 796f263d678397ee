import { overQuota, QUOTA_KEYS } from "../config/quota";
import { groupBy } from "../group";
import { msg } from "../messages";
import { amount, RESOURCE_NAMES, SERVER_TYPE_NAMES, STATUS_NAMES } from "../names";
import { activeVirtual, at, type Finding, type RegisterRule } from "./types";

export const departmentQuota: RegisterRule = {
  scope: "register",
  id: "department-quota",
  severity: "error",
  check(filings, ctx) {
    const byDepartment = groupBy(activeVirtual(filings), (f) => f.facts.department);
    const found: Finding[] = [];
    for (const [slug, list] of byDepartment) {
      const quota = ctx.departments.get(slug)?.quota;
      if (!quota) continue;
      const own = (f: (typeof list)[number]) => ({ cpu: f.facts.cpu, memoryGiB: f.facts.memoryGiB, diskGiB: f.facts.diskGiB });
      const used = { cpu: 0, memoryGiB: 0, diskGiB: 0 };
      for (const f of list) for (const k of QUOTA_KEYS) used[k] += own(f)[k];
      const over = overQuota(used, quota);
      if (over.length === 0) continue;
      // A pull request answers for the filings it touches, not for an overrun it did not cause.
      const targets = ctx.change ? list.filter((f) => ctx.change!.changed.has(f.file)) : list;
      for (const f of targets) {
        const mine = own(f);
        const parts = over.map((k) => {
          const name = RESOURCE_NAMES[k];
          const n = (x: number) => amount(k, x);
          const others = used[k] - mine[k];
          const left = Math.max(0, quota[k] - others);
          return {
            zh: `${name.zh}：其他在用备案已用 ${n(others)}，本备案申请 ${n(mine[k])}，合计 ${n(used[k])}，超过配额 ${n(quota[k])}（本备案最多可申请 ${n(left)}）`,
            en: `${name.en}: ${n(others)} used by the department's other active filings + ${n(mine[k])} requested here = ${n(used[k])}, above the quota of ${n(quota[k])} (at most ${n(left)} can be requested here)`,
          };
        });
        found.push(at(f, ["resources"], msg(
          `部门 ${slug} 的${STATUS_NAMES.active.zh}${SERVER_TYPE_NAMES.virtual.zh}超出配额。${parts.map((p) => p.zh).join("；")}。请减少本次申请的配置，或请信息中心调整配额。`,
          `Department ${slug}'s active virtual servers exceed its quota. ${parts.map((p) => p.en).join("; ")}. Request less, or ask the information center to raise the quota.`,
        ), { at: "key" }));
      }
    }
    return found;
  },
};
