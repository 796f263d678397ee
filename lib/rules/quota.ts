import { overQuota } from "../config/quota";
import { groupBy } from "../group";
import { msg } from "../messages";
import { activeVirtual, at, totalDiskGiB, type Finding, type RegisterRule } from "./types";

const LABELS = {
  cpu: ["vCPU", "核", "vCPUs"],
  memoryGiB: ["内存", "GiB", "GiB of memory"],
  diskGiB: ["硬盘", "GiB", "GiB of disk"],
} as const;

export const departmentQuota: RegisterRule = {
  scope: "register",
  id: "department-quota",
  severity: "error",
  description: "Per department, the active virtual filings together stay within the department's quota.",
  check(filings, ctx) {
    const byDepartment = groupBy(activeVirtual(filings), (f) => f.filing.department);
    const found: Finding[] = [];
    for (const [slug, list] of byDepartment) {
      const quota = ctx.departments.get(slug)?.quota;
      if (!quota) continue;
      const used = { cpu: 0, memoryGiB: 0, diskGiB: 0 };
      for (const f of list) {
        used.cpu += f.filing.resources.cpu;
        used.memoryGiB += f.filing.resources.memoryGiB;
        used.diskGiB += totalDiskGiB(f.filing.resources.disks);
      }
      const over = overQuota(used, quota).map((k) => [k, ...LABELS[k]] as const);
      if (over.length === 0) continue;
      const zh = over.map(([k, label, unit]) => `${label}合计 ${used[k]} ${unit}（配额 ${quota[k]} ${unit}）`).join("，");
      const en = over.map(([k, , , unit]) => `${used[k]} ${unit} (quota ${quota[k]})`).join(", ");
      for (const f of list) {
        found.push(at(f, ["resources"], msg(
          `部门 ${slug} 的在用虚拟服务器超出配额：${zh}。请减少本次申请的配置，或请信息中心调整配额。`,
          `Department ${slug}'s active virtual servers exceed its quota: ${en}. Request less, or ask the information center to raise the quota.`,
        ), { at: "key" }));
      }
    }
    return found;
  },
};
