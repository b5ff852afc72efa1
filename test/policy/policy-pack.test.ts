import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { FakeGraph, dgdV1alpha1, dgdV1beta1, gpuDeployment, policyChart, ruleIds } from './fixtures';
import { DynamoPolicy } from '../../src/policy/dynamo-policy';
import { IntentAnnotations } from '../../src/policy/intent-annotations';
import { PolicyPack } from '../../src/policy/policy-pack';
import { PolicySeverity } from '../../src/policy/policy-types';

/** A v1beta1 graph whose engine containers run as root (the vLLM runtime image does). */
function rootEngines(): any {
  const dgd = dgdV1beta1();
  for (const c of dgd.spec.components.slice(1)) {
    const sc = c.podTemplate.spec.containers[0].securityContext;
    sc.runAsNonRoot = false;
    delete sc.runAsUser;
    c.podTemplate.spec.securityContext = { seccompProfile: { type: 'RuntimeDefault' } };
  }
  return dgd;
}

/** A chart whose DGD has a literal token (an error). */
function failingChart(app: App): Chart {
  const chart = new Chart(app, 'llm');
  const dgd = dgdV1beta1();
  dgd.spec.env = [{ name: 'HF_TOKEN', value: 'hf_x' }];
  new ApiObject(chart, 'dgd', dgd);
  DynamoPolicy.apply(chart);
  return chart;
}

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('errors fail the synth', () => {
  test('Testing.synth throws the findings, naming rule, path, field and what is allowed', () => {
    const chart = failingChart(Testing.app());
    expect(() => Testing.synth(chart)).toThrow(
      /Validation failed with the following errors:\n {2}\[llm\/DynamoPolicy\] DYN-SEC-001 \[llm\/dgd\] 'spec.components\[Frontend\].podTemplate.spec.containers\[main\].env\[HF_TOKEN\].value' is '<redacted literal>': a credential is written into the manifest. allowed: valueFrom.secretKeyRef or envFrom a Secret \(fix: /);
  });

  test('App.synth writes nothing when a rule fails', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
    const app = new App({ outdir });
    new Chart(app, 'clean');
    failingChart(app);
    expect(() => app.synth()).toThrow(/DYN-SEC-001/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

describe('warnings', () => {
  test('print once per finding, in a stable order, and do not fail the synth', () => {
    const dgd = dgdV1beta1();
    for (const c of dgd.spec.components.slice(1)) delete c.podTemplate.spec.affinity;
    const { chart } = policyChart([dgd]);
    Testing.synth(chart);
    Testing.synth(chart);
    expect(warn.mock.calls.map(c => c[0].split(' is ')[0])).toEqual([
      "[policy warning] DYN-GPU-007 [test/o0] 'spec.components[decode].podTemplate.spec.affinity'",
      "[policy warning] DYN-GPU-007 [test/o0] 'spec.components[prefill].podTemplate.spec.affinity'",
    ]);
  });

  test('warningsAsErrors fails on them; printWarnings: false silences them', () => {
    const dgd = rootEngines();
    expect(() => Testing.synth(policyChart([dgd], { warningsAsErrors: true }).chart)).toThrow(/DYN-SEC-006/);
    Testing.synth(policyChart([dgd], { printWarnings: false }).chart);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('suppressions', () => {
  test('on one component: silenced there, recorded on the object, still reported elsewhere', () => {
    const chart = Testing.chart();
    const graph = new FakeGraph(chart, 'graph', rootEngines());
    const pack = DynamoPolicy.apply(chart);
    DynamoPolicy.suppress(graph.component('decode'), 'DYN-SEC-006', 'vLLM runtime image runs as root');

    const f = pack.findings().filter(x => x.ruleId === 'DYN-SEC-006');
    expect(f.map(x => [x.component, x.suppressedBecause])).toEqual([
      ['decode', 'vLLM runtime image runs as root'],
      ['prefill', undefined],
    ]);
    const [dgd] = Testing.synth(chart);
    expect(dgd.metadata.annotations).toEqual({ [IntentAnnotations.SUPPRESSED]: 'DYN-SEC-006[decode]=vLLM runtime image runs as root' });
    expect(warn.mock.calls.map(c => c[0])).toEqual([expect.stringContaining("'spec.components[prefill].podTemplate.spec.containers[main].securityContext.runAsNonRoot'")]);
  });

  test('on a whole graph: every affected component is listed, sorted, and the synth output shows it', () => {
    const chart = Testing.chart();
    const graph = new FakeGraph(chart, 'graph', rootEngines());
    DynamoPolicy.apply(chart);
    DynamoPolicy.suppress(graph, 'DYN-SEC-006', 'engine images run as root');
    DynamoPolicy.suppress(graph.component('prefill'), 'DYN-SEC-006', 'prefill image runs as root');
    expect(Testing.synth(chart)).toMatchSnapshot();
    expect(warn).not.toHaveBeenCalled();
  });

  test('suppressing an error lets the synth through', () => {
    const chart = Testing.chart();
    const dgd = dgdV1alpha1();
    dgd.spec.services.decode.extraPodSpec.mainContainer.image = 'vllm-runtime:latest';
    dgd.spec.services.decode.runtimeVersionOverride = '1.4.0';
    const obj = new ApiObject(chart, 'dgd', dgd);
    DynamoPolicy.apply(chart);
    expect(() => Testing.synth(chart)).toThrow(/DYN-IMG-001/);
    DynamoPolicy.suppress(obj, 'DYN-IMG-001', 'mirror only serves latest; digest pinned by the registry proxy');
    expect(Testing.synth(chart)[0].metadata.annotations[IntentAnnotations.SUPPRESSED])
      .toBe('DYN-IMG-001[decode]=mirror only serves latest; digest pinned by the registry proxy');
  });

  test.each([
    ['DYN-NOPE-001', 'x', "[test/o0] 'ruleId' is 'DYN-NOPE-001': no such policy rule. allowed: one of DYN-GPU-001, "],
    ['DYN-SEC-006', '  ', "[test/o0] 'reason' is '  ': a suppression needs a written reason. allowed: a non-empty explanation"],
    ['DYN-SEC-006', 'two\nlines', "[test/o0] 'reason' is 'two\nlines': the reason is recorded in an annotation line. allowed: a single line"],
  ])('suppress(%j, %j) is refused', (id, reason, message) => {
    const { chart } = policyChart([gpuDeployment()]);
    expect(() => DynamoPolicy.suppress(chart.node.findChild('o0'), id, reason)).toThrow(message);
  });
});

describe('scoping', () => {
  test('apply is idempotent and takes options once', () => {
    const chart = Testing.chart();
    const pack = DynamoPolicy.apply(chart);
    expect(DynamoPolicy.apply(chart)).toBe(pack);
    expect(DynamoPolicy.apply(new Construct(chart, 'child'))).toBe(pack);
    expect(DynamoPolicy.apply(chart, { storageThroughputMiBps: 500 })).toBe(pack);
    expect(() => DynamoPolicy.apply(chart, { storageThroughputMiBps: 100 })).toThrow(
      "[test/DynamoPolicy] 'props' is {\"storageThroughputMiBps\":100}: a policy pack is already applied here with other options");
  });

  test('options are compared by value: the same durations in other units are the same options', () => {
    const chart = Testing.chart();
    const pack = DynamoPolicy.apply(chart, { engineStartup: Duration.minutes(5), printWarnings: false });
    expect(DynamoPolicy.apply(chart, { printWarnings: false, engineStartup: Duration.seconds(300) })).toBe(pack);
    expect(() => DynamoPolicy.apply(chart, { engineStartup: Duration.minutes(6), printWarnings: false })).toThrow(
      "[test/DynamoPolicy] 'props' is {\"engineStartup\":\"360s\",\"printWarnings\":false}: a policy pack is already applied here with other options;"
      + ' pass options on the first DynamoPolicy.apply(). allowed: the options it already has: {"engineStartup":"300s","printWarnings":false}');
  });

  test('bad options name the prop', () => {
    expect(() => DynamoPolicy.apply(Testing.chart(), { storageThroughputMiBps: 0 }))
      .toThrow("[test/DynamoPolicy] 'storageThroughputMiBps' is 0: allowed: a positive number");
    expect(() => DynamoPolicy.apply(Testing.chart(), { engineStartup: Duration.seconds(NaN) }))
      .toThrow("[test/DynamoPolicy] 'engineStartup' is 'NaNs': allowed: a Duration of 0 or more");
  });

  test('the nearest pack checks an object, once', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const inner = new Construct(chart, 'team');
    new ApiObject(inner, 'engine', gpuDeployment({ image: 'x:latest' }));
    new ApiObject(chart, 'other', gpuDeployment({ image: 'y:latest' }));
    const outer = DynamoPolicy.apply(app);
    const innerPack = new PolicyPack(inner, 'Strict', { warningsAsErrors: true });
    expect(outer.findings().map(f => f.path)).toEqual(['c/other']);
    expect(innerPack.findings().map(f => f.path)).toEqual(['c/team/engine']);
    expect(PolicyPack.of(inner.node.findChild('engine'))).toBe(innerPack);
  });

  test('no pack, no checks', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'engine', gpuDeployment({ image: 'x:latest' }));
    expect(() => Testing.synth(chart)).not.toThrow();
  });
});

describe('rendered output, not intent', () => {
  test('escape-hatch JSON patches are seen', () => {
    const { chart, pack } = policyChart([gpuDeployment()]);
    expect(ruleIds(pack)).toEqual([]);
    ApiObject.of(chart.node.findChild('o0')).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/image', 'vllm/vllm-openai:latest'));
    expect(ruleIds(pack)).toEqual(['DYN-IMG-001']);
  });

  test('TRT-LLM parallelism is read from the engine ConfigMap the pod mounts', () => {
    const dgd = dgdV1beta1([]);
    dgd.spec.backendFramework = 'trtllm';
    const worker = dgdV1beta1().spec.components[2];
    worker.name = 'agg';
    worker.type = 'worker';
    const main = worker.podTemplate.spec.containers[0];
    main.command = ['python3', '-m', 'dynamo.trtllm'];
    main.args = ['--model-path', 'Qwen/Qwen3-0.6B', '--extra-engine-args', '/etc/dynamo/trtllm/agg.yaml'];
    main.volumeMounts = [{ name: 'engine-config', mountPath: '/etc/dynamo/trtllm' }];
    worker.podTemplate.spec.volumes = [{ name: 'engine-config', configMap: { name: 'llm-trtllm' } }];
    dgd.spec.components = [worker];
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'llm-trtllm' }, data: { 'agg.yaml': 'tensor_parallel_size: 2\npipeline_parallel_size: 1\n' } };
    const f = policyChart([dgd, cm]).pack.findings();
    expect(f.map(x => x.message)).toEqual([expect.stringContaining("'TP 2 x PP 1 = 2 GPUs': the engine needs more GPUs than the replica holds")]);
  });

  test('findings are deterministic', () => {
    const dgd = rootEngines();
    dgd.spec.components.push({ ...dgd.spec.components[1], name: 'aaa' });
    const a = policyChart([dgd, gpuDeployment({ image: 'x' })]).pack.findings();
    const b = policyChart([dgd, gpuDeployment({ image: 'x' })]).pack.findings();
    expect(a).toEqual(b);
    expect(a.map(f => `${f.path} ${f.component} ${f.ruleId}`)).toEqual([
      'test/o0 aaa DYN-SEC-006', 'test/o0 decode DYN-SEC-006', 'test/o0 prefill DYN-SEC-006', 'test/o1 undefined DYN-IMG-001',
    ]);
  });
});

describe('rule catalog', () => {
  test('ids are unique, each rule has a one-line reason and a fix', () => {
    const rules = DynamoPolicy.rules();
    expect(new Set(rules.map(r => r.id)).size).toBe(rules.length);
    expect(rules.length).toBeGreaterThanOrEqual(20);
    for (const r of rules) {
      expect(r.id).toMatch(/^DYN-[A-Z]{3}-\d{3}$/);
      expect(r.reason).toMatch(/^[^\n]+\.$/);
      expect(r.fix).toMatch(/^[^\n]+\.$/);
      expect([PolicySeverity.ERROR, PolicySeverity.WARNING]).toContain(r.severity);
    }
  });

  test('docs/policy.md documents every rule with its severity', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'policy.md'), 'utf8');
    for (const r of DynamoPolicy.rules()) {
      expect(doc).toMatch(new RegExp(`^\\| \`${r.id}\` \\| ${r.severity} \\|`, 'm'));
    }
  });
});
