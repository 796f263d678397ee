import * as pulumi from "@pulumi/pulumi";
import { ConfigurationError } from "../../lib/errors";
import { msg } from "../../lib/messages";
import { STATE_NAMES } from "../../lib/names";
import { VSPHERE_ATTRIBUTES, vmNote, vsphereAttributeValues, type VsphereAttribute } from "../../lib/plan/labels";
import * as vsphere from "../vsphere/sdk";
import { FILE_START } from "../../lib/problems";
import type { Position } from "../../lib/yaml/strict";
import { stackOfFile } from "../../lib/stack-files/file";
import { attributeLookup, isNotFound, missingByKey, missingInVcenter, portGroupLookup, siteLookup, type VsphereLookup } from "../../lib/stack-files/vsphere-lookups";
import type { CreatedVm, PlatformAdapter, StackWhere, VirtualServer } from "./types";
import type { Zone } from "../../lib/filings/model";
import { outOfService } from "../../lib/plan/servers";

/** SCSI unit 7 is the controller's own; disks skip it. */
const unitNumber = (i: number): number => (i < 7 ? i : i + 1);

const ZONES: readonly Zone[] = ["internal", "external"];
const ATTRIBUTES = Object.keys(VSPHERE_ATTRIBUTES) as VsphereAttribute[];

/**
 * vSphere: site objects are looked up once per stack, all before anything is registered; each VM is
 * cloned from the template with guest customization for host name and static IP, and carries its
 * filing in custom attributes and the annotation. The provider cannot power a VM off (its power
 * state is read-only): a VM out of service (expired past its grace period, or decommissioned) is
 * taken off the network instead (its zone's quarantine port group), and a decommissioned VM is
 * reported for power-off in vCenter until the platform says it is off.
 */
