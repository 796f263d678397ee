/**
 * The engine's events (Automation API `onEvent`) as the document `pulumi preview --json` prints:
 * `{steps: [{op, urn, oldState: {protect}}], diagnostics: [{severity, message, urn}], changeSummary}`.
 * `filing preview --json` prints it, so the destructive-change gate (gate.ts) reads one shape whether
 * the preview came from `filing preview` or from the bare CLI. With `states`, a changed step also
 * carries the old state's outputs and the new inputs, as `pulumi preview --json` does: what
 * `filing drift` compares (lib/operations/drift.ts).
 */
interface StateLike {
  readonly protect?: unknown;
  readonly inputs?: unknown;
  readonly outputs?: unknown;
}
export interface EngineEventLike {
  readonly resourcePreEvent?: { readonly metadata?: { readonly op?: unknown; readonly urn?: unknown; readonly type?: unknown; readonly old?: StateLike | null; readonly new?: StateLike | null } };
  readonly diagnosticEvent?: { readonly severity?: unknown; readonly message?: unknown; readonly urn?: unknown };
}

type Props = Record<string, unknown>;
export interface PreviewDigest {
  readonly steps: { op: string; urn: string; oldState?: { protect?: boolean; inputs?: Props; outputs?: Props }; newState?: { inputs?: Props } }[];
  readonly diagnostics: { severity: string; message: string; urn?: string }[];
  readonly changeSummary: Record<string, number>;
}

const props = (value: unknown): Props | undefined => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined);

export function previewDigest(events: readonly EngineEventLike[], changeSummary: Readonly<Record<string, number>> = {}, options: { states?: boolean } = {}): PreviewDigest {
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
      }
      steps.push(step);
    }
    const d = e.diagnosticEvent;
    if (d && typeof d.severity === "string" && typeof d.message === "string") {
      diagnostics.push({ severity: d.severity, message: d.message, ...(typeof d.urn === "string" && d.urn ? { urn: d.urn } : {}) });
    }
  }
  return { steps, diagnostics, changeSummary: { ...changeSummary } };
}
