/**
 * The app's initial JavaScript, gzipped: every script index.html loads or modulepreloads (what a first visit
 * downloads before anything renders). Lazy chunks (pages, QR decoder, charts, dev connector) are listed apart.
 * Fails above the budget (160 kB, the app issue's limit).
 *
 *   node scripts/bundle-size.ts   (after `vite build --config app/vite.config.ts`)
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "app", "dist");
const BUDGET = Number(process.env.APP_INITIAL_JS_BUDGET_KB ?? "160") * 1000;

const html = readFileSync(path.join(DIST, "index.html"), "utf8");
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = (file: string): number => gzipSync(readFileSync(path.join(DIST, file)), { level: 9 }).length;
const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;

const initialBytes = initial.reduce((sum, f) => sum + gz(f), 0);
const lazy = readdirSync(path.join(DIST, "assets")).filter((f) => f.endsWith(".js") && !initial.includes(`assets/${f}`));
const lazyBytes = lazy.reduce((sum, f) => sum + gz(`assets/${f}`), 0);
const wasm = readdirSync(path.join(DIST, "assets")).filter((f) => f.endsWith(".wasm"));

console.log(
  `app bundle: initial JS ${kb(initialBytes)} gzipped in ${initial.length} files (budget ${kb(BUDGET)}); ` +
    `${lazy.length} lazy chunks ${kb(lazyBytes)} gzipped; bundled wasm: ${wasm.join(", ") || "none"}`,
);
if (initialBytes > BUDGET) {
  console.error(`app bundle: initial JS ${kb(initialBytes)} is over the ${kb(BUDGET)} budget`);
  process.exitCode = 1;
}
