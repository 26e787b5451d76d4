/** One service plan inside a SKU, in Graph's `servicePlanInfo` shape. */
export interface ServicePlan {
  servicePlanId: string;
  servicePlanName: string;
  provisioningStatus: 'Success' | 'Disabled' | 'PendingInput';
  appliesTo: 'User' | 'Company';
}

export interface CatalogueSku {
  skuId: string;
  skuPartNumber: string;
  displayName: string;
  seats: number;
  servicePlans: ServicePlan[];
}

const plan = (servicePlanId: string, servicePlanName: string): ServicePlan => ({
  servicePlanId,
  servicePlanName,
  provisioningStatus: 'Success',
  appliesTo: 'User',
});

// Ids as Microsoft publishes them in its licensing service plan reference, so scripts written
// against Microsoft Graph find the same skuId values here.
const EXCHANGE_S_ENTERPRISE = plan('efb87545-963c-4e0d-99df-69c6916d9eb0', 'EXCHANGE_S_ENTERPRISE');
const EXCHANGE_S_STANDARD = plan('9aaf7827-d63c-4b61-89c3-182f06f82e5c', 'EXCHANGE_S_STANDARD');
const SHAREPOINTENTERPRISE = plan('5dbe027f-2339-4123-9542-606e4d348a72', 'SHAREPOINTENTERPRISE');
const TEAMS1 = plan('57ff2da0-773e-42df-b2af-ffb7a2317929', 'TEAMS1');
const AAD_PREMIUM = plan('41781fb2-bc02-4b7c-bd55-b576c07bb09d', 'AAD_PREMIUM');
const AAD_PREMIUM_P2 = plan('eec0eb4f-6444-4f95-aba0-50c24d67f998', 'AAD_PREMIUM_P2');

/** Service plan names that give a mailbox; other capabilities (mail delivery) look for these. */
export const MAIL_SERVICE_PLANS: ReadonlySet<string> = new Set([
  'EXCHANGE_S_ENTERPRISE',
  'EXCHANGE_S_STANDARD',
]);

/** The licence catalogue a new tenant starts with. */
export const DEFAULT_CATALOGUE: readonly CatalogueSku[] = [
  {
    skuId: 'c42b9cae-ea4f-4ab7-9717-81576235ccac',
    skuPartNumber: 'DEVELOPERPACK_E5',
    displayName: 'Microsoft 365 E5 Developer (without Windows and Audio Conferencing)',
    seats: 25,
    servicePlans: [EXCHANGE_S_ENTERPRISE, SHAREPOINTENTERPRISE, TEAMS1, AAD_PREMIUM, AAD_PREMIUM_P2],
  },
  {
    skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900',
    skuPartNumber: 'ENTERPRISEPACK',
    displayName: 'Office 365 E3',
    seats: 25,
    servicePlans: [EXCHANGE_S_ENTERPRISE, SHAREPOINTENTERPRISE, TEAMS1],
  },
  {
    skuId: '4b9405b0-7788-4568-add1-99614e613b69',
    skuPartNumber: 'EXCHANGESTANDARD',
    displayName: 'Exchange Online (Plan 1)',
    seats: 25,
    servicePlans: [EXCHANGE_S_STANDARD],
  },
  {
    skuId: '078d2b04-f1bd-4111-bbd4-b4b1b354cef4',
    skuPartNumber: 'AAD_PREMIUM',
    displayName: 'Microsoft Entra ID P1',
    seats: 25,
    servicePlans: [AAD_PREMIUM],
  },
];
