// Entry of the map bundle (dist/echarts-map.js): only what the choropleth pages need — the map
// series, tooltip, the categorical legend (piecewise visualMap), PNG download, aria — plus the
// Indonesian locale. Pages with bar/line charts load dist/echarts-charts.js instead (a superset),
// never both: the two would each carry ECharts' core.
// Keep the list short; every entry costs bytes on a phone.
import { use } from 'echarts/core';
import { MapChart } from 'echarts/charts';
import { TooltipComponent, VisualMapPiecewiseComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { SaveAsImageToolbox } from './toolbox-save.js';
import { expose } from './expose.js';

use([MapChart, TooltipComponent, VisualMapPiecewiseComponent, SaveAsImageToolbox, AriaComponent, CanvasRenderer]);
expose();
