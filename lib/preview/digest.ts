/**
 * The engine's events (Automation API `onEvent`) as the document `pulumi preview --json` prints:
 * `{steps: [{op, urn, oldState: {protect}}], diagnostics: [{severity, message, urn}], changeSummary}`.
 * `filing preview --json` prints it, so the destructive-change gate (gate.ts) reads one shape whether
 * the preview came from `filing preview` or from the bare CLI.
 */
export interface EngineEventLike {
  readonly resourcePreEvent?: { readonly metadata?: { readonly op?: unknown; readonly urn?: unknown; readonly type?: unknown; readonly old?: { readonly protect?: unknown } | null } };
  readonly diagnosticEvent?: { readonly severity?: unknown; readonly message?: unknown; readonly urn?: unknown };
}

export interface PreviewDigest {
  readonly steps: { op: string; urn: string; oldState?: { protect?: boolean } }[];
  readonly diagnostics: { severity: string; message: string; urn?: string }[];
  readonly changeSummary: Record<string, number>;
}

export function previewDigest(events: readonly EngineEventLike[], changeSummary: Readonly<Record<string, number>> = {}): PreviewDigest {
  const steps: PreviewDigest["steps"] = [];
  const diagnostics: PreviewDigest["diagnostics"] = [];
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (m && typeof m.op === "string" && typeof m.urn === "string") {
      // ResourceV3 leaves `protect` out when false; so do we.
      steps.push({ op: m.op, urn: m.urn, ...(m.old ? { oldState: m.old.protect === true ? { protect: true } : {} } : {}) });
    }
    const d = e.diagnosticEvent;
    if (d && typeof d.severity === "string" && typeof d.message === "string") {
      diagnostics.push({ severity: d.severity, message: d.message, ...(typeof d.urn === "string" && d.urn ? { urn: d.urn } : {}) });
    }
  }
  return { steps, diagnostics, changeSummary: { ...changeSummary } };
}
