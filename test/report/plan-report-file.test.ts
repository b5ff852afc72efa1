import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { DynamoGraph, GpuProfile, PlanReport } from '../../src';

function scratchApp(): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'plan-report-file-')) });
}

const sla = { model: 'Qwen/Qwen3-0.6B', gpu: GpuProfile.H100_SXM, hardware: { totalGpus: 2 } };

describe('DynamoGraph.fromSla planReport', () => {
  test('writes <graph>-sla-plan.html beside the YAML, the same report PlanReport.html renders', () => {
    const app = scratchApp();
    const chart = new Chart(app, 'serving', { namespace: 'llm' });
    const graph = DynamoGraph.fromSla(chart, 'qwen', { ...sla, planReport: true });
    app.synth();
    expect(fs.readdirSync(app.outdir).sort()).toEqual(['qwen-sla-plan.html', 'serving.k8s.yaml']);
    const written = fs.readFileSync(path.join(app.outdir, 'qwen-sla-plan.html'), 'utf8');
    expect(written).toBe(PlanReport.html(graph.plan!));
    // A second synth of the same app rewrites it unchanged.
    app.synth();
    expect(fs.readFileSync(path.join(app.outdir, 'qwen-sla-plan.html'), 'utf8')).toBe(written);
  });

  test('writes nothing but YAML unless asked', () => {
    const app = scratchApp();
    DynamoGraph.fromSla(new Chart(app, 'serving'), 'qwen', sla);
    app.synth();
    expect(fs.readdirSync(app.outdir)).toEqual(['serving.k8s.yaml']);
  });

  test('two graphs that would write the same file fail the synth, naming both', () => {
    const app = scratchApp();
    DynamoGraph.fromSla(new Chart(app, 'a', { namespace: 'a' }), 'qwen', { ...sla, planReport: true });
    DynamoGraph.fromSla(new Chart(app, 'b', { namespace: 'b' }), 'qwen', { ...sla, planReport: true });
    expect(() => app.synth()).toThrow(/'planReport' of b\/qwen and of a\/qwen would both write qwen-sla-plan\.html/);
  });

  test('a planReport that is not a boolean is a prop error (plain JavaScript callers)', () => {
    const app = scratchApp();
    expect(() => DynamoGraph.fromSla(new Chart(app, 'c'), 'qwen', { ...sla, planReport: 'yes' as any }))
      .toThrow(/\[c\/qwen\] 'planReport' is 'yes'.*true or false/);
  });
});
