// Imported first by main.tsx, before any module defines a schema: zod compiles fast object parsers with
// `new Function`, which the CSP forbids (no 'unsafe-eval'), and its probe for whether it may (made when
// the first object schema is built) is itself reported as a violation. Jitless, it never tries.
import { config } from "zod";

config({ jitless: true });
