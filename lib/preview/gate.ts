import { readRules } from "../compliance/firewall";
import { FILING_COMPONENT, FIREWALL_SUFFIX, PROXMOX_FIREWALL, VM_TYPES } from "../compliance/tokens";
import { msg, type Message } from "../messages";
import { STATUS_NAMES } from "../names";

/**
 * The destructive-change gate: in a `pulumi preview --json` digest, a step that deletes or replaces a
 * resource fails the pull-request check with the step named. Protection already stops such an update
 * of a VM; the gate says so at review time, before anyone merges, and also stops what protection does
 * not cover: a VM's firewall switched off (its options deleted) or replaced, a filing's component
 * deleted while the filing is still filed.
 *
 * One deletion is the lifecycle's own (DESIGN §4): a filing decommissioned with a recorded backup
 * leaves its VM kept but unprotected, and a later pull request that removes the file deletes it. So a
 * plain `delete` of a VM that was unprotected in the deployed state, whose filing is no longer in
 * the register, and that the platform reports powered off (or gone) when the preview was made, is a
 * removal, reported but not blocked. Anything else — a replacement, a protected VM, a VM whose filing
 * is still filed, a VM still running or whose power was not read — stays blocked.
 */

/**
 * Pulumi's destructive ops (delete, replace, create-replacement, delete-replaced, discard,
 * discard-replaced, import-replacement) and any new op that deletes or replaces; `op` is lower case.
 */
const destructive = (op: string): boolean => /delete|replace|discard/.test(op);

/**
 * The filing a non-VM resource of the program belongs to, where it goes with the filing's VM: its
 * component, or a Proxmox VM's firewall options. (Port rules need no owner: deleting them only closes ports.)
 */
function owningFiling(type: string, name: string): string | undefined {
  if (type === FILING_COMPONENT) return name;
  const suffix = FIREWALL_SUFFIX.options;
  return type === PROXMOX_FIREWALL.options && name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
}
const VM_TOKENS = new Set(Object.values(VM_TYPES));

export interface GateFinding {
  readonly op: string;
  readonly urn: string;
  readonly message: Message;
}

export interface GateResult {
  /** Steps that fail the check. */
  readonly blocked: readonly GateFinding[];
  /** Deletions of decommissioned filings' VMs whose files the change removes. */
  readonly removals: readonly GateFinding[];
}

/** `urn:pulumi:stack::project::parent$type::name` → the resource's own type and name. */
export function typeAndName(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const name = parts[parts.length - 1] ?? "";
  const chain = parts[parts.length - 2] ?? "";
  return { type: chain.split("$").pop() ?? chain, name };
}

/** A step of a document previewSteps accepted: its op (lower case) and URN are strings. */
export type JudgedStep = DigestStep & { readonly op: string; readonly urn: string };

export interface DigestStep {
  readonly op?: unknown;
  readonly urn?: unknown;
  /** apitype.ResourceV3: `protect` is left out when false. */
  readonly oldState?: { readonly protect?: unknown; readonly inputs?: unknown } | null;
  readonly newState?: { readonly inputs?: unknown } | null;
  /**
   * For a VM's delete: its power as the platform reported it during the preview (`filing preview`
   * reads it with a refresh that changes nothing, scripts/cli/engine.ts): "off", "on", "suspended",
   * "gone" (the platform no longer has it) or "unknown" (it could not be read).
   */
  readonly platformPower?: unknown;
}

type Inputs = Record<string, unknown>;

/**
 * A VM's disks by the slot they sit in (Proxmox `interface`, vSphere `label`, else their place): size;
 * a slot named twice counts at its smaller size.
 */
function disksBySlot(inputs: Inputs): Map<string, number> {
  const slots = new Map<string, number>();
  (Array.isArray(inputs.disks) ? inputs.disks : []).forEach((d, i) => {
    const disk = (d ?? {}) as { interface?: unknown; label?: unknown; size?: unknown };
    const slot = String(disk.interface ?? disk.label ?? i);
    slots.set(slot, Math.min(Number(disk.size), slots.get(slot) ?? Infinity));
  });
  return slots;
}

