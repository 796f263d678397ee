import * as pulumi from "@pulumi/pulumi";
import { FILING_COMPONENT } from "../lib/compliance/tokens";
import type { Provisioner, VirtualServer } from "./platforms/types";

/**
 * One filing's VM and whatever the platform adds to it (firewall), grouped under the filing id. Its
 * outputs are the filing's row of the stack output `servers` (`row` plus the VM's id and power): the
 * state keeps them per filing as each VM completes, so `filing up` can say what deployed after a run
 * that failed for another filing, when Pulumi writes no stack outputs at all.
 */
export class FilingServer extends pulumi.ComponentResource {
  static readonly TYPE = FILING_COMPONENT;
  declare readonly platformId: pulumi.Output<string>;
  declare readonly power: pulumi.Output<string> | undefined;

  constructor(server: VirtualServer, provisioner: Provisioner, row: Readonly<Record<string, string>>, opts?: pulumi.ComponentResourceOptions) {
    super(FilingServer.TYPE, server.id, {}, opts);
    const vm = provisioner.createVm(server, this);
    this.platformId = vm.platformId;
    this.power = vm.power;
    this.registerOutputs({ ...row, platformId: vm.platformId, ...(vm.power ? { power: vm.power } : {}) });
  }
}
