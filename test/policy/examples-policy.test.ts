import { App, Chart, Testing } from 'cdk8s';
import { EXAMPLES } from '../../examples';
import { DynamoComponent } from '../../src/graph/dynamo-component';
import { DynamoGraph } from '../../src/graph/dynamo-graph';
import { DynamoPolicy } from '../../src/policy/dynamo-policy';
import { IntentAnnotations } from '../../src/policy/intent-annotations';
import { PolicySeverity } from '../../src/policy/policy-types';
import { GraphNetworkPolicies } from '../../src/security/graph-network-policies';
import { expectValid } from '../support/validate';

/**
 * Exceptions docs/policy.md documents: the NVIDIA runtime and planner images run as root and write under their own
 * paths. They stay warnings until the graph suppresses them; once suppressed, the reason must be in the output.
 */
const DOCUMENTED_EXCEPTIONS = ['DYN-SEC-006', 'DYN-SEC-007'];

function synthesize(build: (app: App) => void): App {
  const app = Testing.app();
  build(app);
  return app;
}

describe.each(EXAMPLES.map(e => [e.name, e.synthesize] as const))('example %s under the default pack', (_name, build) => {
  test('no policy errors; warnings are documented exceptions; suppressions are visible in the output', () => {
    const app = synthesize(build);
    const pack = DynamoPolicy.apply(app, { printWarnings: false });
    const findings = pack.findings();
    expect(findings.filter(f => f.severity === PolicySeverity.ERROR && !f.suppressedBecause).map(f => f.message)).toEqual([]);
    const undocumented = findings.filter(f => !f.suppressedBecause && !(DOCUMENTED_EXCEPTIONS.includes(f.ruleId) && f.kind === 'DynamoGraphDeployment'));
    expect(undocumented.map(f => f.message)).toEqual([]);

    const objects = app.charts.flatMap(c => c.toJson());
    for (const f of findings.filter(x => x.suppressedBecause)) {
      const object = objects.find(o => o.kind === f.kind && o.metadata?.name === f.name);
      expect(object?.metadata?.annotations?.[IntentAnnotations.SUPPRESSED]).toContain(`${f.ruleId}${f.component ? `[${f.component}]` : ''}=${f.suppressedBecause}`);
    }
  });

  // GitOps examples wave every object when GitOps.argoCd() runs; policies added afterwards are refused by design.
  (_name.startsWith('gitops-') ? test.skip : test)('GraphNetworkPolicies fit every graph and validate strictly', () => {
    const app = synthesize(build);
    const graphs = app.node.findAll().filter((c): c is DynamoGraph => c instanceof DynamoGraph);
    for (const graph of graphs) new GraphNetworkPolicies(Chart.of(graph), `${graph.node.id}-net`, { graph });
    const policies = app.charts.flatMap(c => c.toJson()).filter(o => o.kind === 'NetworkPolicy');
    expect(policies.length).toBeGreaterThanOrEqual(graphs.length * 4);
    expectValid(policies);
  });
});

test('suppressing the documented exceptions on real graph components records them on the DGD and silences the warnings', () => {
  const app = synthesize(EXAMPLES.find(e => e.name === 'vllm-disagg')!.synthesize);
  const pack = DynamoPolicy.apply(app, { printWarnings: false });
  for (const c of app.node.findAll().filter((x): x is DynamoComponent => x instanceof DynamoComponent)) {
    DynamoPolicy.suppress(c, 'DYN-SEC-006', 'Dynamo runtime images run as root');
    DynamoPolicy.suppress(c, 'DYN-SEC-007', 'engines write caches under the image paths');
  }
  expect(pack.findings().filter(f => !f.suppressedBecause)).toEqual([]);
  const dgd = app.charts.flatMap(c => c.toJson()).find(o => o.kind === 'DynamoGraphDeployment');
  expect(dgd.metadata.annotations[IntentAnnotations.SUPPRESSED].split('\n')).toEqual([
    'DYN-SEC-006[Frontend]=Dynamo runtime images run as root',
    'DYN-SEC-006[VllmDecodeWorker]=Dynamo runtime images run as root',
    'DYN-SEC-006[VllmPrefillWorker]=Dynamo runtime images run as root',
    'DYN-SEC-007[Frontend]=engines write caches under the image paths',
    'DYN-SEC-007[VllmDecodeWorker]=engines write caches under the image paths',
    'DYN-SEC-007[VllmPrefillWorker]=engines write caches under the image paths',
  ]);
});
