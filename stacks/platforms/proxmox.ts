import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import { FIREWALL_SUFFIX } from "../../lib/compliance/tokens";
import { proxmoxTags, vmNote } from "../../lib/plan/labels";
import type { CreatedVm, PlatformAdapter, VirtualServer } from "./types";
import type * as pulumi from "@pulumi/pulumi";

/**
 * Proxmox VE: each VM is a full clone of the site's template with the filed cores, memory and disks,
 * one NIC on the zone's bridge/VLAN, a static address by cloud-init, and — in the external zone —
 * the VM firewall on with inbound DROP except the filed ports, each from its filed sources only.
 * Nothing is looked up first (the stack file gives ids), so the adapter is async only by its type.
 */
export const proxmoxAdapter: PlatformAdapter<"proxmox"> = async (config) => {
  const { site, networks } = config;
  return {
    createVm(server: VirtualServer, parent: pulumi.Resource): CreatedVm {
      const { vm } = server;
      const network = networks[vm.zone];
      const external = vm.zone === "external";
      const machine = new proxmoxve.VmLegacy(
        vm.name,
        {
          nodeName: site.node,
          name: vm.name,
          description: vmNote(server),
          tags: proxmoxTags(server),
          clone: { vmId: site.templateVmId, full: true, datastoreId: site.datastore },
          cpu: { cores: vm.cpu, sockets: 1 },
          memory: { dedicated: vm.memoryMiB },
          disks: vm.disksGiB.map((size, i) => ({ interface: `scsi${i}`, datastoreId: site.datastore, size })),
          networkDevices: [{ bridge: network.bridge, vlanId: network.vlanId, firewall: external }],
          initialization: {
            datastoreId: site.datastore,
            ipConfigs: [{ ipv4: { address: `${vm.ip}/${vm.prefixLength}`, gateway: vm.gateway } }],
            dns: { servers: [...vm.dns] },
          },
          started: vm.power === "on",
          onBoot: vm.power === "on",
          protection: vm.protect,
        },
        // The template only matters at creation: a new template must not replace existing VMs.
        { parent, protect: vm.protect, ignoreChanges: ["clone"] },
      );
      if (external) {
        new proxmoxve.firewall.OptionsLegacy(
          `${vm.name}${FIREWALL_SUFFIX.options}`,
          { nodeName: site.node, vmId: machine.vmId, enabled: true, inputPolicy: "DROP", outputPolicy: "ACCEPT" },
          { parent: machine },
        );
        if (vm.openPorts.length > 0) {
          new proxmoxve.firewall.RulesLegacy(
            `${vm.name}${FIREWALL_SUFFIX.rules}`,
            {
              nodeName: site.node,
              vmId: machine.vmId,
              // A port with filed sources gets one rule per source: only they may reach it.
              rules: vm.openPorts.flatMap((p) =>
                (p.sources ?? [undefined]).map((source) => ({
                  type: "in",
                  action: "ACCEPT",
                  proto: p.protocol,
                  dport: String(p.port),
                  ...(source ? { source } : {}),
                  enabled: true,
                  comment: `filing ${server.id}`,
                })),
              ),
            },
            { parent: machine },
          );
        }
      }
      return { platformId: machine.vmId.apply(String) };
    },
  };
};
