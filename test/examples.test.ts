import { App, Testing } from 'cdk8s';
import { EXAMPLES } from '../examples';
import { expectValid } from './support/validate';
import { IntentAnnotations } from '../src/policy/intent-annotations';

/** Synthesizes an example (validations included) into its objects and multi-document YAML. */
function synth(synthesize: (app: App) => void): { objects: any[]; yaml: string } {
  const app = Testing.app();
  synthesize(app);
  const yaml = app.synthYaml();
  return { objects: app.charts.flatMap(chart => chart.toJson()), yaml };
}

describe('examples', () => {
  test('the registry has unique names and covers every backend and serving pattern', () => {
    const names = EXAMPLES.map(e => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const backend of ['vllm', 'sglang', 'trtllm']) {
      for (const pattern of ['agg', 'agg-router', 'disagg', 'disagg-router', 'disagg-multinode']) {
        expect(names).toContain(`${backend}-${pattern}`);
      }
    }
  });

  test.each(EXAMPLES.map(e => [e.name, e.synthesize] as const))('%s synthesizes valid, deterministic manifests', (_name, synthesize) => {
    const first = synth(synthesize);
    expect(first.objects.length).toBeGreaterThan(0);
    expectValid(first.objects);
    expect(synth(synthesize).yaml).toBe(first.yaml);
    expect(first.yaml).toMatchSnapshot();
  });

  test.each(EXAMPLES.map(e => [e.name, e.synthesize] as const))('%s prints no policy warning; its exceptions are in its YAML', (_name, synthesize) => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { objects } = synth(synthesize);
      expect(warn.mock.calls).toEqual([]);
      for (const dgd of objects.filter(o => o.kind === 'DynamoGraphDeployment')) {
        const components: string[] = dgd.spec.components?.map((c: any) => c.name) ?? Object.keys(dgd.spec.services);
        const recorded: string = dgd.metadata.annotations?.[IntentAnnotations.SUPPRESSED] ?? '';
        for (const rule of ['DYN-SEC-006', 'DYN-SEC-007']) {
          for (const component of components) expect(recorded).toMatch(new RegExp(`^${rule}\\[${component}\\]=\\S`, 'm'));
        }
      }
    } finally {
      warn.mockRestore();
    }
  });

  test('at least one example targets nvidia.com/v1alpha1 and one uses a model cache', () => {
    const all = EXAMPLES.flatMap(e => synth(e.synthesize).objects);
    expect(all.some(o => o.apiVersion === 'nvidia.com/v1alpha1' && o.kind === 'DynamoGraphDeployment')).toBe(true);
    expect(all.some(o => o.kind === 'PersistentVolumeClaim')).toBe(true);
  });
});
