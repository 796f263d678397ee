import type { Zone } from "../filings/model";
import { msg, type Message } from "../messages";

/** The network zones as the outputs name them (the register, the plan, the pull-request comments). */
export const ZONE_NAMES: Readonly<Record<Zone, Message>> = {
  internal: msg("校内网", "internal"),
  external: msg("外网", "external"),
};
