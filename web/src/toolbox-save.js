// A toolbox with only the "save as image" feature. ECharts' ToolboxComponent registers every
// feature (data view, magic type, data zoom with its whole dataZoom component, …); we offer PNG
// downloads only, so we install the toolbox's model and view ourselves. These are ECharts
// internals (echarts/lib/…): the version is pinned exactly in package.json for that reason.
import ToolboxModel from 'echarts/lib/component/toolbox/ToolboxModel.js';
import ToolboxView from 'echarts/lib/component/toolbox/ToolboxView.js';
import { registerFeature } from 'echarts/lib/component/toolbox/featureManager.js';
import SaveAsImage from 'echarts/lib/component/toolbox/feature/SaveAsImage.js';

export function SaveAsImageToolbox(registers) {
  registers.registerComponentModel(ToolboxModel);
  registers.registerComponentView(ToolboxView);
  registerFeature('saveAsImage', SaveAsImage);
}
