import type { Platform, StackConfig } from "../../lib/stack-files/config";
import { proxmoxAdapter } from "./proxmox";
import type { AdapterContext, PlatformAdapter, Provisioner } from "./types";
import { vsphereAdapter } from "./vsphere";

/** One adapter per platform; the key set is lib/stack-files/config's PLATFORMS, checked by the compiler. */
export const ADAPTERS: { readonly [P in Platform]: PlatformAdapter<P> } = {
  vsphere: vsphereAdapter,
  proxmox: proxmoxAdapter,
};

export function provisionerFor(config: StackConfig, context: AdapterContext): Promise<Provisioner> {
  switch (config.platform) {
    case "vsphere":
      return ADAPTERS.vsphere(config, context);
    case "proxmox":
      return ADAPTERS.proxmox(config, context);
  }
}
