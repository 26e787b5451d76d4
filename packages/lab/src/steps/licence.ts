// Step 6: Bobby's usage location and the developer licence, through the admin API (both are
// cloud-mastered, so a synced user may get them).
import type { Json } from '../admin-api.js';
import type { LabStep } from '../checklist.js';
import { DEVELOPER_SKU, type LabContext } from '../lab-context.js';

const USAGE_LOCATION = 'US';

export const licenseBobby: LabStep<LabContext> = {
  title: `Usage location and ${DEVELOPER_SKU} licence for Bobby`,
  async run(ctx) {
    const { api, bobby } = ctx;
    if (!api || !bobby?.cloudId) throw new Error('Bobby must be synced first');
    const path = `/v1.0/users/${bobby.cloudId}`;
    await api.patch(path, { usageLocation: USAGE_LOCATION });
    const skus = (await api.get('/v1.0/subscribedSkus')).value as Json[];
    const sku = skus.find((s) => s.skuPartNumber === DEVELOPER_SKU);
    if (!sku) throw new Error(`the tenant has no ${DEVELOPER_SKU} in its catalogue`);
    const user = await api.get(path);
    const held = (user.assignedLicenses as Json[] | undefined)?.some((l) => l.skuId === sku.skuId);
    if (!held)
      await api.post(`${path}/assignLicense`, {
        addLicenses: [{ skuId: sku.skuId, disabledPlans: [] }],
        removeLicenses: [],
      });
    const after = await api.get(path);
    const has = (after.assignedLicenses as Json[] | undefined)?.some((l) => l.skuId === sku.skuId);
    if (!has || after.usageLocation !== USAGE_LOCATION)
      throw new Error('the licence or the usage location did not stick');
    return `usageLocation ${USAGE_LOCATION}, ${DEVELOPER_SKU}${held ? ' (already assigned)' : ''}`;
  },
};
