import Table from "cli-table3";
import { text, type Lang } from "../messages";
import type { ServerSpec } from "../plan/servers";
import { ZONE_NAMES } from "../names";

/** One VM as a platform reports it, in the filings' units (the simulator's read-back, for one). */
export interface ReadBackVm {
  readonly name: string;
  readonly numCpus: number;
  readonly memoryMiB: number;
  readonly disksGiB: readonly number[];
  readonly networks: readonly string[];
  readonly ip: string;
  readonly customAttributes: Readonly<Record<string, string>>;
  readonly powerState: string;
}

const HEAD: Record<Lang, string[]> = {
  zh: ["备案编号", "部门", "vCPU", "内存 GiB", "硬盘 GiB", "网络", "IP", "电源"],
  en: ["filing", "department", "vCPU", "memory GiB", "disks GiB", "zone", "IP", "power"],
};

const POWER: Record<Lang, Record<string, string>> = {
  zh: { poweredOn: "开机", poweredOff: "关机", suspended: "挂起" },
  en: { poweredOn: "on", poweredOff: "off", suspended: "suspended" },
};

/**
 * What a platform holds, as a table: the department from the VM's own attribute (its name from the
 * register), the zone from the port group the NIC is on (`zoneOf`: port group → zone or "quarantine").
 */
export function formatReadBack(vms: readonly ReadBackVm[], servers: readonly ServerSpec[], zoneOf: Readonly<Record<string, string>>, lang: Lang): string {
  const names = new Map(servers.map((s) => [s.department, s.departmentName]));
  const table = new Table({ head: HEAD[lang], style: { head: [], border: [], compact: true } });
  for (const vm of vms) {
    const department = vm.customAttributes["filing-department"] ?? "";
    const zones = vm.networks.map((n) => {
      const zone = zoneOf[n];
      if (zone === "internal" || zone === "external") return text(ZONE_NAMES[zone], lang);
      if (zone === "quarantine") return lang === "zh" ? "隔离" : "quarantine";
      return n || "—";
    });
    table.push([
      vm.name,
      names.get(department) ?? department,
      String(vm.numCpus),
      String(vm.memoryMiB / 1024),
      vm.disksGiB.join(" + "),
      zones.join(", "),
      vm.ip || "—",
      POWER[lang][vm.powerState] ?? vm.powerState,
    ]);
  }
  const total = lang === "zh" ? `共 ${vms.length} 台虚拟机` : `${vms.length} VMs`;
  return `${table.toString()}\n${total}\n`;
}
