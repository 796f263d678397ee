import fs from "node:fs";
import { writeAtomically } from "../lib/atomic-write";

/**
 * Sign-ins their person ended (退出) before their time. A session is an encrypted cookie the desk
 * does not keep, so deleting it in the browser leaves any copy of it (a shared computer's cookie
 * store, a proxy's log) valid until it expires: each sign-in carries an id, and signing out records
 * that id here until the sign-in would have ended anyway. Kept in a file beside the session key, so a
 * restart forgets none, and read again when another instance sharing the checkout has written it.
 */
export interface SignOuts {
  /** Ends sign-in `id`, which would otherwise last until `until` (seconds since the epoch). */
  end(id: string, until: number): void;
  ended(id: string): boolean;
}

export function signOutsIn(file: string, now: () => number = () => Date.now() / 1000): SignOuts {
  let ended = new Map<string, number>();
  let seen = -1;
  let checked = 0;
  const read = () => {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file);
    } catch {
      return;
    }
    if (stat.mtimeMs === seen) return;
    seen = stat.mtimeMs;
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
      if (parsed && typeof parsed === "object") {
        ended = new Map(Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === "number"));
      }
    } catch {
      // A file cut short by a crash: the sign-outs this instance knows stay in force.
    }
  };
  read();
  return {
    end(id, until) {
      read();
      const t = now();
      for (const [k, v] of ended) if (v < t) ended.delete(k);
      ended.set(id, until);
      // A sign-out that cannot be written is still in force here: the cookie is gone from the browser,
      // and this instance refuses its copies until it restarts.
      writeAtomically(file, JSON.stringify(Object.fromEntries(ended)));
    },
    ended(id) {
      // Another instance's sign-outs within a second; a stat per request otherwise.
      if (now() - checked >= 1) {
        checked = now();
        read();
      }
      return ended.has(id);
    },
  };
}
