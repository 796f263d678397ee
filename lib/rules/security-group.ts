import { msg } from "../messages";
import type { Finding, RegisterRule } from "./types";
import { CONFIG_FILES } from "../config/model";

export const securityGroup: RegisterRule = {
  scope: "register",
  id: "security-group",
  severity: "error",
  check(filings, ctx) {
    const threshold = ctx.config.limits.securityGroupThreshold;
    const counts = new Map<string, number>();
    for (const f of filings) {
      if (f.facts.status === "active") counts.set(f.facts.department, (counts.get(f.facts.department) ?? 0) + 1);
    }
    const found: Finding[] = [];
    ctx.config.departments.forEach((d, i) => {
      const count = counts.get(d.slug) ?? 0;
      if (count <= threshold || d.securityGroup) return;
      found.push({
        file: CONFIG_FILES.departments,
        source: ctx.configSources.departments,
        path: ["departments", i, "slug"],
        message: msg(
          `部门 ${d.slug}（${d.name}）有 ${count} 台在用服务器，超过 ${threshold} 台，必须成立信息网络安全小组并在此登记 securityGroup（组长 leader、网络管理员 networkAdmin、安全员 securityOfficer）。`,
          `Department ${d.slug} has ${count} active servers, more than ${threshold}: it must form a security group and list it here as securityGroup { leader, networkAdmin, securityOfficer }.`,
        ),
      });
    });
    return found;
  },
};
