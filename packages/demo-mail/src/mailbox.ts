import { DEFAULT_CATALOGUE, MAIL_SERVICE_PLANS } from '@cloudsync/cloud';

/** A licence as `/v1.0/me` shows it. */
export interface AssignedLicense {
  skuId: string;
  disabledPlans: string[];
}

/**
 * Whether the licences give a mailbox: an assigned SKU with a mail service plan
 * (`EXCHANGE_S_ENTERPRISE`, `EXCHANGE_S_STANDARD`) that is not disabled. SKUs are read from the
 * cloud's licence catalogue (the one every tenant starts with), since `/subscribedSkus` is for admins.
 */
export function hasMailbox(licenses: readonly AssignedLicense[]): boolean {
  return licenses.some((license) => {
    const sku = DEFAULT_CATALOGUE.find((s) => s.skuId === license.skuId);
    return (sku?.servicePlans ?? []).some(
      (p) => MAIL_SERVICE_PLANS.has(p.servicePlanName) && !license.disabledPlans.includes(p.servicePlanId),
    );
  });
}
