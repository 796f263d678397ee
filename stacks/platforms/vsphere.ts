import * as pulumi from "@pulumi/pulumi";
import { msg } from "../../lib/messages";
import { STATE_NAMES } from "../../lib/names";
import { VSPHERE_ATTRIBUTES, vmNote, vsphereAttributeValues, type VsphereAttribute } from "../../lib/plan/labels";
import * as vsphere from "../vsphere/sdk";
import type { CreatedVm, PlatformAdapter, VirtualServer } from "./types";
import type { Zone } from "../../lib/filings/model";

/** SCSI unit 7 is the controller's own; disks skip it. */
const unitNumber = (i: number): number => (i < 7 ? i : i + 1);

/**
 * vSphere: site objects are looked up once per stack; each VM is cloned from the template with guest
 * customization for host name and static IP, and carries its filing in custom attributes and the
 * annotation. The provider cannot power a VM off (its power state is read-only): an expired VM past
 * its grace period is taken off the network instead (quarantine port group), and a decommissioned VM
 * is reported for manual power-off.
 */
export const vsphereAdapter: PlatformAdapter<"vsphere"> = (config, notify) => {
  const { site, networks, quarantine } = config;
  const datacenterId = vsphere.getDatacenter({ name: site.datacenter }).id;
  const cluster = vsphere.getComputeCluster({ name: site.cluster, datacenterId });
  const datastore = vsphere.getDatastore({ name: site.datastore, datacenterId });
  const networkIds = {
    internal: vsphere.getNetwork({ name: networks.internal.portGroup, datacenterId }).id,
    external: vsphere.getNetwork({ name: networks.external.portGroup, datacenterId }).id,
  };
  const template = vsphere.getVirtualMachine({ name: site.template, datacenterId });
  // Looked up only when a VM needs it: a site with no expired filing need not have the port groups yet.
  const quarantineIds: Partial<Record<Zone, pulumi.Output<string>>> = {};
  const quarantined = (zone: Zone) => (quarantineIds[zone] ??= vsphere.getNetwork({ name: quarantine[zone].portGroup, datacenterId }).id);
  // Attribute definitions are vCenter-wide; protected because deleting one erases it from every VM.
  // One stack per vCenter manages them; the others on the same vCenter look them up by name
  // (server-filings:customAttributes: lookup), since vCenter refuses a second definition of a name.
  const attributes = Object.fromEntries(
    (Object.keys(VSPHERE_ATTRIBUTES) as VsphereAttribute[]).map((k) => [
      k,
      config.customAttributes === "lookup"
        ? vsphere.getCustomAttribute({ name: VSPHERE_ATTRIBUTES[k] }).id
        : new vsphere.CustomAttribute(VSPHERE_ATTRIBUTES[k], { name: VSPHERE_ATTRIBUTES[k], managedObjectType: "VirtualMachine" }, { protect: true }).id,
    ]),
  ) as Record<VsphereAttribute, pulumi.Output<string>>;

  return {
    createVm(server: VirtualServer, parent: pulumi.Resource): CreatedVm {
      const { vm } = server;
      const values = vsphereAttributeValues(server);
      const customAttributes = pulumi
        .all((Object.keys(attributes) as VsphereAttribute[]).map((k) => attributes[k].apply((id) => [id, values[k]] as const)))
        .apply((pairs) => Object.fromEntries(pairs));
      const machine = new vsphere.VirtualMachine(
        vm.name,
        {
          name: vm.name,
          resourcePoolId: cluster.resourcePoolId,
          datastoreId: datastore.id,
          folder: site.folder,
          numCpus: vm.cpu,
          memory: vm.memoryMiB,
          guestId: template.guestId,
          scsiType: template.scsiType,
          firmware: template.firmware,
          // Past the grace period the NIC moves to the quarantine port group: the provider cannot power
          // a VM off, but it can close its network service (the sanction the security duties name).
          networkInterfaces: [
            { networkId: server.state === "expired" ? quarantined(vm.zone) : networkIds[vm.zone], adapterType: template.apply((t) => t.networkInterfaceTypes?.[0] ?? "vmxnet3") },
          ],
          disks: vm.disksGiB.map((size, i) => ({
            label: `disk${i}`,
            size,
            unitNumber: unitNumber(i),
            thinProvisioned: template.apply((t) => t.disks?.[0]?.thinProvisioned ?? true),
          })),
          clone: {
            templateUuid: template.id,
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
        },
        // The template only matters at creation: a new template must not replace existing VMs.
        { parent, protect: vm.protect, ignoreChanges: ["clone"] },
      );
      if (server.state === "expired") {
        notify(
          msg(
            `${server.id}：备案已过期且超过宽限期，网卡已移入隔离端口组 ${quarantine[vm.zone].portGroup}（暂停网络服务，数据保留）。续期合并后自动恢复。`,
            `${server.id}: the filing expired and its grace period is over; the NIC is moved to the quarantine port group ${quarantine[vm.zone].portGroup} (network service closed, data kept). A merged renewal restores it.`,
          ),
          machine,
        );
      } else if (vm.power === "off") {
        notify(
          msg(
            `${server.id}：应关机（${STATE_NAMES.decommissioned.zh}），vSphere 提供程序不能控制电源，请在 vCenter 中关机，再运行 pulumi refresh。`,
            `${server.id}: should be powered off (${STATE_NAMES.decommissioned.en}); the vSphere provider cannot change power state — power it off in vCenter, then run pulumi refresh.`,
          ),
          machine,
        );
      }
      // Power as vCenter reports it ("on", "off", "suspended"): never assumed from the filing.
      return { platformId: machine.id.apply(String), power: machine.powerState };
    },
  };
};
