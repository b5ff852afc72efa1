import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { dgd, mainContainer, synthValid } from './synth';
import { Backend, DynamoApiVersion, DynamoGraph, Frontend, RouterMode } from '../../src';

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
