// Entry Pulumi loads for the policy pack (package.json main): the prebuilt pack while it is fresh,
// else policies/index.ts through tsx (scripts/bundle.js loadEntry), like the program (stacks/index.js).
"use strict";
require("../scripts/bundle.js").loadEntry(__dirname, "pack", "index.ts");
