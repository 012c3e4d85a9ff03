// Builds our ECharts subsets as minified IIFEs that the Go binary embeds (//go:embed static),
// plus .gz and .br copies so the server sends precompressed bytes without compressing on the
// request path: dist/echarts-map.js, dist/echarts-progress.js and dist/echarts-charts.js (which
// page loads which: src/echarts-map.js). Run with `npm run build` after `npm ci`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
for (const name of ['echarts-map', 'echarts-progress', 'echarts-charts', 'echarts-svg']) {
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
  const raw = readFileSync(outfile);
  const gz = gzipSync(raw, { level: 9 });
  const br = brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
  writeFileSync(outfile + '.gz', gz);
  writeFileSync(outfile + '.br', br);
  console.log(`${name}.js: ${kb(raw.length)} raw, ${kb(gz.length)} gzip, ${kb(br.length)} brotli`);
}
