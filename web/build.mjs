// Builds our ECharts subsets as minified IIFEs that the Go binary embeds (//go:embed static),
// plus .gz and .br copies so the server sends precompressed bytes without compressing on the
// request path: dist/echarts-map.js, dist/echarts-progress.js and dist/echarts-charts.js (which
// page loads which: src/echarts-map.js). Run with `npm run build` after `npm ci`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip, brotliCompress, constants } from 'node:zlib';

const gz = promisify(gzip);
const br = promisify(brotliCompress);
const here = dirname(fileURLToPath(import.meta.url));
const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
// The bundles are built side by side, and compressed on libuv's thread pool: brotli at
// quality 11 is most of the time, and `make run` on a fresh clone waits for it.
const built = await Promise.all(['echarts-map', 'echarts-progress', 'echarts-charts', 'echarts-svg'].map(async (name) => {
  const outfile = join(here, '..', 'dashboard', 'static', 'dist', name + '.js');
  await build({
    entryPoints: [join(here, 'src', name + '.js')],
    outfile,
    bundle: true,
    format: 'iife',
    minify: true,
    target: ['es2019'],
    // ECharts guards its development warnings with process.env.NODE_ENV; drop them.
    define: { 'process.env.NODE_ENV': '"production"' },
    // Apache-2.0/BSD notices of ECharts, zrender and tslib travel with the code.
    legalComments: 'eof',
    logLevel: 'warning',
  });
  const raw = await readFile(outfile);
  const [g, b] = await Promise.all([
    gz(raw, { level: 9 }),
    br(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
  ]);
  await Promise.all([writeFile(outfile + '.gz', g), writeFile(outfile + '.br', b)]);
  return `${name}.js: ${kb(raw.length)} raw, ${kb(g.length)} gzip, ${kb(b.length)} brotli`;
}));
for (const line of built) console.log(line);
