import type { Scope } from '@cloudsync/protocol';
import { AdValueError } from '../ad-values/ad-value-error.js';
import { dnKey, isDnUnder, normalizeDn } from '../ad-values/distinguished-name.js';
import type { SourceAttributes } from '../source-object.js';
import { type ClauseTest, compileClause } from './clause.js';

/** The object whose scope is decided. */
export interface ScopeSubject {
  distinguishedName: string;
  attributes: SourceAttributes;
  /**
   * DNs of the groups the object belongs to, transitively: the caller resolves nesting (the agent
   * adds the selected groups an object reaches through nested groups to its direct `memberOf`).
   * Needed only for `groups` scopes.
   */
  memberOf?: Iterable<string>;
}

export type ScopeDecision =
  | { inScope: true }
  | {
      inScope: false;
      reason: 'outside-ous' | 'not-in-groups' | 'attribute-filter' | 'malformed-dn';
      detail: string;
    };

export interface ScopeEvaluator {
  /** Problems in the scope itself (bad DNs, bad patterns); those parts never match. */
  readonly problems: readonly string[];
  decide(subject: ScopeSubject): ScopeDecision;
}

function compileDns(dns: readonly string[], problems: string[]): string[][] {
  const out: string[][] = [];
  for (const dn of dns) {
    try {
      out.push(normalizeDn(dn));
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  return out;
}

function compileFilters(scope: Scope, problems: string[]): ClauseTest[][] {
  return (scope.attributeFilters ?? []).map((filter) =>
    filter.clauses.map((clause) => {
      try {
        return compileClause(clause);
      } catch (err) {
        problems.push(
          `${clause.attribute} ${clause.operator}: ${err instanceof Error ? err.message : String(err)}`,
        );
        return () => false;
      }
    }),
  );
}

/**
 * Compiles a configuration's scope once, to decide many objects: the domain, OUs or groups first,
 * then the attribute filters (ORed filters of ANDed clauses).
 * @example
 *   const scope = createScopeEvaluator({ kind: 'ous', ous: ['OU=Staff,DC=corp,DC=test'] });
 *   scope.decide({ distinguishedName: 'CN=Bobby,OU=Staff,DC=corp,DC=test', attributes: {} }); // { inScope: true }
 */
export function createScopeEvaluator(scope: Scope): ScopeEvaluator {
  const problems: string[] = [];
  const ous = scope.kind === 'ous' ? compileDns(scope.ous, problems) : [];
  const groups = new Set(
    scope.kind === 'groups' ? compileDns(scope.groups, problems).map((d) => d.join(',')) : [],
  );
  const filters = compileFilters(scope, problems);

  function container(subject: ScopeSubject, dn: string[]): ScopeDecision {
    if (scope.kind === 'ous' && !ous.some((ou) => isDnUnder(dn, ou))) {
      return { inScope: false, reason: 'outside-ous', detail: 'not under any of the selected OUs' };
    }
    if (scope.kind === 'groups' && !groups.has(dn.join(','))) {
      const member = [...(subject.memberOf ?? [])].some((g) => {
        try {
          return groups.has(dnKey(g));
        } catch {
          return false;
        }
      });
      if (!member)
        return { inScope: false, reason: 'not-in-groups', detail: 'not a member of the selected groups' };
    }
    return { inScope: true };
  }

  return {
    problems,
    decide(subject) {
      let dn: string[];
      try {
        dn = normalizeDn(subject.distinguishedName);
      } catch (err) {
        if (!(err instanceof AdValueError)) throw err;
        return { inScope: false, reason: 'malformed-dn', detail: err.message };
      }
      const byContainer = container(subject, dn);
      if (!byContainer.inScope) return byContainer;
      if (filters.length && !filters.some((clauses) => clauses.every((test) => test(subject.attributes)))) {
        return {
          inScope: false,
          reason: 'attribute-filter',
          detail: 'filtered out by the attribute scoping filters',
        };
      }
      return { inScope: true };
    },
  };
}

/** Problems in a scope, for the cloud to refuse a configuration before saving it. */
export function validateScope(scope: Scope): readonly string[] {
  return createScopeEvaluator(scope).problems;
}
