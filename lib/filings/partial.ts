import type { PathSegment } from "../yaml/strict";

/**
 * Runs `read` on a document the schema refused, as if it were a valid one, and keeps its result only
 * when it read nothing the schema refused: so that a file with a wrong value in one field also gets
 * the institution rules' findings about its other fields in the same run, never a finding computed
 * from a wrong or missing value. Reads are tracked through a proxy; the first read of a refused
 * path (`invalid`: at or under one, lib/schema/check.ts) abandons the call, as does any exception
 * (the document is not the type the code expects). Undefined when abandoned.
 */
export function readingOnlyValid<R>(document: unknown, invalid: readonly (readonly PathSegment[])[], read: (value: never) => R): R | undefined {
  const refused = invalid.map((p) => p.map(String));
  const untrusted = (path: readonly string[]) => refused.some((q) => q.length <= path.length && q.every((seg, i) => seg === path[i]));
  const wrappers = new WeakMap<object, unknown>();
  const wrap = (value: unknown, path: readonly string[]): unknown => {
    if (typeof value !== "object" || value === null) return value;
    const known = wrappers.get(value);
    if (known) return known;
    const isArray = Array.isArray(value);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        const got = Reflect.get(target, key, receiver) as unknown;
        // An array's length and methods are not fields; its items are (the methods read them through here).
        if (typeof key === "symbol" || (isArray && !/^\d+$/.test(key))) return got;
        const at = [...path, key];
        if (untrusted(at)) throw ABANDONED;
        return wrap(got, at);
      },
      has(target, key) {
        if (typeof key === "string" && !isArray && untrusted([...path, key])) throw ABANDONED;
        return Reflect.has(target, key);
      },
    });
    wrappers.set(value, proxy);
    return proxy;
  };
  try {
    return read(wrap(document, []) as never);
  } catch {
    return undefined;
  }
}

const ABANDONED = new Error("read a value the schema refused");

/** Whether `e` is what a read of an unknown value throws: the reader needed what was refused. */
export function isAbandoned(e: unknown): boolean {
  return e === ABANDONED;
}

/**
 * `facts` whose `unknown` fields throw when read (isAbandoned): the facts of a file the schema
 * refused, for the register rules, which then run again without that file (lib/validate.ts).
 */
export function withUnknown<T extends object>(facts: T, unknown: readonly string[]): T {
  const missing = new Set(unknown);
  return new Proxy(facts, {
    get(target, key, receiver) {
      if (typeof key === "string" && missing.has(key)) throw ABANDONED;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}
