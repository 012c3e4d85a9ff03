// Entry of our ECharts bundle: only the charts and components mppmap uses, registered once,
// plus an Indonesian locale (ECharts ships none), exposed as window.echarts for app.js.
// Adding a chart type or component here is how a page gets to use it; keep the list short,
// every entry costs bytes on a phone.
import { use, init, registerMap, getMap, registerLocale } from 'echarts/core';
import { MapChart, BarChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  TitleComponent,
  TooltipComponent,
  LegendPlainComponent,
  VisualMapPiecewiseComponent,
  GridComponent,
  AriaComponent,
  MarkLineComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import langID from './lang-id.js';
import { SaveAsImageToolbox } from './toolbox-save.js';

use([
  MapChart,
  BarChart,
  LineChart,
  ScatterChart,
  TitleComponent,
  TooltipComponent,
  LegendPlainComponent,
  VisualMapPiecewiseComponent,
  GridComponent,
  SaveAsImageToolbox,
  AriaComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

registerLocale('ID', langID);

// Only the API app.js calls: exposing the whole namespace would defeat tree-shaking.
window.echarts = { init, registerMap, getMap };
