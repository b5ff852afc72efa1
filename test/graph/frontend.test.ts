import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { convertV1Alpha1Spec, normalizeV1Beta1 } from './convert-v1alpha1';
import { dgd, mainContainer, synthValid } from './synth';
import { AggregatedPool, Backend, DynamoApiVersion, DynamoGraph, Frontend, FrontendProps, RouterMode } from '../../src';

describe('Frontend', () => {
  test.each([DynamoApiVersion.V1BETA1, DynamoApiVersion.V1ALPHA1])('defaults (%s)', (apiVersion) => {
    const chart = Testing.chart();
    new Frontend(new DynamoGraph(chart, 'g', { backend: Backend.VLLM, apiVersion }), 'Frontend');
    expect(synthValid(chart)).toMatchSnapshot();
  });

  test('router modes map to DYN_ROUTER_MODE', () => {
    for (const mode of [RouterMode.ROUND_ROBIN, RouterMode.RANDOM, RouterMode.KV]) {
      const chart = Testing.chart();
      new Frontend(new DynamoGraph(chart, 'g', { backend: Backend.VLLM }), 'Frontend', { routerMode: mode });
      expect(mainContainer(dgd(synthValid(chart)).spec.components[0]).env).toEqual([{ name: 'DYN_ROUTER_MODE', value: mode }]);
    }
  });

  test('replicas, resources, probes and env are configurable', () => {
    const chart = Testing.chart();
    new Frontend(new DynamoGraph(chart, 'g', { backend: Backend.VLLM }), 'Frontend', {
      replicas: 3,
      resources: { cpu: Cpu.millis(500), memory: Size.gibibytes(2), ephemeralStorage: Size.mebibytes(512) },
      startupTimeout: Duration.minutes(5),
      livenessFailureThreshold: 5,
      env: { DYN_LOG: 'debug' },
      podLabels: { tier: 'edge' },
    });
    const [f] = dgd(synthValid(chart)).spec.components;
    const main = mainContainer(f);
    expect(f.replicas).toBe(3);
    expect(main.resources).toEqual({ requests: { 'cpu': '500m', 'memory': '2Gi', 'ephemeral-storage': '512Mi' }, limits: { memory: '2Gi' } });
    expect(main.startupProbe).toMatchObject({ httpGet: { path: '/live', port: 'http' }, periodSeconds: 10, failureThreshold: 30 });
    expect(main.livenessProbe.failureThreshold).toBe(5);
    expect(main.env).toEqual([{ name: 'DYN_ROUTER_MODE', value: 'round-robin' }, { name: 'DYN_LOG', value: 'debug' }]);
    expect(f.podTemplate.metadata.labels).toEqual({ tier: 'edge' });
  });

  test('rejects DYN_ROUTER_MODE set through env: the pools publish KV events only for routerMode KV', () => {
    const graph = new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM });
    expect(() => new Frontend(graph, 'Frontend', { env: { DYN_ROUTER_MODE: 'kv' } }))
      .toThrow(/\[test\/g\/Frontend\] 'env.DYN_ROUTER_MODE' is 'DYN_ROUTER_MODE': the worker pools follow routerMode\. allowed: routerMode/);
    const graphWide = new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM, env: { DYN_ROUTER_MODE: 'kv' } });
    expect(() => new Frontend(graphWide, 'Frontend')).toThrow(/'env.DYN_ROUTER_MODE'/);
  });

  test('rejects resources of zero (the check every component shares)', () => {
    const graph = new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM });
    expect(() => new Frontend(graph, 'Frontend', { resources: { cpu: Cpu.millis(0) } }))
      .toThrow(/^\[test\/g\/Frontend\] 'resources.cpu' is '0m': allowed: a CPU amount above 0, e.g. Cpu.units\(4\) or Cpu.millis\(500\)$/);
    expect(() => new Frontend(graph, 'Other', { resources: { memory: Size.kibibytes(0) } }))
      .toThrow(/^\[test\/g\/Other\] 'resources.memory' is '0Gi': allowed: a size above 0$/);
  });

  test('rejects a startup timeout under one probe period', () => {
    const graph = new DynamoGraph(Testing.chart(), 'g', { backend: Backend.VLLM });
    expect(() => new Frontend(graph, 'Frontend', { startupTimeout: Duration.seconds(5) }))
      .toThrow(/\[test\/g\/Frontend\] 'startupTimeout' is '5 seconds': allowed: at least 10 seconds/);
  });
});

