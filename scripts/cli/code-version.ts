/**
 * What the validation cache's entries are stamped with: a digest of every source the command runs
 * (rules, schema, parser, messages, package versions). The bundle carries the digest of the sources
 * it was built from (scripts/bundle.js defines it); through tsx the same digest is computed now.
 */
declare const FILING_CODE_VERSION: string | undefined;

let digest: string | undefined;

export function codeVersion(): string {
  if (typeof FILING_CODE_VERSION === "string") return FILING_CODE_VERSION;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (digest ??= (require("../bundle.js") as { sourceDigest(): string }).sourceDigest());
}
