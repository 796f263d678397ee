import { msg, withForm } from "../messages";
import { at, type FilingRule, type Finding } from "./types";

export const logRetention: FilingRule = {
  scope: "filing",
  id: "log-retention",
  severity: "error",
  check(f, ctx) {
    const min = ctx.config.limits.minLogRetentionDays;
    const days = f.filing.operations.logRetentionDays;
    if (days >= min) return [];
    return [
      at(f, ["operations", "logRetentionDays"], msg(
        `日志保存天数为 ${days} 天，少于规定的 ${min} 天。请改为不少于 ${min}。`,
        `operations.logRetentionDays is ${days}, below the required ${min}. Keep logs at least ${min} days.`,
      )),
    ];
  },
};

export const backupDeclared: FilingRule = {
  scope: "filing",
  id: "backup",
  severity: "error",
  check(f) {
    const found: Finding[] = [];
    const { daily, secondCopy } = f.filing.operations.backup;
    if (!daily) {
      found.push(at(f, ["operations", "backup", "daily"], withForm(msg(
        "管理细则要求每天备份数据和日志，daily 必须为 true。",
        "The server rules require a daily backup of data and logs: daily must be true.",
      ), msg("管理细则要求每天备份数据和日志：请选“是”，并按此执行。", "The server rules require a daily backup of data and logs: choose Yes, and do it."))));
    }
    if (!secondCopy) {
      found.push(at(f, ["operations", "backup", "secondCopy"], withForm(msg(
        "管理细则要求重要数据双备份（另存到其他介质），secondCopy 必须为 true。",
        "The server rules require a second copy of important data on other media: secondCopy must be true.",
      ), msg("管理细则要求重要数据双备份（另存到其他介质）：请选“是”，并按此执行。", "The server rules require a second copy of important data on other media: choose Yes, and do it."))));
    }
    return found;
  },
};

export const responsibilityLetter: FilingRule = {
  scope: "filing",
  id: "responsibility-letter",
  severity: "error",
  check(f, ctx) {
    const version = f.filing.commitments.responsibilityLetter;
    const { accepted, current } = ctx.config.letters;
    if (accepted.includes(version)) return [];
    return [
      at(f, ["commitments", "responsibilityLetter"], withForm(msg(
        `责任书版本 "${version}" 已不再有效（有效版本：${accepted.join("、")}）。请部门签署现行版本 "${current}"（policies/responsibility-letter.md）后改为该版本。`,
        `Letter version "${version}" is no longer accepted (accepted: ${accepted.join(", ")}). Sign the current version "${current}" (policies/responsibility-letter.md) and name it.`,
      ), msg(
        `责任书版本 ${version} 已不再有效（有效版本：${accepted.join("、")}）。请部门签署现行版本 ${current}（向信息中心索取）后填写 ${current}。`,
        `Letter version ${version} is no longer accepted (accepted: ${accepted.join(", ")}). Sign the current version ${current} (from the information center) and enter ${current}.`,
      ))),
    ];
  },
};