describe('Frontend arguments', () => {
  function frontend(props: FrontendProps, apiVersion = DynamoApiVersion.V1BETA1) {
    const chart = Testing.chart();
    const graph = new DynamoGraph(chart, 'g', { backend: Backend.VLLM, apiVersion });
    new Frontend(graph, 'Frontend', props);
    new AggregatedPool(graph, 'Worker', { model: 'Qwen/Qwen3-0.6B' });
    return { chart, graph };
  }

  test('router tuning and frontend flags are typed props, written after python3 -m dynamo.frontend', () => {
    const { chart } = frontend({
      routerMode: RouterMode.KV,
      kvOverlapScoreWeight: 0.5,
      routerTemperature: 0.2,
      routerReplicaSync: true,
      busyThreshold: 0.9,
      replicas: 2,
      extraArgs: ['--router-ttl', '120'],
    });
    const main = mainContainer(dgd(synthValid(chart)).spec.components[0]);
    expect(main.command).toEqual(['python3', '-m', 'dynamo.frontend']);
    expect(main.args).toEqual(['--kv-overlap-score-weight', '0.5', '--router-temperature', '0.2', '--router-replica-sync',
      '--busy-threshold', '0.9', '--router-ttl', '120']);
  });

  test('without flags the operator runs the frontend (no command written)', () => {
    const main = mainContainer(dgd(synthValid(frontend({ routerMode: RouterMode.KV }).chart)).spec.components[0]);
    expect(main.command).toBeUndefined();
    expect(main.args).toBeUndefined();
  });

  test('kvEvents: false approximates the workers\' caches: --no-kv-events, and the workers publish no KV events', () => {
    for (const kvEvents of [true, false]) {
      const { chart } = frontend({ routerMode: RouterMode.KV, kvEvents });
      const [f, w] = dgd(synthValid(chart)).spec.components.map(mainContainer);
      expect(f.args ?? []).toEqual(kvEvents ? [] : ['--no-kv-events']);
      expect(w.args.includes('--kv-events-config')).toBe(kvEvents);
    }
  });

  test('v1alpha1 and v1beta1 mean the same after conversion', () => {
    const { graph } = frontend({ routerMode: RouterMode.KV, kvOverlapScoreWeight: 2, kvEvents: false, extraArgs: ['--router-ttl=60'] });
    const json = (v: DynamoApiVersion) => JSON.parse(JSON.stringify(graph._renderSpec(v)));
    expect(convertV1Alpha1Spec(json(DynamoApiVersion.V1ALPHA1))).toEqual(normalizeV1Beta1(json(DynamoApiVersion.V1BETA1)));
  });

  test.each([
    [{ kvOverlapScoreWeight: 1 }, /'kvOverlapScoreWeight' is 1: it tunes the KV-aware router\. allowed: unset unless routerMode is RouterMode\.KV/],
    [{ routerMode: RouterMode.KV, routerTemperature: -1 }, /'routerTemperature' is -1: allowed: a number of 0 or more/],
    [{ busyThreshold: 1.5 }, /'busyThreshold' is 1\.5: allowed: a fraction in \(0, 1\]/],
    [{ extraArgs: ['--router-mode', 'kv'] }, /'extraArgs' is '--router-mode':.*set routerMode instead/],
    [{ routerMode: RouterMode.KV, extraArgs: ['--router_temperature=0.5'] }, /'extraArgs' is '--router_temperature=0\.5':.*set routerTemperature instead/],
    [{ extraArgs: ['--http-port 9000'] }, /'extraArgs' is '--http-port 9000':.*as two elements/],
  ] as Array<[FrontendProps, RegExp]>)('%j is refused at construction', (props, message) => {
    expect(() => frontend(props)).toThrow(message);
  });
});
