import {
  type Change,
  deleteChangeSchema,
  type Members,
  type ObjectType,
  outOfScopeChangeSchema,
  type SyncConfiguration,
  type TargetAttributes,
  upsertChangeSchema,
} from '@cloudsync/protocol';
import { AdValueError } from '../ad-values/ad-value-error.js';
import { anchorOf } from '../anchors.js';
import { type AttributeChange, diffAttributes } from '../diff/diff-attributes.js';
import type { EvalContext } from '../expressions/functions/function-def.js';
import type { MappingProblem } from '../mapping/compile-mapping.js';
import { createObjectMapper, type ObjectMapper } from '../mapping/map-object.js';
import { createScopeEvaluator } from '../scoping/scope-evaluator.js';
import type { SourceAttributes } from '../source-object.js';
import { withSynthesizedAttributes } from '../synthesized-attributes.js';

/** An object as the agent read it from AD. */
export interface SourceEntry {
  objectType: ObjectType;
  distinguishedName: string;
  /** LDAP attributes; objectGUID (and ms-DS-ConsistencyGuid, objectSid) as bytes. */
  attributes: SourceAttributes;
  /** DirSync reported the object deleted. */
  isDeleted?: boolean;
  /** Transitive group DNs, needed for `groups` scopes. */
  memberOf?: Iterable<string>;
  /** Group members by anchor, when the agent read them; their presence forces an upsert. */
  members?: Members;
}

/** What the agent exported for the object last time, from its local state. */
export interface PreviousExport {
  attributes: TargetAttributes;
}

export type PlannedChange =
  | { action: 'upsert'; change: Change; diff: AttributeChange[]; problems: MappingProblem[] }
  | { action: 'out-of-scope'; change: Change; reason: string }
  | { action: 'delete'; change: Change }
  | { action: 'unchanged'; anchor: string }
  | { action: 'ignore'; reason: string }
  | { action: 'error'; anchor?: string; message: string };

export interface PlanOptions {
  /**
   * A full import: every in-scope object is sent even when unchanged, because after a full cycle the
   * cloud deletes the objects no page mentioned.
   */
  fullImport?: boolean;
  /** Evaluation context (Now, SelectUniqueValue's uniqueness check). */
  ctx?: Partial<EvalContext>;
}

export interface ChangePlanner {
  /** Problems of the configuration (mappings that do not compile, bad scope parts). */
  readonly problems: readonly string[];
  /** The LDAP attributes to request per object type: what mappings and filters read. */
  readonly sourceAttributes: Readonly<Record<ObjectType, readonly string[]>>;
  plan(entry: SourceEntry, previous: PreviousExport | undefined, options?: PlanOptions): PlannedChange;
}

const ALWAYS_READ = ['objectGUID', 'ms-DS-ConsistencyGuid', 'distinguishedName', 'objectClass', 'isDeleted'];
/** Attributes the agent adds itself (lowercase); never requested from AD. */
const SYNTHESIZED = ['domainfqdn', 'domainnetbios', 'sourceanchor'];

type Parsed<T> =
  | { success: true; data: T }
  | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };

/** The change as the protocol parsed it; a change the cloud would refuse becomes a planning error. */
function checked<T extends Change>(parsed: Parsed<T>, anchor: string): Change {
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new PlanError(
    `the change does not fit the protocol: ${first?.path.map(String).join('.')} ${first?.message}`,
    anchor,
  );
}

class PlanError extends Error {
  constructor(
    message: string,
    readonly anchor: string,
  ) {
    super(message);
  }
}

/**
 * The per-object steps of a cycle, in order: anchor → deleted? → scope → map → diff → change.
 * Every change it returns already passes the protocol's schema.
 * @example
 *   const planner = createChangePlanner(configuration);
 *   const planned = planner.plan(entry, state.previousExport(anchor));
 *   if (planned.action === 'upsert') page.push(planned.change);
 */
export function createChangePlanner(
  config: Pick<SyncConfiguration, 'domain' | 'scope' | 'mappings'>,
): ChangePlanner {
  const scope = createScopeEvaluator(config.scope);
  const mappers: Record<ObjectType, ObjectMapper> = {
    user: createObjectMapper('user', config.mappings.user),
    group: createObjectMapper('group', config.mappings.group),
    contact: createObjectMapper('contact', config.mappings.contact),
  };
  const filterAttributes = (config.scope.attributeFilters ?? []).flatMap((f) =>
    f.clauses.map((c) => c.attribute),
  );
  const reads = (type: ObjectType) => {
    const names = [...ALWAYS_READ, ...filterAttributes, ...mappers[type].sourceAttributes];
    const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
    for (const synthesized of SYNTHESIZED) byLower.delete(synthesized);
    return [...byLower.values()];
  };
  const problems = [
    ...scope.problems,
    ...Object.values(mappers).flatMap((m) =>
      m.problems.map((p) => `${m.objectType}.${p.target}: ${p.message}`),
    ),
  ];

  function planUpsert(
    entry: SourceEntry,
    previous: PreviousExport | undefined,
    options: PlanOptions,
  ): PlannedChange {
    const { anchor, objectGuid } = anchorOf(entry.attributes);
    const synthesized = withSynthesizedAttributes(entry.attributes, config.domain);
    const mapped = mappers[entry.objectType].map(synthesized, options.ctx);
    const diff = diffAttributes(previous?.attributes, mapped.attributes);
    // An object whose mapping failed is never "unchanged": the failed target is left out of the diff.
    const clean = mapped.problems.length === 0;
    if (previous && diff.length === 0 && !entry.members && !options.fullImport && clean) {
      return { action: 'unchanged', anchor };
    }
    const creationOnly = Object.keys(mapped.creationOnlyAttributes).length
      ? mapped.creationOnlyAttributes
      : undefined;
    const input = {
      op: 'upsert',
      objectType: entry.objectType,
      anchor,
      objectGuid,
      distinguishedName: entry.distinguishedName,
      attributes: mapped.attributes,
      ...(creationOnly ? { creationOnlyAttributes: creationOnly } : {}),
      ...(entry.members ? { members: entry.members } : {}),
    };
    const change = checked(upsertChangeSchema.safeParse(input), anchor);
    return { action: 'upsert', change, diff, problems: mapped.problems };
  }

  function plan(
    entry: SourceEntry,
    previous: PreviousExport | undefined,
    options: PlanOptions,
  ): PlannedChange {
    const { anchor, objectGuid } = anchorOf(entry.attributes);
    const identity = { objectType: entry.objectType, anchor, objectGuid };
    if (entry.isDeleted) {
      if (!previous) return { action: 'ignore', reason: 'deleted before it was ever exported' };
      return {
        action: 'delete',
        change: checked(deleteChangeSchema.safeParse({ op: 'delete', ...identity }), anchor),
      };
    }
    const decision = scope.decide(entry);
    if (decision.inScope) return planUpsert(entry, previous, options);
    if (!previous) return { action: 'ignore', reason: decision.detail };
    const input = { op: 'out-of-scope', ...identity, distinguishedName: entry.distinguishedName };
    const change = checked(outOfScopeChangeSchema.safeParse(input), anchor);
    return { action: 'out-of-scope', change, reason: decision.detail };
  }

  return {
    problems,
    sourceAttributes: { user: reads('user'), group: reads('group'), contact: reads('contact') },
    plan(entry, previous, options = {}) {
      try {
        return plan(entry, previous, options);
      } catch (err) {
        if (err instanceof PlanError) return { action: 'error', anchor: err.anchor, message: err.message };
        if (err instanceof AdValueError) return { action: 'error', message: err.message };
        throw err;
      }
    },
  };
}
