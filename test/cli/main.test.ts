import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GpuProfile, ModelArchitecture, PlanReport, SlaOptimizer } from '../../src';
import { main } from '../../src/cli/main';

function run(...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: t => out.push(t), err: t => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cdk8s-dynamo plan', () => {
  test('text: the plan fitted to 100 columns, then the search time; --wide is PlanResult.toText unabridged', () => {
    const r = run('plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h200_sxm', '--total-gpus', '8');
    expect(r.code).toBe(0);
    const text = SlaOptimizer.plan({ model: ModelArchitecture.of('Qwen/Qwen3-32B'), gpu: GpuProfile.H200_SXM, hardware: { totalGpus: 8 } }).toText();
    expect(r.out).toMatch(/^SLA plan: Qwen\/Qwen3-32B on h200-sxm, within 8 GPUs\n/);
    expect(r.out).toMatch(/\nsearch: [\d.]+ ms$/);
    expect(Math.max(...r.out.split('\n').map(l => l.length))).toBeLessThanOrEqual(100);
    expect(Math.max(...text.split('\n').map(l => l.length))).toBeGreaterThan(100); // so the fitting is what keeps it narrow
    // Fitted, nothing is lost silently: wrapped words are all there, and a left-out column is named.
    const words = (t: string) => t.replace(/\s+/g, ' ').trim();
    const header = (t: string) => t.slice(0, t.indexOf('\n\n'));
    expect(words(header(r.out))).toBe(words(header(text)));
    expect(r.out).toContain('(req/s left out to fit 100 columns: --wide shows them)');
    const wide = run('plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h200_sxm', '--total-gpus', '8', '--wide');
    expect(wide.out.slice(0, wide.out.lastIndexOf('\nsearch:'))).toBe(text);
  });

  test('a narrower terminal gets narrower tables (never below 60 columns)', () => {
    const out: string[] = [];
    main(['plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h200_sxm', '--total-gpus', '8'], { out: t => out.push(t), err: () => undefined, columns: 80 });
    const lines = out.join('\n').split('\n');
    expect(Math.max(...lines.map(l => l.length))).toBeLessThanOrEqual(80);
    expect(lines.join('\n')).toContain('left out to fit 80 columns');
  });

  test('--max-seq-len reaches the engines; --best-effort says the SLA is missed', () => {
    const json = JSON.parse(run('plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'h100_sxm', '--total-gpus', '4', '--max-seq-len', '16384', '--json').out);
    expect(json.request).toEqual(expect.objectContaining({ maxSequenceLength: 16384, maxSequenceLengthRequired: true }));
    const pools = json.best.mode === 'agg' ? [json.best.agg] : [json.best.prefill, json.best.decode];
    for (const pool of pools) expect(pool.maxModelLen).toBe(16384);
    const r = run('plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h100_sxm', '--total-gpus', '8', '--itl', '1', '--best-effort', '--wide');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\nclosest: +.* \(misses the SLA: best effort\)\n/);
  });

  test('queueing flags reach the plan; out-of-range values name the flag, the text given and the library\'s range', () => {
    const json = JSON.parse(run('plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'h100_sxm', '--total-gpus', '4', '--arrival-variability', '0',
      '--service-variability', '1', '--max-prefill-util', '0.8', '--max-agg-load', '0.9', '--decode-occupancy', '0.85', '--json').out);
    expect(json.request.queueing).toEqual({
      arrivalVariability: 0, serviceVariability: 1, maxPrefillUtilisation: 0.8, maxAggregatedLoad: 0.9, decodeOccupancy: 0.85,
    });
    const r = run('plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'h100_sxm', '--total-gpus', '4', '--arrival-variability=-1');
    expect(r.code).toBe(2);
    expect(r.err).toContain("option '--arrival-variability' is '-1': allowed: a squared coefficient of variation from 0 to 100");
    const cap = run('plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'h100_sxm', '--total-gpus', '4', '--max-agg-load', '2');
    expect(cap.code).toBe(2);
    expect(cap.err).toContain("option '--max-agg-load' is '2': allowed: a share above 0 and at most 1");
    expect(cap.err).not.toContain('queueing.');
  });

  test('--json: one object with best, pareto, searchMs and the documented entry keys', () => {
    const r = run('plan', '--model', 'meta-llama/Llama-3.1-8B-Instruct', '--gpu', 'H100_SXM', '--total-gpus', '4', '--isl', '1024', '--osl', '256',
      '--ttft', '200', '--itl', '20', '--backend', 'vllm', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['best', 'pareto', 'searchMs']));
    expect(typeof json.searchMs).toBe('number');
    for (const entry of [json.best, ...json.pareto]) {
      expect(['agg', 'disagg']).toContain(entry.mode);
      expect(entry.backend).toBe('vllm');
      for (const pool of entry.mode === 'agg' ? [entry.agg] : [entry.prefill, entry.decode]) {
        const numbers = { workers: expect.any(Number), tp: expect.any(Number), pp: expect.any(Number), batch: expect.any(Number) };
        expect(pool).toEqual(expect.objectContaining(numbers));
      }
      for (const k of ['gpus', 'ttftMs', 'itlMs', 'tokensPerSecondPerGpu', 'tokensPerSecondPerUser']) expect(typeof entry[k]).toBe('number');
    }
    expect(json.best.ttftMs).toBeLessThanOrEqual(200);
    expect(json.best.itlMs).toBeLessThanOrEqual(20);
  });

  test('--model accepts a local config.json; --quant and --kv-cache-dtype override the checkpoint', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({
      num_hidden_layers: 32,
      hidden_size: 4096,
      num_attention_heads: 32,
      num_key_value_heads: 8,
      intermediate_size: 14336,
      vocab_size: 128256,
      max_position_embeddings: 131072,
    }));
    const r = run('plan', '--model', file, '--gpu', 'l40s', '--total-gpus', '4', '--quant', 'fp8', '--kv-cache-dtype', 'fp8', '--json', '--best-effort');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).request).toEqual(expect.objectContaining({ quantization: 'fp8', kvCacheDtype: 'fp8', gpu: 'l40s' }));
  });

  test('unreachable SLA: exit 1 naming the closest configuration', () => {
    const r = run('plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h100_sxm', '--total-gpus', '8', '--itl', '1');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/closest: .*misses ITL/);
  });

  test.each([
    [['plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'tpu-v5', '--total-gpus', '8'], /unknown GPU 'tpu-v5' \(known: .*h100_sxm.*l40s\)/],
    [['plan', '--model', 'acme/x', '--gpu', 'h100_sxm', '--total-gpus', '8'], /unknown model 'acme\/x' \(known: .*Qwen\/Qwen3-32B/],
    [['plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h100_sxm'], /missing required option '--total-gpus'/],
    [['plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h100_sxm', '--total-gpus', 'x'], /option '--total-gpus' is 'x': allowed: a whole number >= 1/],
    [['plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h100_sxm', '--total-gpus', '8', '--backend', 'tgi'], /option '--backend' is 'tgi': allowed: auto, vllm, sglang, trtllm/],
    [['plan', '--frobnicate'], /unknown option '--frobnicate' for 'plan' \(allowed: --model, --gpu/],
    [['deploy'], /unknown command 'deploy' \(allowed: plan, estimate\)/],
  ])('usage error %j exits 2', (argv, message) => {
    const r = run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  test('--help', () => {
    const r = run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('cdk8s-dynamo plan --model');
    expect(run().code).toBe(2);
  });
});

describe('cdk8s-dynamo estimate', () => {
  const args = ['estimate', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h200_sxm', '--backend', 'vllm', '--tp', '2', '--batch', '64', '--isl', '512', '--osl', '128'];

  test('text', () => {
    const r = run(...args);
    expect(r.code).toBe(0);
    for (const label of ['TTFT', 'ITL', 'tokens/s per GPU', 'tokens/s per user', 'memory per GPU', 'fits']) expect(r.out).toContain(label);
  });

  test('--json keys; decode and prefill modes', () => {
    const json = JSON.parse(run(...args, '--mode', 'decode', '--json').out);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['ttftMs', 'itlMs', 'tokensPerSecondPerGpu', 'tokensPerSecondPerUser', 'memoryGiBPerGpu', 'fits']));
    expect(json.fits).toBe(true);
    // The KV budget holds one sequence of the model's whole context: it fits.
    expect(JSON.parse(run(...args, '--max-seq-len', '40960', '--json').out).fits).toBe(true);
    expect(JSON.parse(run(...args, '--max-seq-len', '40960', '--json').out).longestSequence).toBe(40960);
    expect(run(...args, '--max-seq-len', '100').err).toMatch(/option '--max-seq-len' is '100': allowed: a whole number from ISL \+ OSL \(640\) to the model's context length \(40960\)/);
    expect(JSON.parse(run(...args, '--mode', 'prefill', '--json').out).itlMs).toBe(0);
  });

  test('invalid tp names the model limit', () => {
    const r = run(...args.map(a => (a === '2' ? '3' : a)));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/option '--tp' is '3': allowed: a divisor of the model's 64 attention heads/);
  });
});

test('bin wiring: the script runs under node with a shebang and prints JSON', () => {
  const script = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
  expect(fs.readFileSync(script, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', script, 'plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'h100_sxm',
    '--total-gpus', '2', '--json'], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout).best.gpus).toBeLessThanOrEqual(2);
});

test('a reader that closes the pipe early (| head) ends the CLI quietly', () => {
  const script = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
  // `true` exits without reading, long before Node starts writing: every write hits a closed pipe.
  const cmd = `"${process.execPath}" -r ts-node/register/transpile-only "${script}" plan --model Qwen/Qwen3-8B --gpu h100_sxm --total-gpus 8 | true`;
  const r = spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
  expect(r.status).toBe(0);
  expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
});

describe('strict flags', () => {
  const plan8b = ['plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'h100_sxm', '--total-gpus', '4'];
  const estimate32b = ['estimate', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h200_sxm', '--backend', 'vllm', '--tp', '2', '--batch', '64', '--isl', '512', '--osl', '128'];

  test('--best-effort=false is no best effort: an unmet SLA exits 1 and names the CLI flags, not library props', () => {
    const r = run(...plan8b, '--itl', '1', '--best-effort=false');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^cdk8s-dynamo: the SLA \(--ttft 100 ms, --itl 1 ms\): no configuration of Qwen\/Qwen3-8B on h100-sxm meets it; closest: .*or set --best-effort$/);
    expect(r.err).not.toMatch(/bestEffort|sla\.|\[SlaOptimizer/);
    expect(run(...plan8b, '--itl', '1', '--best-effort=true').code).toBe(0);
  });

  test.each([
    [[...plan8b, '--json=no'], /option '--json' is a switch and takes no value/],
    [[...plan8b, '--tp', '2'], /option '--tp' does not apply to 'plan' \(it is an option of 'estimate'\)/],
    [[...plan8b, '--batch', '8'], /option '--batch' does not apply to 'plan'/],
    [[...estimate32b, '--total-gpus', '8'], /option '--total-gpus' does not apply to 'estimate' \(it is an option of 'plan'\)/],
    [[...estimate32b, '--ttft', '100'], /option '--ttft' does not apply to 'estimate'/],
    [[...estimate32b, '--best-effort'], /option '--best-effort' does not apply to 'estimate'/],
    [[...plan8b, '--total-gpu', '4'], /did you mean '--total-gpus'\?/],
    [['paln'], /unknown command 'paln'; did you mean 'plan'\?/],
    [[...plan8b, '--gpu', 'h100sxm'], /option '--gpu' is given more than once/],
    [['plan', '--model', 'Qwen/Qwen3-8B', '--gpu', 'h100sxm', '--total-gpus', '4'], /unknown GPU 'h100sxm'; did you mean one of 'h100-sxm', 'h100_sxm'\?/],
    [[...plan8b, '--ttft', '-5'], /option '--ttft' needs a value, and '-5' looks like an option: write --ttft=-5/],
    [[...plan8b, '--ttft=-5'], /option '--ttft' is '-5': allowed: a positive number/],
    [[...plan8b, '--ttft', 'NaN'], /option '--ttft' is 'NaN': allowed: a number/],
    [[...plan8b, '--isl', '40000', '--osl', '1000'], /option '--isl' is '40000': allowed: ISL \+ OSL within the model's context of 40960 tokens/],
    [[...estimate32b.slice(0, -2)], /missing required option '--osl'/],
    [['--version', 'x'], /--version takes no arguments/],
  ])('%j exits 2 naming the flag', (argv, message) => {
    const r = run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  test('--json: every failure is one JSON object on stderr, nothing on stdout but an estimate', () => {
    const usage = run(...plan8b, '--tp', '2', '--json');
    expect(usage.code).toBe(2);
    expect(usage.out).toBe('');
    expect(JSON.parse(usage.err)).toEqual({ error: { kind: 'usage', exitCode: 2, option: '--tp', message: expect.stringContaining("'--tp' does not apply") } });
    const invalid = JSON.parse(run(...plan8b, '--max-agg-load', '2', '--json').err);
    expect(invalid.error).toEqual(expect.objectContaining({ kind: 'invalid', option: '--max-agg-load' }));
    const miss = run(...plan8b, '--itl', '1', '--json');
    expect(miss.code).toBe(1);
    expect(JSON.parse(miss.err).error).toEqual(expect.objectContaining({ kind: 'sla-miss', exitCode: 1 }));
    expect(JSON.parse(run('nope', '--json').err).error.kind).toBe('usage');
  });

  test('estimate exits 1 when the configuration does not fit, printing the estimate and why', () => {
    const big = ['estimate', '--model', 'Qwen/Qwen3-32B', '--gpu', 'l40s', '--backend', 'vllm', '--tp', '1', '--batch', '64', '--isl', '512', '--osl', '128'];
    const r = run(...big);
    expect(r.code).toBe(1);
    expect(r.out).toContain('fits              no');
    expect(r.err).toMatch(/^cdk8s-dynamo: the configuration does not fit on l40s: .*KV cache/);
    const json = run(...big, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).fits).toBe(false);
    expect(JSON.parse(json.err).error).toEqual(expect.objectContaining({ kind: 'does-not-fit', exitCode: 1 }));
    expect(run(...estimate32b).code).toBe(0);
  });

  test('--version prints the package version; help per command and by topic', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(run('--version')).toEqual({ code: 0, out: pkg.version, err: '' });
    const planHelp = run('plan', '--help');
    expect(planHelp.code).toBe(0);
    expect(planHelp.out).toMatch(/^Usage: cdk8s-dynamo plan --model <hf-id\|config.json> --gpu NAME \[options\]/);
    expect(planHelp.out).not.toContain('--tp ');
    expect(run('help', 'estimate').out).toContain('--tp N');
    expect(run('estimate', '-h').out).toBe(run('help', 'estimate').out);
    expect(run('help', 'deploy').code).toBe(2);
  });
});

describe('plan reports: --format csv, --html, --svg', () => {
  const args = ['plan', '--model', 'Qwen/Qwen3-32B', '--gpu', 'h200_sxm', '--total-gpus', '8'];
  const plan = SlaOptimizer.plan({ model: ModelArchitecture.of('Qwen/Qwen3-32B'), gpu: GpuProfile.H200_SXM, hardware: { totalGpus: 8 } });

  test('--format csv prints the Pareto front as PlanReport.csv writes it, and nothing else', () => {
    const r = run(...args, '--format', 'csv');
    expect(r.code).toBe(0);
    expect(`${r.out}\r\n`).toBe(PlanReport.csv(plan));
    expect(r.err).toBe('');
    expect(JSON.parse(run(...args, '--format=json').out).best).toEqual(plan.toJson().best);
  });

  test('--html and --svg write the reports and say so on stderr; stdout keeps its format', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-report-'));
    const html = path.join(dir, 'plan.html');
    const svg = path.join(dir, 'front.svg');
    const r = run(...args, '--html', html, `--svg=${svg}`, '--format', 'csv');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toBe(PlanReport.html(plan));
    expect(fs.readFileSync(svg, 'utf8')).toBe(PlanReport.svg(plan));
    expect(r.err.split('\n')).toEqual([`cdk8s-dynamo: wrote ${html}`, `cdk8s-dynamo: wrote ${svg}`]);
    expect(r.out.split('\r\n')[0].startsWith('chosen,mode,backend')).toBe(true);
  });

  test('an unwritable report path and conflicting formats are usage errors (exit 2)', () => {
    const bad = run(...args, '--html', path.join(os.tmpdir(), 'no-such-dir-cdk8s-dynamo', 'x.html'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/option '--html' is '.*x\.html': cannot write it \(ENOENT\)/);
    expect(bad.out).toBe('');
    const both = run(...args, '--json', '--format', 'csv');
    expect(both.code).toBe(2);
    expect(JSON.parse(both.err).error).toEqual(expect.objectContaining({ kind: 'usage', option: '--format' }));
    const unknown = run(...args, '--format', 'xml');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("option '--format' is 'xml': allowed: text, json, csv");
  });
});

test('help fits 100 columns, overview and every command', () => {
  for (const argv of [['--help'], ['plan', '--help'], ['estimate', '--help'], ['help', 'plan']]) {
    const r = run(...argv);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(l => l.length > 100)).toEqual([]);
  }
});