export const vsphereAdapter: PlatformAdapter<"vsphere"> = async (config, { notify, servers, stack, off }) => {
  const { site, networks, quarantine } = config;
  const { find, stopIfMissing } = lookups(stack);
  const datacenter = await find(siteLookup("datacenter", site.datacenter), (name) => vsphere.getDatacenter({ name }));
  stopIfMissing();
  const datacenterId = datacenter!.id;
  const network = (name: string) => vsphere.getNetwork({ name, datacenterId });
  // Quarantine port groups only for the zones with a VM out of service: a site with none need not have them yet.
  const quarantined = ZONES.filter((zone) => servers.some((s) => outOfService(s.state) && s.vm.zone === zone));
  const [cluster, datastore, template, internal, external, quarantineIds, lookedUp] = await Promise.all([
    find(siteLookup("cluster", site.cluster), (name) => vsphere.getComputeCluster({ name, datacenterId })),
    find(siteLookup("datastore", site.datastore), (name) => vsphere.getDatastore({ name, datacenterId })),
    find(siteLookup("template", site.template), (name) => vsphere.getVirtualMachine({ name, datacenterId })),
    find(portGroupLookup("networks", "internal", networks.internal.portGroup), network),
    find(portGroupLookup("networks", "external", networks.external.portGroup), network),
    Promise.all(quarantined.map(async (zone) => [zone, (await find(portGroupLookup("quarantine", zone, quarantine[zone].portGroup), network))?.id] as const)),
    config.customAttributes === "lookup" ? Promise.all(ATTRIBUTES.map((k) => find(attributeLookup(VSPHERE_ATTRIBUTES[k]), (name) => vsphere.getCustomAttribute({ name })))) : undefined,
  ]);
  stopIfMissing();
  const networkIds: Record<Zone, string> = { internal: internal!.id, external: external!.id };
  const quarantineId = Object.fromEntries(quarantineIds) as Partial<Record<Zone, string>>;
  // Attribute definitions are vCenter-wide; protected because deleting one erases it from every VM.
  // One stack per vCenter manages them; the others on the same vCenter look them up by name
  // (server-filings:customAttributes: lookup), since vCenter refuses a second definition of a name.
  const attributes = Object.fromEntries(
    ATTRIBUTES.map((k, i) => [
      k,
      lookedUp
        ? pulumi.output(lookedUp[i]!.id)
        : new vsphere.CustomAttribute(VSPHERE_ATTRIBUTES[k], { name: VSPHERE_ATTRIBUTES[k], managedObjectType: "VirtualMachine" }, { protect: true }).id,
    ]),
  ) as Record<VsphereAttribute, pulumi.Output<string>>;

  return {
    createVm(server: VirtualServer, parent: pulumi.Resource): CreatedVm {
      const { vm } = server;
      const frozen = server.state === "decommissioned" && off?.has(server.id) === true;
      const values = vsphereAttributeValues(server);
      const customAttributes = pulumi
        .all(ATTRIBUTES.map((k) => attributes[k].apply((id) => [id, values[k]] as const)))
        .apply((pairs) => Object.fromEntries(pairs));
      const inputs: vsphere.VirtualMachineArgs = {
        name: vm.name,
        resourcePoolId: cluster!.resourcePoolId,
        datastoreId: datastore!.id,
        folder: site.folder,
        numCpus: vm.cpu,
        memory: vm.memoryMiB,
        guestId: template!.guestId,
        scsiType: template!.scsiType,
        firmware: template!.firmware,
        // Out of service, the NIC moves to the quarantine port group: the provider cannot power a VM
        // off, but it can close its network service (the sanction the security duties name).
        networkInterfaces: [{ networkId: outOfService(server.state) ? quarantineId[vm.zone]! : networkIds[vm.zone], adapterType: template!.networkInterfaceTypes?.[0] ?? "vmxnet3" }],
        disks: vm.disksGiB.map((size, i) => ({
          label: `disk${i}`,
          size,
          unitNumber: unitNumber(i),
          thinProvisioned: template!.disks?.[0]?.thinProvisioned ?? true,
        })),
        clone: {
          templateUuid: template!.id,
          customize: {
            linuxOptions: { hostName: vm.name, domain: site.domain },
            networkInterfaces: [{ ipv4Address: vm.ip, ipv4Netmask: vm.prefixLength }],
            ipv4Gateway: vm.gateway,
            dnsServerLists: [...vm.dns],
            dnsSuffixLists: [site.domain],
          },
        },
        annotation: vmNote(server),
        customAttributes,
      };
      // The template only matters at creation: a new template must not replace existing VMs. A
      // decommissioned VM that vCenter reports off ignores changes to every input it is given: the
      // provider powers a VM on after any reconfigure, so even an annotation's update would start a
      // server the information center has switched off.
      const machine = new vsphere.VirtualMachine(vm.name, inputs, { parent, protect: vm.protect, ignoreChanges: frozen ? Object.keys(inputs) : ["clone"] });
      if (server.state === "expired") {
        notify(
          msg(
            `${server.id}：备案已过期且超过宽限期，网卡已移入隔离端口组 ${quarantine[vm.zone].portGroup}（暂停网络服务，数据保留）。续期合并后自动恢复。`,
            `${server.id}: the filing expired and its grace period is over; the NIC is moved to the quarantine port group ${quarantine[vm.zone].portGroup} (network service closed, data kept). A merged renewal restores it.`,
          ),
          machine,
        );
      } else if (frozen) {
        notify(
          msg(
            `${server.id}：${STATE_NAMES.decommissioned.zh}，vCenter 报告已关机。部署不再改动这台虚拟机（vSphere 提供程序每次更新都会把它开机）；可以提交删除备案文件的变更。`,
            `${server.id}: ${STATE_NAMES.decommissioned.en}, and vCenter reports it off. Deploys leave this VM as it is (the vSphere provider powers a VM on after any update); its file may now be removed.`,
          ),
          machine,
        );
      } else if (server.state === "decommissioned") {
        // Said while vCenter reports it running (read at each deploy: scripts/cli/engine.ts refreshes
        // decommissioned VMs first); once it is off, there is nothing left to do but remove the file.
        machine.powerState.apply((power) => {
          if (power === "off") return;
          notify(
            msg(
              `${server.id}：${STATE_NAMES.decommissioned.zh}，网卡在隔离端口组 ${quarantine[vm.zone].portGroup}（暂停网络服务，数据保留）；电源状态为 ${power}。vSphere 提供程序不能关机：请在 vCenter 中关机。关机后即可提交删除备案文件的变更（预览会从 vCenter 读取电源状态）。`,
              `${server.id}: ${STATE_NAMES.decommissioned.en}; the NIC is on the quarantine port group ${quarantine[vm.zone].portGroup} (network service closed, data kept); its power is ${power}. The vSphere provider cannot power VMs off: power it off in vCenter. Once it is off, the file may be removed (the preview reads the power from vCenter).`,
            ),
            machine,
          );
        });
      }
      // Power as vCenter reports it ("on", "off", "suspended"): never assumed from the filing.
      return { platformId: machine.id.apply(String), power: machine.powerState };
    },
  };
};

/**
 * Runs the site's lookups and collects every name vCenter does not have, so that one run names them
 * all; `stopIfMissing` then stops the program with a line per stack-file key, before anything is
 * registered. A lookup that fails otherwise (vCenter refused the sign-in, or did not answer) stops
 * it with the provider's own error, which `filing` explains (scripts/cli/engine.ts).
 */
function lookups(stack: StackWhere) {
  const missing: { lookup: VsphereLookup; at: Position; order: number }[] = [];
  const locate = stack.locate ?? (() => FILE_START);
  let issued = 0;
  return {
    async find<T>(lookup: VsphereLookup, call: (name: string) => Promise<T>): Promise<T | undefined> {
      // The names under one key in the order asked, not the order vCenter answered in.
      const order = issued++;
      try {
        return await call(lookup.name);
      } catch (e) {
        if (!isNotFound(e instanceof Error ? e.message : String(e))) throw e;
        missing.push({ lookup, at: locate(lookup.path, "value"), order });
        return undefined;
      }
    },
    stopIfMissing(): void {
      if (missing.length === 0) return;
      const lines = missingByKey(missing.sort((a, b) => a.order - b.order)).map((m) => missingInVcenter(stackOfFile(stack.file), stack.file, m.at, m.missing));
      throw new ConfigurationError(msg(lines.map((m) => m.zh).join("\n"), lines.map((m) => m.en).join("\n")));
    },
  };
}
