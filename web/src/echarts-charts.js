// Entry of the charts bundle (dist/echarts-charts.js): the map bundle's parts plus bar and line
// charts (and the /fiskal scatter) with their grid, legend and target lines (markLine). Only pages that draw such a chart
// load it, in place of dist/echarts-map.js.
import { use } from 'echarts/core';
import { MapChart, BarChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  TooltipComponent,
  VisualMapPiecewiseComponent,
  AriaComponent,
  GridComponent,
  LegendPlainComponent,
  MarkLineComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { SaveAsImageToolbox } from './toolbox-save.js';
import { expose } from './expose.js';

use([
  MapChart,
  BarChart,
  LineChart,
  ScatterChart,
  TooltipComponent,
  VisualMapPiecewiseComponent,
  AriaComponent,
  GridComponent,
  LegendPlainComponent,
  MarkLineComponent,
  SaveAsImageToolbox,
  CanvasRenderer,
]);
expose();
