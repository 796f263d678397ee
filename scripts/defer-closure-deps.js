"use strict";
// Pulumi's SDK requires TypeScript's compiler (9 MB of JavaScript) and npm's arborist as it loads, for
// one feature: serializing JavaScript functions (dynamic providers, runtime.serializeFunction). Our
// program and our pack use neither, yet the two cost about 0.6 s of CPU in every process that loads
// the SDK: `filing preview` / `up` / `policy` and the pack Pulumi starts beside each run (measured
// with a require timer on @pulumi/pulumi 3.248: TypeScript 0.37 s, arborist 0.32 s of 1.0 s). Here
// they load on first use instead, so the feature still works when something does use it.
// Required first by scripts/filing.js and by the pack's launcher (policies/pulumi-analyzer-policy-filings),
// so written for any Node.js: filing.js must still get to say that an old one is too old.
const Module = require("node:module");

const DEFERRED = new Set(["typescript", "@npmcli/arborist"]);
const FROM_SDK = /[\\/]node_modules[\\/]@pulumi[\\/]pulumi[\\/]/;
const MARK = Symbol.for("server-filings.defer-closure-deps");

/**
 * Stands for a module until a property is read. The SDK reads these modules through TypeScript's
 * `__importStar`, which copies every key unless `__esModule` is set: the proxy says it is set, and
 * answers `default` with the module itself, as `__importStar`'s copy would.
 */
function deferred(load) {
  let real;
  let loaded = false;
  const get = () => {
    if (!loaded) {
      real = load();
      loaded = true;
    }
    return real;
  };
  return new Proxy(Object.create(null), {
    get(_t, key) {
      if (key === "__esModule") return true;
      const mod = get();
      if (key === "default" && !(key in Object(mod))) return mod;
      return mod[key];
    },
    has: (_t, key) => key === "__esModule" || key in Object(get()),
    ownKeys: () => Reflect.ownKeys(Object(get())),
    getOwnPropertyDescriptor(_t, key) {
      // As `get` answers it, without loading.
      if (key === "__esModule") return { value: true, writable: false, enumerable: false, configurable: true };
      const d = Reflect.getOwnPropertyDescriptor(Object(get()), key);
      // A proxy may not report a property as non-configurable that its target lacks.
      return d && { ...d, configurable: true };
    },
  });
}

if (!Module._load[MARK]) {
  const load = Module._load;
  const wrapped = function (request, parent, isMain) {
    if (DEFERRED.has(request) && parent && FROM_SDK.test(parent.filename || "")) {
      return deferred(() => load.call(this, request, parent, isMain));
    }
    return load.apply(this, arguments);
  };
  wrapped[MARK] = true;
  Module._load = wrapped;
}
