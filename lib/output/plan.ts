import { portsWithExposure } from "../net/exposure";
import Table from "cli-table3";
import { groupBy } from "../group";
import { text, type Lang } from "../messages";
import { outOfService, type ServerSpec } from "../plan/servers";
import type { StackConfig } from "../stack-files/config";
import { PLATFORM_NAMES, SERVER_TYPE_NAMES, ZONE_NAMES, standing } from "../names";

const HEAD: Record<Lang, string[]> = {
  zh: ["备案编号", "类型", "状态", "vCPU", "内存 GiB", "硬盘 GiB", "网络", "IP", "备案端口", "到期日", "剩余天数"],
  en: ["filing", "type", "status", "vCPU", "memory GiB", "disks GiB", "zone", "IP", "filed ports", "ends", "days left"],
};

/** The zone, and on a stack where the VM's NIC goes: out of service on vSphere, the zone's quarantine port group. */
function networkLabel(s: ServerSpec, stack: StackConfig | undefined, lang: Lang): string {
  const zone = s.network.zone;
  const name = text(ZONE_NAMES[zone], lang);
  if (!stack || !s.vm) return name;
  const target = stack.platform === "vsphere" ? (outOfService(s.state) ? stack.quarantine : stack.networks)[zone].portGroup : bridgeLabel(stack.networks[zone]);
  return `${name} → ${target}`;
}

function bridgeLabel(n: { bridge: string; vlanId?: number }): string {
  return n.vlanId === undefined ? n.bridge : `${n.bridge}.${n.vlanId}`;
}

/** The desired state as one table per department, for people checking what a merge will build. */
export function formatPlanText(servers: readonly ServerSpec[], lang: Lang, stack?: { name: string; config: StackConfig }): string {
  const out: string[] = [];
  if (stack) {
    const platform = text(PLATFORM_NAMES[stack.config.platform], lang);
    out.push(lang === "zh" ? `堆栈 ${stack.name}：平台 ${platform}` : `Stack ${stack.name}: platform ${platform}`);
  }
  const byDepartment = groupBy(servers, (s) => s.department);
  for (const [slug, list] of [...byDepartment].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const table = new Table({ head: HEAD[lang], style: { head: [], border: [], compact: true } });
    for (const s of list) {
      table.push([
        s.id,
        text(SERVER_TYPE_NAMES[s.type], lang),
        text(standing(s), lang),
        s.resources.cpu,
        s.resources.memoryGiB,
        s.resources.disksGiB.join(" + "),
        networkLabel(s, stack?.config, lang),
        s.network.ip,
        portsWithExposure(s.network.ports, s.network.exposures, lang).join(", ") || "-",
        s.period.end,
        // A decommissioned filing's period means nothing any more.
        s.status === "active" ? s.period.daysLeft : "-",
      ]);
    }
    const inUse = list.filter((s) => s.type === "virtual" && s.status === "active");
    const cpu = inUse.reduce((n, s) => n + s.resources.cpu, 0);
    const mem = inUse.reduce((n, s) => n + s.resources.memoryGiB, 0);
    const disk = inUse.reduce((n, s) => n + s.resources.disksGiB.reduce((a, b) => a + b, 0), 0);
    out.push(`\n${list[0]!.departmentName} (${slug})`);
    out.push(table.toString());
    out.push(
      lang === "zh"
        ? `在用虚拟机 ${inUse.length} 台，合计 ${cpu} vCPU，内存 ${mem} GiB，硬盘 ${disk} GiB`
        : `${inUse.length} VMs in use: ${cpu} vCPU, ${mem} GiB memory, ${disk} GiB disk`,
    );
  }
  const vms = servers.filter((s) => s.vm).length;
  out.push(
    lang === "zh"
      ? `\n共 ${servers.length} 份备案，其中 ${vms} 台虚拟机由程序管理。`
      : `\n${servers.length} filings; ${vms} of them are VMs the program manages.`,
  );
  return `${out.join("\n")}\n`;
}

export function formatPlanJson(servers: readonly ServerSpec[]): string {
  return `${JSON.stringify(servers, null, 2)}\n`;
}
