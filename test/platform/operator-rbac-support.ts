/**
 * Test helpers that flatten RBAC rules into `group/resource[#name]:verb` permissions, so tests compare what is granted
 * rather than how the rules are laid out.
 */

export interface RuleLike {
  readonly apiGroups?: string[];
  readonly resources?: string[];
  readonly verbs: string[];
  readonly resourceNames?: string[];
  readonly nonResourceURLs?: string[];
}

export function permissions(ruleList: RuleLike[]): Set<string> {
  const out = new Set<string>();
  for (const r of ruleList) {
    for (const g of r.apiGroups ?? []) {
      for (const res of r.resources ?? []) {
        for (const v of r.verbs) {
          for (const n of r.resourceNames ?? ['']) out.add(`${g}/${res}${n ? `#${n}` : ''}:${v}`);
        }
      }
    }
  }
  return out;
}

/** True when `held` grants `wanted` (a grant without resourceNames covers every name). */
export function covers(held: Set<string>, wanted: string): boolean {
  return held.has(wanted) || held.has(wanted.replace(/#[^:]*:/, ':'));
}

/** Rules as the facts sheet states them: [group, resources, verbs]. */
export function rules(...rows: Array<[string, string[], string[]]>): RuleLike[] {
  return rows.map(([g, resources, verbs]) => ({ apiGroups: [g], resources, verbs }));
}

export const ALL = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
export const READ = ['get', 'list', 'watch'];
