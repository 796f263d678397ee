/**
 * One issue a scheduled job keeps for one matter (the deploy blocked, a stack's drift): opened while
 * the matter stands, brought up to date rather than opened again, closed with a word once it is over.
 * Issues carrying the job's label but not its marker are someone's own and left alone. Pure: the
 * forge adapter applies the actions (lib/github/issues.ts).
 */

export type IssueAction =
  | { readonly kind: "create"; readonly title: string; readonly body: string }
  | { readonly kind: "update"; readonly number: number; readonly title: string; readonly body: string }
  | { readonly kind: "close"; readonly number: number; readonly comment: string };

/** `wanted`: the issue as the matter stands, or undefined when it is over. */
export function trackIssue(
  open: readonly { readonly number: number; readonly body: string }[],
  marker: string,
  wanted: { readonly title: string; readonly body: string } | undefined,
  closing: string,
): IssueAction[] {
  const mine = open.filter((i) => i.body.includes(marker));
  if (wanted) return [mine[0] ? { kind: "update", number: mine[0].number, ...wanted } : { kind: "create", ...wanted }];
  return mine.map((i) => ({ kind: "close", number: i.number, comment: closing }));
}
