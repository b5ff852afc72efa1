import { PlatformNames } from '../../src/platform/platform-names';

describe('PlatformNames', () => {
  test.each([
    ['dynamo-platform', 'dynamo-operator', 'dynamo-platform-dynamo-operator'],
    ['my-dynamo-operator', 'dynamo-operator', 'my-dynamo-operator'],
    ['dynamo-platform', 'nats', 'dynamo-platform-nats'],
    ['nats-for-dynamo', 'nats', 'nats-for-dynamo'],
    ['a'.repeat(60), 'nats', 'a'.repeat(60) + '-na'],
    ['a'.repeat(62), 'nats', 'a'.repeat(62)],
  ])('Helm fullname of release %s, chart %s', (release, chart, fullname) => {
    expect(PlatformNames.fullname(release, chart)).toBe(fullname);
  });

  test('labels: selector labels are a subset, component adds the chart trio', () => {
    const names = new PlatformNames('r', 'ns', '1.4.0');
    expect(names.labels()).toMatchObject(names.selectorLabels);
    expect(names.labels('webhook')).toMatchObject({ 'app.kubernetes.io/component': 'webhook', 'app.kubernetes.io/part-of': 'dynamo-operator' });
    expect(names.clusterWide('x')).toBe('r-dynamo-operator-ns-x');
  });
});
