import { App, Chart, Testing } from 'cdk8s';
import { EXAMPLES } from '../../examples';
import { DynamoGraph } from '../../src/graph/dynamo-graph';
import { DynamoPolicy } from '../../src/policy/dynamo-policy';
import { IntentAnnotations } from '../../src/policy/intent-annotations';
import { GraphNetworkPolicies } from '../../src/security/graph-network-policies';
import { expectValid } from '../support/validate';

function synthesize(build: (app: App) => void): App {
  const app = Testing.app();
  build(app);
  return app;
}

describe.each(EXAMPLES.map(e => [e.name, e.synthesize] as const))('example %s under the default pack', (_name, build) => {
  test('every finding is a recorded suppression, visible on its object in the output', () => {
    const app = synthesize(build);
    // An App-wide pack takes over from the packs the graphs apply to their charts, and also checks charts without
    // a graph (the platform's).
    const pack = DynamoPolicy.apply(app, { printWarnings: false });
    const findings = pack.findings();
    expect(findings.filter(f => !f.suppressedBecause).map(f => f.message)).toEqual([]);

    const objects = app.charts.flatMap(c => c.toJson());
    for (const f of findings) {
      const object = objects.find(o => o.kind === f.kind && o.metadata?.name === f.name);
      expect(object?.metadata?.annotations?.[IntentAnnotations.SUPPRESSED]).toContain(`${f.ruleId}${f.component ? `[${f.component}]` : ''}=${f.suppressedBecause}`);
    }
  });

  test('GraphNetworkPolicies fit every graph and validate strictly', () => {
    const app = synthesize(build);
    const graphs = app.node.findAll().filter((c): c is DynamoGraph => c instanceof DynamoGraph);
    // GitOps examples define theirs before GitOps.argoCd() stamps the chart; add them to the others.
    const defined = new Set(app.node.findAll().filter((c): c is GraphNetworkPolicies => c instanceof GraphNetworkPolicies)
      .flatMap(n => n.policies.map(p => p.name)));
    // A chart GitOps.argoCd() has stamped takes no objects afterwards (getting-started has no policies of its own).
    const stamped = (g: DynamoGraph) => Chart.of(g).toJson().some(o => o.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] !== undefined);
    for (const graph of graphs.filter(g => !defined.has(`${g.name}-default-deny`) && !stamped(g))) {
      new GraphNetworkPolicies(Chart.of(graph), `${graph.node.id}-net`, { graph });
    }
    const policies = app.charts.flatMap(c => c.toJson()).filter(o => o.kind === 'NetworkPolicy');
    expect(policies.length).toBeGreaterThanOrEqual(graphs.filter(g => defined.has(`${g.name}-default-deny`) || !stamped(g)).length * 4);
    expectValid(policies);
  });
});

test('the documented exceptions are recorded on every component of an example DGD, with their reasons', () => {
  const app = synthesize(EXAMPLES.find(e => e.name === 'vllm-disagg')!.synthesize);
  const dgd = app.charts.flatMap(c => c.toJson()).find(o => o.kind === 'DynamoGraphDeployment');
  const root = 'Dynamo runtime and planner images run as root (they write under /workspace and /root/.cache)';
  const caches = 'Dynamo runtime and planner images write JIT, Triton and compile caches under their own paths';
  expect(dgd.metadata.annotations[IntentAnnotations.SUPPRESSED].split('\n')).toEqual([
    `DYN-SEC-006[Frontend]=${root}`,
    `DYN-SEC-006[VllmDecodeWorker]=${root}`,
    `DYN-SEC-006[VllmPrefillWorker]=${root}`,
    `DYN-SEC-007[Frontend]=${caches}`,
    `DYN-SEC-007[VllmDecodeWorker]=${caches}`,
    `DYN-SEC-007[VllmPrefillWorker]=${caches}`,
  ]);
});
