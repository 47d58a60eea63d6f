// Offline static rendering for reports: a Vega-Lite spec on stdin, SVG on stdout (vega's View.toSVG).
// Usage: node render-svg.mjs /path/to/node_modules < spec.json
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const modules = process.argv[2];
const load = (pkg, file) => import(pathToFileURL(join(modules, pkg, file)).href);
const vega = await load('vega', 'build/vega.module.js');
const vl = await load('vega-lite', 'build/index.js');
let text = '';
for await (const chunk of process.stdin) text += chunk;
const spec = JSON.parse(text);
if (spec.width === 'container') spec.width = 640;
const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
process.stdout.write(await view.toSVG());
