import { readSourceFileIfPresent } from "../source-files";
import type { SourceFile } from "../yaml/strict";
import { CONFIG_SOURCE_PATHS } from "./model";
import type { ConfigSources } from "./parse";

/** The institution config's files under `root` (policies/*.yaml), those that exist. */
export function readConfigFiles(root: string): ConfigSources {
  const files = new Map<string, SourceFile>();
  for (const rel of CONFIG_SOURCE_PATHS) {
    const file = readSourceFileIfPresent(root, rel);
    if (file) files.set(rel, file);
  }
  return { files };
}
