import { msg } from "../messages";
import { totalDiskGiB } from "../filings/facts";
import { at, type FilingRule } from "./types";

export const vmLimits: FilingRule = {
  scope: "filing",
  id: "vm-limits",
  severity: "error",
  check(f, ctx) {
    if (f.filing.type !== "virtual") return [];
    const max = ctx.config.limits.perVm;
    const r = f.filing.resources;
    const found = [];
    if (r.cpu > max.cpu) {
      found.push(at(f, ["resources", "cpu"], msg(
        `CPU 为 ${r.cpu} 核，超过单台虚拟机上限 ${max.cpu} 核。`,
        `resources.cpu is ${r.cpu}, above the per-VM maximum of ${max.cpu}.`,
      )));
    }
    if (r.memoryGiB > max.memoryGiB) {
      found.push(at(f, ["resources", "memoryGiB"], msg(
        `内存为 ${r.memoryGiB} GiB，超过单台虚拟机上限 ${max.memoryGiB} GiB。`,
        `resources.memoryGiB is ${r.memoryGiB}, above the per-VM maximum of ${max.memoryGiB}.`,
      )));
    }
    if (r.disks.length > max.disks) {
      found.push(at(f, ["resources", "disks"], msg(
        `硬盘为 ${r.disks.length} 块，超过单台虚拟机上限 ${max.disks} 块。`,
        `resources.disks has ${r.disks.length} disks, above the per-VM maximum of ${max.disks}.`,
      ), { at: "key" }));
    }
    const total = totalDiskGiB(r.disks);
    if (total > max.diskGiB) {
      found.push(at(f, ["resources", "disks"], msg(
        `硬盘合计 ${total} GiB，超过单台虚拟机上限 ${max.diskGiB} GiB。`,
        `resources.disks total ${total} GiB, above the per-VM maximum of ${max.diskGiB} GiB.`,
      ), { at: "key" }));
    }
    return found;
  },
};
