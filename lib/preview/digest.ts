import { POWER_OUTPUTS } from "../compliance/observed";
import { vmPlatform } from "../compliance/tokens";
/**
 * The engine's events (Automation API `onEvent`) as the document `pulumi preview --json` prints:
 * `{steps: [{op, urn, oldState: {protect}}], diagnostics: [{severity, message, urn}], changeSummary}`.
 * `filing preview --json` prints it, so the destructive-change gate (gate.ts) reads one shape whether
 * the preview came from `filing preview` or from the bare CLI. With `states`, a changed step also
 * carries the old state's outputs and the new inputs, as `pulumi preview --json` does, and an
 * unchanged one its power outputs alone (after a refresh, what the platform reports): what
 * `filing drift` compares (lib/operations/drift.ts).
 */
interface StateLike {
  readonly protect?: unknown;
  readonly inputs?: unknown;
  readonly outputs?: unknown;
}
interface StepMetadataLike {
  readonly op?: unknown;
  readonly urn?: unknown;
  readonly type?: unknown;
  readonly old?: StateLike | null;
  readonly new?: StateLike | null;
}
export interface EngineEventLike {
  readonly resourcePreEvent?: { readonly metadata?: StepMetadataLike };
  /** After a step: `new` holds what the provider returned (for a refresh, what the platform reports). */
  readonly resOutputsEvent?: { readonly metadata?: StepMetadataLike };
  readonly diagnosticEvent?: { readonly severity?: unknown; readonly message?: unknown; readonly urn?: unknown };
}

type Props = Record<string, unknown>;
export interface PreviewDigest {
  readonly steps: { op: string; urn: string; oldState?: { protect?: boolean; inputs?: Props; outputs?: Props }; newState?: { inputs?: Props }; platformPower?: string }[];
  readonly diagnostics: { severity: string; message: string; urn?: string }[];
  readonly changeSummary: Record<string, number>;
}

/** The outputs where the providers report power (vSphere `powerState`, Proxmox `started`), when there are any. */
function powerOutputs(outputs: Props | undefined): Props | undefined {
  const kept = Object.fromEntries(POWER_OUTPUTS.filter((k) => outputs !== undefined && k in outputs).map((k) => [k, outputs![k]]));
  return Object.keys(kept).length > 0 ? kept : undefined;
}

const props = (value: unknown): Props | undefined => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined);

/**
 * `platformPower`: per VM URN, its power as a refresh that changes nothing read it (refreshedPower);
 * it goes on that VM's delete step, for the gate.
 */
export function previewDigest(
  events: readonly EngineEventLike[],
  changeSummary: Readonly<Record<string, number>> = {},
  options: { states?: boolean; platformPower?: ReadonlyMap<string, string> } = {},
): PreviewDigest {
  const steps: PreviewDigest["steps"] = [];
  const diagnostics: PreviewDigest["diagnostics"] = [];
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (m && typeof m.op === "string" && typeof m.urn === "string") {
      // ResourceV3 leaves `protect` out when false; so do we.
      const step: PreviewDigest["steps"][number] = { op: m.op, urn: m.urn, ...(m.old ? { oldState: m.old.protect === true ? { protect: true } : {} } : {}) };
      if (options.states && m.op !== "same") {
        if (m.old) step.oldState = { ...step.oldState, inputs: props(m.old.inputs), outputs: props(m.old.outputs) };
        if (m.new) step.newState = { inputs: props(m.new.inputs) };
      } else if (options.states && m.old) {
        const power = powerOutputs(props(m.old.outputs));
        if (power) step.oldState = { ...step.oldState, outputs: power };
      }
      const power = m.op === "delete" ? options.platformPower?.get(m.urn) : undefined;
      if (power !== undefined) step.platformPower = power;
      steps.push(step);
    }
    const d = e.diagnosticEvent;
    if (d && typeof d.severity === "string" && typeof d.message === "string") {
      diagnostics.push({ severity: d.severity, message: d.message, ...(typeof d.urn === "string" && d.urn ? { urn: d.urn } : {}) });
    }
  }
  return { steps, diagnostics, changeSummary: { ...changeSummary } };
}

/**
 * A refresh's events (`previewRefresh`, which writes nothing) → per VM URN its power as the platform
 * reported it: "on", "off", "suspended", "gone" when the platform no longer has it, "unknown" when
 * the refresh said nothing readable. URNs the refresh never reached are absent.
 */
export function refreshedPower(events: readonly EngineEventLike[]): Map<string, string> {
  const power = new Map<string, string>();
  for (const e of events) {
    const m = e.resOutputsEvent?.metadata;
    if (!m || typeof m.urn !== "string" || typeof m.type !== "string" || !vmPlatform(m.type)) continue;
    if (m.op === "delete") {
      power.set(m.urn, "gone");
      continue;
    }
    const outputs = props(m.new?.outputs) ?? {};
    const reported = outputs.powerState ?? (typeof outputs.started === "boolean" ? (outputs.started ? "on" : "off") : undefined);
    power.set(m.urn, typeof reported === "string" && reported !== "" ? reported : "unknown");
  }
  return power;
}
