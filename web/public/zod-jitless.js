// Loaded by index.html as a classic script, before the app's modules: zod compiles fast object parsers
// with `new Function`, which the CSP forbids (no 'unsafe-eval'), and its probe for whether it may (made
// when the first object schema is built) is itself reported as a violation. Jitless, it never tries.
// zod reads its configuration from this global; setting it here, outside the bundle, holds whatever order
// the bundler's chunks are evaluated in (a schema built in a chunk that loads before the entry's body).
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig ?? {}, { jitless: true });
