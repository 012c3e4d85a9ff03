// Entry of the progress bundle (dist/echarts-progress.js): the map bundle's parts plus the line
// chart on a simple grid, for pages that show the map and the progress chart together. Target
// lines are line series of their own (no markLine) and the series are named by end labels (no
// legend component): that keeps this bundle under 200 KB gzip. See echarts-map.js for the list.
import { use } from 'echarts/core';
import { MapChart, LineChart } from 'echarts/charts';
import { TooltipComponent, VisualMapPiecewiseComponent, AriaComponent, GridSimpleComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { expose } from './expose.js';

use([MapChart, LineChart, TooltipComponent, VisualMapPiecewiseComponent, AriaComponent, GridSimpleComponent, CanvasRenderer]);
expose();
