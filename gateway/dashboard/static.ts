import { bundleAssets } from '../explorer/static';
import { dashboardAssetsDir, readDashboardManifest } from './assets';

/** GET /assets/:file of the dashboard bundle, served like the explorer's. */
export const serveDashboardAsset = bundleAssets(dashboardAssetsDir, () => readDashboardManifest());
