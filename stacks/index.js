// Entry Pulumi loads (Pulumi.yaml: main: stacks/index.js). The program is TypeScript run through tsx,
// the same loader the `filing` command uses, so both compile the shared lib/ identically.
"use strict";
require("tsx/cjs");
module.exports = require("./main.ts");
