import * as pulumi from "@pulumi/pulumi";
import { FILING_COMPONENT } from "../lib/compliance/tokens";
import type { Provisioner, VirtualServer } from "./platforms/types";

/** One filing's VM and whatever the platform adds to it (firewall), grouped under the filing id. */
export class FilingServer extends pulumi.ComponentResource {
  static readonly TYPE = FILING_COMPONENT;
  declare readonly platformId: pulumi.Output<string>;
  declare readonly power: pulumi.Output<string> | undefined;

  constructor(server: VirtualServer, provisioner: Provisioner, opts?: pulumi.ComponentResourceOptions) {
    super(FilingServer.TYPE, server.id, {}, opts);
    const vm = provisioner.createVm(server, this);
    this.platformId = vm.platformId;
    this.power = vm.power;
    this.registerOutputs({ platformId: vm.platformId, ...(vm.power ? { power: vm.power } : {}) });
  }
}
