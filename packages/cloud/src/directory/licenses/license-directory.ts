import type { Kysely } from 'kysely';
import { badRequest } from '../../errors.js';
import type { Database, SubscribedSkusTable } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { DirectoryServiceDeps } from '../service-deps.js';
import type { DirectoryUser } from '../users/user-model.js';
import { requireUserRow, userWrites, withLicenses } from '../users/user-queries.js';
import type { CatalogueSku, ServicePlan } from './catalogue.js';

/** Graph's `subscribedSku`. */
export interface SubscribedSku {
  id: string;
  accountId: string;
  skuId: string;
  skuPartNumber: string;
  appliesTo: string;
  capabilityStatus: string;
  consumedUnits: number;
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut: number };
  servicePlans: ServicePlan[];
}

/** Graph's `licenseDetails`. */
export interface LicenseDetails {
  id: string;
  skuId: string;
  skuPartNumber: string;
  servicePlans: ServicePlan[];
}

export interface AssignLicenseInput {
  addLicenses: { skuId: string; disabledPlans?: string[] }[];
  removeLicenses: string[];
}

// Written by seedCatalogue from ServicePlan[].
const plansOf = (row: SubscribedSkusTable): ServicePlan[] => JSON.parse(row.service_plans) as ServicePlan[];

/**
 * Licences: the SKU catalogue with its seats, and assignments to users. Seats are taken with a
 * conditional update (`consumed_units < enabled_units`) in the assignment's transaction, so
 * concurrent assignments can never exceed them on either backend.
 */
