// `npm run build:web`: the web app into web/dist/ (skipped when up to date; `--force` builds anyway).
import { buildWeb } from "./lib/build-web.ts";

const { dir, built, ms } = await buildWeb({ force: process.argv.includes("--force") });
console.log(built ? `web app built in ${Math.round(ms)} ms: ${dir}` : `web app up to date: ${dir}`);