/** Whether the network card at each place has its firewall on. */
const cardFirewalls = (inputs: Inputs): boolean[] =>
  Array.isArray(inputs.networkDevices) ? inputs.networkDevices.map((n) => (n as { firewall?: unknown } | null)?.firewall === true) : [];

/**
 * Port rules that open more than ports one by one, as the program writes them: all ports, a range, or
 * a rule that cannot be checked (a security group, a macro), read as the policy pack reads them.
 */
function opensWide(inputs: Inputs): boolean {
  const read = readRules(inputs);
  return read.unreadable.length > 0 || read.openings.some((o) => o.ports === "all" || o.ports.some(([from, to]) => from !== to));
}

/** Proxmox's inbound policy when none is written is DROP. */
const inbound = (inputs: Inputs) => inputs.inputPolicy ?? "DROP";

/**
 * What an update would destroy or open that protection does not stop: a VM losing a disk or a disk
 * shrinking (its data gone), a VM's firewall switched off or its inbound policy no longer DROP.
 */
function destructiveUpdate(type: string, step: DigestStep): Message | undefined {
  const before = step.oldState?.inputs as Inputs | undefined;
  const after = step.newState?.inputs as Inputs | undefined;
  if (!before || !after) return undefined;
  const firewallOff = msg("防火墙将被关闭或不再默认拒绝入站连接，所有端口都会对外开放。", "its firewall would be switched off or stop dropping inbound traffic, opening every port.");
  if (VM_TOKENS.has(type)) {
    // Every disk the VM had stays in its slot, at least as large: a missing list is every disk gone.
    const [was, now] = [disksBySlot(before), disksBySlot(after)];
    if ([...was].some(([slot, size]) => !(now.get(slot)! >= size))) {
      const sizes = (m: Map<string, number>) => [...m.values()].join("+") || "0";
      return msg(`硬盘将被删除、缩小或换位（${sizes(was)} → ${sizes(now)} GiB），其中的数据会丢失。`, `a disk would be removed, shrunk or moved (${sizes(was)} → ${sizes(now)} GiB), losing its data.`);
    }
    const [cardsBefore, cardsAfter] = [cardFirewalls(before), cardFirewalls(after)];
    if (cardsBefore.some((on, i) => on && cardsAfter[i] !== true)) return firewallOff;
  }
  if (type === PROXMOX_FIREWALL.options && ((before.enabled === true && after.enabled !== true) || (inbound(before) === "DROP" && inbound(after) !== "DROP"))) return firewallOff;
  if (type === PROXMOX_FIREWALL.rules && opensWide(after) && !opensWide(before)) {
    return msg("防火墙规则将放行所有端口、整个端口范围或无法核对的规则（安全组、宏）。", "its firewall rules would accept every port, a port range, or a rule that cannot be checked (a security group, a macro).");
  }
  return undefined;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The steps of a `pulumi preview --json` document, or why it is not one that can be judged. A
 * preview always has the stack's own root step; `{}`, `[]`, `null` or a run that only reported
 * errors has none, and passing it would let a preview nobody saw pass the gate.
 */
export function previewSteps(digest: unknown): { steps: JudgedStep[] } | { malformed: Message } | { failed: Message } {
  const bad = (zh: string, en: string) => ({ malformed: msg(`预览结果不是 pulumi preview --json 的输出：${zh}。无法判断，检查失败。`, `The file is not the output of pulumi preview --json: ${en}. It cannot be judged; the check fails.`) });
  if (typeof digest !== "object" || digest === null || Array.isArray(digest)) return bad("应为一个 JSON 对象", "it must be a JSON object");
  const { steps, diagnostics } = digest as { steps?: unknown; diagnostics?: unknown };
  if (diagnostics !== undefined && !Array.isArray(diagnostics)) return bad("diagnostics 应为列表", "diagnostics must be a list");
  const errors = ((diagnostics as unknown[] | undefined) ?? []).filter((d) => (d as { severity?: unknown } | null)?.severity === "error");
  if (errors.length > 0) {
    const first = String((errors[0] as { message?: unknown }).message ?? "").trim().split("\n")[0]!.slice(0, 300);
    return { failed: msg(`预览报告了 ${errors.length} 个错误，没有完成：${first}`, `The preview reported ${errors.length} errors and did not complete: ${first}`) };
  }
  if (!Array.isArray(steps)) return bad("缺少步骤列表 steps", "it has no steps list");
  for (const [i, step] of steps.entries()) {
    const { op, urn } = (step ?? {}) as DigestStep;
    if (typeof op !== "string" || typeof urn !== "string") return bad(`第 ${i + 1} 个步骤缺少 op 或 urn`, `step ${i + 1} has no op or urn`);
  }
  const judged = (steps as JudgedStep[]).map((st) => ({ ...st, op: st.op.toLowerCase() }));
  if (!judged.some((st) => typeAndName(st.urn).type === STACK_TYPE)) {
    return bad(`没有堆栈本身的步骤（${STACK_TYPE}）`, `it has no step for the stack itself (${STACK_TYPE})`);
  }
  return { steps: judged };
}

/**
 * `filedIds`: the filing ids in the register the preview was made from (the pull request's head).
 * Expects the steps of a document previewSteps accepted.
 */
export function gatePreview(steps: readonly JudgedStep[], filedIds: ReadonlySet<string>): GateResult {
  const blocked: GateFinding[] = [];
  const removals: GateFinding[] = [];
  /** VMs whose deletion is a removal, allowed or blocked on its power alone. */
  const judged = new Set<string>();
  const others: { op: string; urn: string; type: string; name: string }[] = [];
  for (const s of steps) {
    const { op, urn } = s;
    if (op === "update") {
      const { type, name } = typeAndName(urn);
      const why = destructiveUpdate(type, s);
      if (why) {
        blocked.push({
          op,
          urn,
          message: msg(`资源 ${name} 的更新不可接受：${why.zh}请修改程序或备案，使其不再如此。`, `The update of ${name} is not acceptable: ${why.en} Change the program or the filing so that it does not.`),
        });
      }
      continue;
    }
    if (!destructive(op)) continue;
    const { type, name } = typeAndName(urn);
    // A provider goes when nothing uses it, and is replaced with its resources, whose own steps are judged.
    if (type.startsWith("pulumi:providers:")) continue;
    if (!VM_TOKENS.has(type)) {
      others.push({ op, urn, type, name });
      continue;
    }
    const unprotected = typeof s.oldState === "object" && s.oldState !== null && s.oldState.protect !== true;
    if (op === "delete" && unprotected && !filedIds.has(name) && s.platformPower !== "off" && s.platformPower !== "gone") {
      judged.add(name);
      const read = s.platformPower === undefined || s.platformPower === "unknown";
      blocked.push({
        op,
        urn,
        message: msg(
          `虚拟机 ${name} 将被删除，但${read ? "预览没有从平台读到它的电源状态" : `平台报告它仍在运行（${String(s.platformPower)}）`}。只有已关机的虚拟机才能删除：请先关机（vSphere 在 vCenter 中手动关机），再重新运行检查${read ? "（检查须用 filing preview --json 生成的预览，它会读取电源状态）" : ""}。`,
          `VM ${name} would be deleted, but ${read ? "the preview did not read its power from the platform" : `the platform reports it still running (${String(s.platformPower)})`}. Only a VM that is off may be deleted: power it off (on vSphere, by hand in vCenter), then run the check again${read ? " (on a preview made by filing preview --json, which reads the power)" : ""}.`,
        ),
      });
      continue;
    }
    if (op === "delete" && unprotected && !filedIds.has(name)) {
      judged.add(name);
      removals.push({
        op,
        urn,
        message: msg(
          `虚拟机 ${name} 将被删除：其备案${STATUS_NAMES.decommissioned.zh}（已记录备份），本次变更删除了备案文件。`,
          `VM ${name} will be deleted: its filing was decommissioned (backup recorded) and this change removes the file.`,
        ),
      });
      continue;
    }
    const replaced = op.includes("replace");
    // A plain delete says which of the two conditions for a removal is missing.
    const why = op !== "delete"
      ? undefined
      : filedIds.has(name)
        ? msg(`备案 ${name} 仍在登记中，不应删除其虚拟机。`, `Filing ${name} is still in the register, so its VM must not be deleted.`)
        : msg("该虚拟机仍受保护，说明其备案未经下线流程。", "The VM is still protected, so its filing never went through decommissioning.");
    blocked.push({
      op,
      urn,
      message: msg(
        `虚拟机 ${name} 将被${replaced ? "替换（先删后建，数据会丢失）" : "删除"}（步骤 ${op}）。${why?.zh ?? ""}只有先下线（记录备份）、再删除备案文件时才能删除虚拟机；否则请修改程序或备案，使其不再删除或替换虚拟机。`,
        `VM ${name} would be ${replaced ? "replaced (its data lost)" : "deleted"} (step ${op}). ${why ? `${why.en} ` : ""}A VM may only be deleted after its filing was decommissioned (backup recorded) and then its file removed; otherwise change the program or the filing so that no VM is deleted or replaced.`,
      ),
    });
  }
  for (const { op, urn, type, name } of others) {
    const owner = owningFiling(type, name);
    // What goes with a removed VM (its component, its firewall) goes with it, and is judged with it.
    if (op === "delete" && owner !== undefined && judged.has(owner)) continue;
    // Deleting the port rules closes every port; the firewall's DROP policy (its options) stays.
    if (op === "delete" && type === PROXMOX_FIREWALL.rules) continue;
    const firewallOff = type === PROXMOX_FIREWALL.options && op === "delete";
    blocked.push({
      op,
      urn,
      message: firewallOff
        ? msg(
          `虚拟机 ${owner ?? name} 的防火墙将被关闭（删除 ${name}，步骤 ${op}），所有端口都会对外开放。只有随${STATUS_NAMES.decommissioned.zh}备案的虚拟机一起才能删除；请修改程序或备案，使防火墙保留。`,
          `The firewall of VM ${owner ?? name} would be switched off (${name} deleted, step ${op}), opening every port. It may only go with a decommissioned filing's VM; change the program or the filing so that the firewall stays.`,
        )
        : msg(
          `资源 ${name}（${type}）将被${op.includes("replace") ? "替换" : "删除"}（步骤 ${op}）。只有随${STATUS_NAMES.decommissioned.zh}备案的虚拟机一起才能删除它；请修改程序或备案，使其不再删除或替换。`,
          `Resource ${name} (${type}) would be ${op.includes("replace") ? "replaced" : "deleted"} (step ${op}). It may only go with a decommissioned filing's VM; change the program or the filing so that it is not deleted or replaced.`,
        ),
    });
  }
  return { blocked, removals };
}

/** The gate's verdict in one line, for the check's log and the preview comment. */
export function gateVerdict(gate: GateResult): { readonly passed: boolean; readonly message: Message } {
  const n = gate.blocked.length;
  const removed = gate.removals.length;
  if (n > 0) return { passed: false, message: msg(`${n} 个步骤会删除或替换资源，检查失败。`, `${n} steps delete or replace a resource; the check fails.`) };
  if (removed > 0) {
    return {
      passed: true,
      message: msg(
        `只删除 ${removed} 台${STATUS_NAMES.decommissioned.zh}备案的虚拟机，没有其他删除或替换资源的步骤。`,
        `Only ${removed} decommissioned filings' VMs are deleted (with their firewalls); nothing else is deleted or replaced.`,
      ),
    };
  }
  return { passed: true, message: msg("预览中没有删除或替换资源的步骤。", "The preview deletes or replaces nothing.") };
}
