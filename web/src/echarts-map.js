// Entry of the map bundle (dist/echarts-map.js): only what the choropleth pages need — the map
// series, tooltip, the categorical legend (piecewise visualMap), aria — plus the Indonesian
// locale. A page loads exactly one of the three bundles (each carries ECharts' core):
//   echarts-map.js       maps only (region page, map embed)
//   echarts-progress.js  maps and the progress line chart (/, province pages, /progres)
//   echarts-charts.js    everything, with bar and scatter charts (/fiskal)
// PNG downloads are an HTML button of ours (app.js, chart.getDataURL), not ECharts' toolbox:
// keyboard-reachable, and 2.5 KB gzip less in every bundle.
// Keep the lists short; every entry costs bytes on a phone.
import { use } from 'echarts/core';
import { MapChart } from 'echarts/charts';
import { TooltipComponent, VisualMapPiecewiseComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { expose } from './expose.js';

use([MapChart, TooltipComponent, VisualMapPiecewiseComponent, AriaComponent, CanvasRenderer]);
expose();
