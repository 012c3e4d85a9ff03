// Entry of the charts bundle (dist/echarts-charts.js): the progress bundle's parts plus bar and
// scatter charts with their legend, for /fiskal. See echarts-map.js for which page loads which.
import { use } from 'echarts/core';
import { MapChart, BarChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  TooltipComponent,
  VisualMapPiecewiseComponent,
  AriaComponent,
  GridSimpleComponent,
  LegendPlainComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { expose } from './expose.js';

use([
  MapChart,
  BarChart,
  LineChart,
  ScatterChart,
  TooltipComponent,
  VisualMapPiecewiseComponent,
  AriaComponent,
  GridSimpleComponent,
  LegendPlainComponent,
  CanvasRenderer,
]);
expose();
