/**
 * Rules read whatever an escape hatch or another tool put in the YAML. Property: any value at any place of a valid
 * object (wrong types, nulls, empty arrays, strings for numbers) never makes the pack throw, and every finding still
 * names the rule, the object path, the field, and what is allowed.
 */
import * as fc from 'fast-check';
import { clone, dgdV1alpha1, dgdV1beta1, gpuDeployment, policyChart } from './fixtures';

/** Every path to a value in `json` (objects and arrays included), as key lists. */
function paths(json: any, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (json === null || typeof json !== 'object') return [prefix];
  const keys: Array<string | number> = Array.isArray(json) ? json.map((_, i) => i) : Object.keys(json);
  return [prefix, ...keys.flatMap(k => paths(json[k], [...prefix, k]))];
}

function setAt(json: any, path: Array<string | number>, value: unknown): any {
  if (path.length === 0) return value;
  const copy = clone(json);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path[path.length - 1]] = value;
  return copy;
}

const BASELINES = [dgdV1beta1(), dgdV1alpha1(), gpuDeployment()];

/** Values that break assumptions: wrong types, empties, nulls, odd quantities and command lines. */
const oddValue = fc.oneof(
  fc.constantFrom(null, undefined, '', 0, -1, 1.5, NaN, true, [], {}, [null], { '': null }, '8Gi', 'abc', '-c', ['sh', '-c']),
  fc.anything({ maxDepth: 2 }),
);

const mutation = fc.nat().chain(i => {
  const base = BASELINES[i % BASELINES.length];
  const all = paths(base).filter(p => p.length > 0 && p[0] !== 'apiVersion' && p[0] !== 'kind' && p[0] !== 'metadata');
  return fc.record({ base: fc.constant(base), path: fc.constantFrom(...all), value: oddValue });
});

test('any value at any place: the pack reports, it never throws', () => {
  fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), mutations => {
    const objects = mutations.map(m => setAt(m.base, m.path, m.value));
    const findings = policyChart(objects, { printWarnings: false }).pack.findings();
    for (const f of findings) {
      expect(f.message).toMatch(/^DYN-[A-Z]{3}-\d{3} \[test\/o\d+\] '[^']+' is .*allowed: .+ \(fix: .+\)$/s);
    }
  }), { numRuns: 300 });
});