export function createLicenseDirectory({ db, audit, clock }: DirectoryServiceDeps) {
  async function tenantId(): Promise<string> {
    return (await db.selectFrom('tenant').select('id').executeTakeFirst())?.id ?? '';
  }

  async function listSkus(): Promise<SubscribedSku[]> {
    const accountId = await tenantId();
    const rows = await db.selectFrom('subscribed_skus').selectAll().orderBy('sku_part_number').execute();
    return rows.map((row) => ({
      id: row.id,
      accountId,
      skuId: row.sku_id,
      skuPartNumber: row.sku_part_number,
      appliesTo: row.applies_to,
      capabilityStatus: row.capability_status,
      consumedUnits: Number(row.consumed_units),
      prepaidUnits: { enabled: Number(row.enabled_units), suspended: 0, warning: 0, lockedOut: 0 },
      servicePlans: plansOf(row),
    }));
  }

  async function seedCatalogue(
    trx: Kysely<Database>,
    tenant: string,
    skus: readonly CatalogueSku[],
  ): Promise<void> {
    for (const sku of skus) {
      await trx
        .insertInto('subscribed_skus')
        .values({
          id: `${tenant}_${sku.skuId}`,
          sku_id: sku.skuId,
          sku_part_number: sku.skuPartNumber,
          display_name: sku.displayName,
          applies_to: 'User',
          capability_status: 'Enabled',
          enabled_units: sku.seats,
          consumed_units: 0,
          service_plans: JSON.stringify(sku.servicePlans),
          created_at: clock.now().toISOString(),
        })
        .execute();
    }
  }

  async function requireSku(trx: Kysely<Database>, skuId: string): Promise<SubscribedSkusTable> {
    const sku = await trx
      .selectFrom('subscribed_skus')
      .selectAll()
      .where('sku_id', '=', skuId)
      .executeTakeFirst();
    if (!sku) throw badRequest(`License ${skuId} does not correspond to a valid company License.`, 'skuId');
    return sku;
  }

  async function addOne(
    trx: Kysely<Database>,
    userId: string,
    add: AssignLicenseInput['addLicenses'][number],
  ) {
    const sku = await requireSku(trx, add.skuId);
    const known = new Set(plansOf(sku).map((p) => p.servicePlanId));
    const unknown = (add.disabledPlans ?? []).find((p) => !known.has(p));
    if (unknown)
      throw badRequest(`Service plan ${unknown} is not part of license ${add.skuId}.`, 'disabledPlans');
    const disabled = JSON.stringify(add.disabledPlans ?? []);
    const existing = await trx
      .selectFrom('license_assignments')
      .select('sku_id')
      .where('user_id', '=', userId)
      .where('sku_id', '=', add.skuId)
      .executeTakeFirst();
    if (existing) {
      await trx
        .updateTable('license_assignments')
        .set({ disabled_plans: disabled })
        .where('user_id', '=', userId)
        .where('sku_id', '=', add.skuId)
        .execute();
      return;
    }
    const taken = await trx
      .updateTable('subscribed_skus')
      .set((eb) => ({ consumed_units: eb('consumed_units', '+', 1) }))
      .where('sku_id', '=', add.skuId)
      .whereRef('consumed_units', '<', 'enabled_units')
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) {
      throw badRequest(
        `Subscription with SKU ${add.skuId} does not have any available licenses.`,
        'addLicenses',
      );
    }
    await trx
      .insertInto('license_assignments')
      .values({
        user_id: userId,
        sku_id: add.skuId,
        disabled_plans: disabled,
        assigned_at: clock.now().toISOString(),
      })
      .execute();
  }

  async function removeOne(trx: Kysely<Database>, userId: string, skuId: string) {
    const gone = await trx
      .deleteFrom('license_assignments')
      .where('user_id', '=', userId)
      .where('sku_id', '=', skuId)
      .executeTakeFirst();
    if (Number(gone.numDeletedRows) !== 1) {
      throw badRequest(`User does not have a corresponding license ${skuId}.`, 'removeLicenses');
    }
    await trx
      .updateTable('subscribed_skus')
      .set((eb) => ({ consumed_units: eb('consumed_units', '-', 1) }))
      .where('sku_id', '=', skuId)
      .execute();
  }

  /** Graph's `assignLicense`: all of it or nothing. */
  async function assign(actor: Actor, idOrUpn: string, input: AssignLicenseInput): Promise<DirectoryUser> {
    return userWrites(audit).change(
      actor,
      idOrUpn,
      { activity: 'Change user license', operationType: 'Assign' },
      async (trx, user, event) => {
        event.modifiedProperties = [
          {
            displayName: 'AssignedLicense',
            oldValue: null,
            newValue: JSON.stringify({
              add: input.addLicenses.map((l) => l.skuId),
              remove: input.removeLicenses,
            }),
          },
        ];
        if (input.addLicenses.length > 0 && !user.usage_location) {
          throw badRequest(
            'License assignment cannot be done for user with invalid usage location.',
            'usageLocation',
          );
        }
        for (const skuId of input.removeLicenses) await removeOne(trx, user.id, skuId);
        for (const add of input.addLicenses) await addOne(trx, user.id, add);
        const [updated] = await withLicenses(trx, [user]);
        if (!updated) throw new Error('unreachable');
        return updated;
      },
    );
  }

  async function licenseDetails(idOrUpn: string): Promise<LicenseDetails[]> {
    const user = await requireUserRow(db, idOrUpn);
    const rows = await db
      .selectFrom('license_assignments')
      .innerJoin('subscribed_skus', 'subscribed_skus.sku_id', 'license_assignments.sku_id')
      .select(['subscribed_skus.sku_id', 'sku_part_number', 'service_plans', 'disabled_plans'])
      .where('user_id', '=', user.id)
      .orderBy('sku_part_number')
      .execute();
    return rows.map((row) => {
      // Written by addOne from a string[].
      const disabled = new Set(JSON.parse(row.disabled_plans) as string[]);
      // Written by seedCatalogue from ServicePlan[].
      const plans = JSON.parse(row.service_plans) as ServicePlan[];
      return {
        id: `${user.id}_${row.sku_id}`,
        skuId: row.sku_id,
        skuPartNumber: row.sku_part_number,
        servicePlans: plans.map((p) => ({
          ...p,
          provisioningStatus: disabled.has(p.servicePlanId) ? 'Disabled' : p.provisioningStatus,
        })),
      };
    });
  }

  return { listSkus, seedCatalogue, assign, licenseDetails };
}

export type LicenseDirectory = ReturnType<typeof createLicenseDirectory>;
