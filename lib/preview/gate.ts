import { VM_TYPES } from "../compliance/tokens";
import { msg, type Message } from "../messages";

/**
 * The destructive-change gate: in a `pulumi preview --json` digest, any step that deletes or
 * replaces a VM fails the pull-request check with the step named. Protection already stops such an
 * update; the gate says so at review time, before anyone merges.
 */

const DESTRUCTIVE = new Set(["delete", "replace", "create-replacement", "delete-replaced", "discard", "discard-replaced", "import-replacement"]);
const VM_TOKENS = new Set(Object.values(VM_TYPES));

export interface GateFinding {
  readonly op: string;
  readonly urn: string;
  readonly message: Message;
}

/** `urn:pulumi:stack::project::parent$type::name` → the resource's own type and name. */
export function typeAndName(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const name = parts[parts.length - 1] ?? "";
  const chain = parts[parts.length - 2] ?? "";
  return { type: chain.split("$").pop() ?? chain, name };
}

export function destructiveSteps(digest: unknown): GateFinding[] {
  const steps = typeof digest === "object" && digest !== null && Array.isArray((digest as { steps?: unknown }).steps) ? (digest as { steps: unknown[] }).steps : [];
  const out: GateFinding[] = [];
  for (const s of steps) {
    const op = typeof (s as { op?: unknown })?.op === "string" ? (s as { op: string }).op : "";
    const urn = typeof (s as { urn?: unknown })?.urn === "string" ? (s as { urn: string }).urn : "";
    if (!DESTRUCTIVE.has(op)) continue;
    const { type, name } = typeAndName(urn);
    if (!VM_TOKENS.has(type)) continue;
    out.push({
      op,
      urn,
      message: msg(
        `虚拟机 ${name} 将被${op.includes("replace") ? "替换（先删后建，数据会丢失）" : "删除"}（步骤 ${op}）。请确认这是已下线备案的删除；否则请修改程序或备案，使其不再删除或替换虚拟机。`,
        `VM ${name} would be ${op.includes("replace") ? "replaced (its data lost)" : "deleted"} (step ${op}). Confirm this is the removal of a decommissioned filing; otherwise change the program or the filing so that no VM is deleted or replaced.`,
      ),
    });
  }
  return out;
}
