import type { Filing } from "../filings/model";
import type { Lang } from "../messages";
import { amount, RESOURCE_NAMES, SERVER_TYPE_NAMES, ZONE_NAMES, type Names } from "../names";
import { portsWithExposure } from "../net/exposure";

/**
 * A filing in the paper form's words, one line per group of boxes, in one language: what a leader
 * reads in the approval comment and the authorities in the monthly report. Departments by name.
 */
export function filingSummary(f: Filing, lang: Lang, names: Names): string[] {
  const zh = lang === "zh";
  const sep = zh ? "：" : ": ";
  const and = zh ? "；" : "; ";
  const comma = zh ? "，" : ", ";
  const department = names.departments.get(f.department);
  const backup = [
    ...(f.operations.backup.daily ? [zh ? "每天备份数据和日志" : "daily backup of data and logs"] : []),
    ...(f.operations.backup.secondCopy ? [zh ? "重要数据双备份" : "a second copy of important data"] : []),
    zh ? `日志保存 ${f.operations.logRetentionDays} 天` : `logs kept ${f.operations.logRetentionDays} days`,
  ];
  return [
    `${zh ? "使用部门" : "Department"}${sep}${department ? (zh ? `${department}（${f.department}）` : `${f.department} (${department})`) : f.department}${and}${zh ? "用途" : "Purpose"}${sep}${f.purpose}`,
    `${zh ? "服务器类型" : "Type"}${sep}${SERVER_TYPE_NAMES[f.type][lang]}${and}${zh ? "配置" : "Resources"}${sep}${amount("cpu", f.resources.cpu)}${comma}${RESOURCE_NAMES.memoryGiB[lang]} ${amount("memoryGiB", f.resources.memoryGiB)}${comma}${RESOURCE_NAMES.diskGiB[lang]} ${f.resources.disks.map((x) => amount("diskGiB", x.sizeGiB)).join(" + ")}`,
    `${zh ? "网络" : "Network"}${sep}${ZONE_NAMES[f.network.zone][lang]} ${f.network.ip}${and}${zh ? "开放端口" : "Ports"}${sep}${portsWithExposure(f.network.ports, f.network.exposures, lang).join(comma) || (zh ? "无" : "none")}`,
    `${zh ? "使用期限" : "Period"}${sep}${zh ? `${f.period.start} 起 ${f.period.months} 个月` : `${f.period.months} months from ${f.period.start}`}${and}${zh ? "管理员" : "Administrator"}${sep}${f.administrator.name} ${f.administrator.phone} ${f.administrator.email}`,
    `${zh ? "承诺" : "Commitments"}${sep}${backup.join(zh ? "、" : ", ")}${and}${zh ? `已签署责任书（${f.commitments.responsibilityLetter} 版）` : `responsibility letter signed (version ${f.commitments.responsibilityLetter})`}`,
  ];
}
