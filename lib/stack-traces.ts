/**
 * Runs `run` with V8's stack traces off, restoring them when it returns or (for a promise) settles.
 *
 * Pulumi's SDK records `new Error().stack` on every promise it creates, only for its leaked-promise
 * report, and under tsx each trace is formatted through source maps. Registering a Proxmox VM makes
 * ~90 properties with four promises each: those traces were most of the registration time at 2,000
 * filings (bench/program.ts), and about a sixth of `filing policy`. Nobody is shown them.
 */
export function withoutStackTraces<T>(run: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let result: T;
  try {
    result = run();
  } catch (e) {
    Error.stackTraceLimit = limit;
    throw e;
  }
  if (result instanceof Promise) {
    return result.finally(() => {
      Error.stackTraceLimit = limit;
    }) as T;
  }
  Error.stackTraceLimit = limit;
  return result;
}
