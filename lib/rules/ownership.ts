import { msg } from "../messages";
import { OWNERSHIP_SELECTORS, ownsFiling } from "../stack-files/owns";
import { PROJECT } from "../stack-files/config";
import type { Finding, RegisterRule } from "./types";
import { ZONE_NAMES } from "../names";

const OWNS = `${PROJECT}:owns`;

/**
 * Every virtual filing is provisioned by exactly one stack (lib/stack-files/owns.ts): one that no stack
 * owns would never get its VM, one that two own would get two. Decommissioned filings count too:
 * their VMs exist until the file is removed. Runs only when the register has stack files.
 */
export const stackOwnership: RegisterRule = {
  scope: "register",
  id: "stack-ownership",
  severity: "error",
  check(entries, ctx) {
    const stacks = ctx.stacks ?? [];
    if (stacks.length === 0) return [];
    const found: Finding[] = [];
    const campuses = new Set(ctx.config.departments.flatMap((d) => (d.campus ? [d.campus] : [])));
    for (const stack of stacks) {
      const unknown = { departments: (v: string) => !ctx.departments.has(v), campuses: (v: string) => !campuses.has(v), zones: () => false };
      for (const selector of OWNERSHIP_SELECTORS) {
        (stack.owns?.[selector] ?? []).forEach((value, i) => {
          if (!unknown[selector](value)) return;
          found.push({
            file: stack.file,
            source: stack.source,
            path: [OWNS, selector, i],
            message: selector === "departments"
              ? msg(`${OWNS} 中的部门 "${value}" 不在 policies/departments.yaml 中。请改为已登记的部门代码。`, `Department "${value}" in ${OWNS} is not in policies/departments.yaml. Use a listed department slug.`)
              : msg(`${OWNS} 中的校区 "${value}" 没有任何部门使用（policies/departments.yaml 的 campus）。请检查拼写。`, `No department has campus "${value}" named in ${OWNS} (campus in policies/departments.yaml). Check the spelling.`),
          });
        });
      }
    }
    for (const f of entries) {
      if (f.facts.type !== "virtual") continue;
      const owners = stacks.filter((s) => ownsFiling(s.owns, { department: f.facts.department, zone: f.facts.zone }, ctx.departments));
      if (owners.length === 1) continue;
      const where = `${f.facts.department}（${ZONE_NAMES[f.facts.zone].zh}${ctx.departments.get(f.facts.department)?.campus ? `，校区 ${ctx.departments.get(f.facts.department)!.campus}` : ""}）`;
      found.push({
        file: f.file,
        source: f.source,
        path: ["department"],
        message:
          owners.length === 0
            ? msg(
                `没有任何堆栈认领这份备案：部门 ${where} 不在 stacks/ 中任何堆栈的 ${OWNS} 范围内，它的虚拟机不会被创建。请信息中心在一个堆栈配置中认领它。`,
                `No stack owns this filing: department ${f.facts.department} (${f.facts.zone}) is outside every stack's ${OWNS} in stacks/, so its VM would never be created. The information center must add it to one stack.`,
              )
            : msg(
                `这份备案同时被 ${owners.map((s) => s.name).join("、")} 认领（部门 ${where}），会创建两台虚拟机。每份备案只能属于一个堆栈，请信息中心调整 ${OWNS}。`,
                `This filing is owned by ${owners.map((s) => s.name).join(" and ")} (department ${f.facts.department}, ${f.facts.zone}): it would get two VMs. Each filing belongs to one stack; the information center must adjust ${OWNS}.`,
              ),
      });
    }
    return found;
  },
};
