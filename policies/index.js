// Entry Pulumi loads for the policy pack (package.json main). The pack is TypeScript run through tsx,
// like the program (stacks/index.js), so both compile the shared lib/ the same way.
"use strict";
require("tsx/cjs");
require("./index.ts");
