import { Testing } from 'cdk8s';
import { CrdSource } from '../../src/platform/crds';
import { DynamoPlatform } from '../../src/platform/dynamo-platform';
import { SyncWave } from '../../src/platform/sync-waves';
import { sharedReference } from '../support/shared-reference';
import { expectValid } from '../support/validate';

describe('CrdSource', () => {
  test.each([
    ['fromOperatorImage', CrdSource.fromOperatorImage(), true, false],
    ['fromFile', CrdSource.fromFile('crds.yaml'), false, true],
    ['fromDirectory', CrdSource.fromDirectory('crds'), false, true],
    ['preinstalled', CrdSource.preinstalled(), false, false],
  ])('%s', (_name, source, installedByOperator, vendored) => {
    expect(source.installedByOperator).toBe(installedByOperator);
    expect(source.vendored).toBe(vendored);
  });
});

// Conformance: the real upstream CRD files, when the shared reference material is around.
const UPSTREAM = sharedReference('reference', 'dynamo', 'crds');
const conformance = UPSTREAM ? describe : describe.skip;
if (!UPSTREAM) {
  // eslint-disable-next-line no-console
  console.log('test/platform/crds.test.ts: upstream Dynamo CRDs not found (../shared/reference/dynamo/crds); conformance tests skipped');
}

conformance('vendoring the upstream Dynamo CRDs', () => {
  // Built in beforeAll: a skipped describe still runs its body to collect the tests.
  let crds: any[] = [];
  beforeAll(() => {
    const chart = Testing.chart();
    new DynamoPlatform(chart, 'Platform', { crds: CrdSource.fromDirectory(UPSTREAM!) });
    crds = Testing.synth(chart).filter((o) => o.kind === 'CustomResourceDefinition');
  });
  const service = { name: 'dynamo-platform-dynamo-operator-webhook-service', namespace: 'dynamo-system', path: '/convert' };

  test('all nine CRDs are included, valid, protected and in the CRD wave', () => {
    expect(crds).toHaveLength(9);
    expectValid(crds);
    for (const crd of crds) {
      expect(crd.metadata.annotations).toMatchObject({
        [SyncWave.ANNOTATION]: String(SyncWave.CRDS),
        'argocd.argoproj.io/sync-options': 'Prune=false,ServerSideApply=true',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      });
    }
  });

  test('exactly the four convertible CRDs point at this platform\'s webhook Service', () => {
    const converted = crds.filter((c) => c.spec.conversion?.strategy === 'Webhook');
    expect(converted.map((c) => c.metadata.name).sort()).toEqual([
      'dynamocomponentdeployments.nvidia.com',
      'dynamographdeploymentrequests.nvidia.com',
      'dynamographdeployments.nvidia.com',
      'dynamographdeploymentscalingadapters.nvidia.com',
    ]);
    for (const crd of converted) {
      expect(crd.spec.conversion.webhook.clientConfig).toEqual({ service });
      expect(crd.spec.conversion.webhook.conversionReviewVersions).toEqual(['v1']);
    }
  });
});
