import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Writes `file` so that readers never see it half-written: parallel test workers, CI jobs and a
 * user's two terminals share the caches. Returns false when it could not be written (a read-only
 * checkout, a full disk); a cache that cannot be written only means recomputing next time.
 */
export function writeAtomically(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // The folder itself is not there to hold it.
    }
    return false;
  }
}
