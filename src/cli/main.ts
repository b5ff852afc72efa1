#!/usr/bin/env node
// `cdk8s-dynamo` command line: plan and estimate LLM serving configurations with the synth-time SLA optimizer.
// Start-up stays light: no cdk8s import on this path. Each subcommand is a table of flags (cli-parser.ts reads them
// strictly); adding a flag is one line in its table plus its use in `run`.
import * as fs from 'fs';
import * as path from 'path';
import { CliError, CliIo, command, CommandSpec, commandHelp, didYouMean, Flag, inFlagWords, parseFlags, translate } from './cli-parser';
import { PropError } from '../common/errors';
import { Backend } from '../engines/backend';
import { GpuProfile } from '../gpu/gpu-profile';
import { ModelArchitecture } from '../model/model-architecture';
import { KvCacheDtype, Quantization } from '../model/precision';
import { Estimate } from '../optimizer/plan-result';
import { EstimateMode, ServingMode } from '../optimizer/sla';
import { SlaOptimizer } from '../optimizer/sla-optimizer';
import { PlanReport } from '../report/plan-report';
import { TerminalReport } from '../report/terminal-report';

export type { CliIo } from './cli-parser';

const PROGRAM = 'cdk8s-dynamo';

/** Flags several subcommands share (each table lists them, so `--help` and strictness stay per subcommand). */
const MODEL = Flag.text('Hugging Face id of a catalogued model, or a path to its config.json', { required: true, placeholder: '<hf-id|config.json>' });
const GPU = Flag.text('GPU type: an AIConfigurator system name (h100_sxm, h200_sxm, b200_sxm, a100_sxm, l40s) or a GpuProfile name',
  { required: true, placeholder: 'NAME' });
const QUANT = Flag.choice(Object.values(Quantization), 'weight precision (default: the checkpoint\'s)', { prop: 'quantization' });
const KV_DTYPE = Flag.choice(Object.values(KvCacheDtype), 'KV-cache data type (default: the checkpoint\'s)', { prop: 'kvCacheDtype' });
const JSON_OUT = Flag.switch('print JSON (errors too, on stderr)');

const COMMANDS = {
  plan: command({
    summary: 'Choose serving mode, engine, workers, parallelism and batch limits that meet the SLA.',
    flags: {
      'model': MODEL,
      'gpu': GPU,
      'total-gpus': Flag.whole('GPU budget (required unless --request-rate sizes the deployment)', { prop: 'hardware.totalGpus' }),
      'isl': Flag.whole('average input tokens per request (default 512)', { prop: 'workload.inputSequenceLength' }),
      'osl': Flag.whole('average output tokens per request (default 128)', { prop: 'workload.outputSequenceLength' }),
      'max-seq-len': Flag.whole('longest request (prompt + output) the engines accept (default: the model\'s context, lowered to what the KV cache holds)',
        { prop: 'workload.maxSequenceLength' }),
      'ttft': Flag.number('time-to-first-token target, ms (default 100)', { placeholder: 'MS', prop: 'sla.ttftMs' }),
      'itl': Flag.number('inter-token latency target, ms (default 15)', { placeholder: 'MS', prop: 'sla.itlMs' }),
      'backend': Flag.choice(['auto', ...Object.values(Backend)], 'engine to plan for (default auto: all)', { prop: 'backends' }),
      'mode': Flag.choice(['auto', 'agg', 'disagg'], 'serving mode (default auto: both)', { prop: 'modes' }),
      'request-rate': Flag.number('requests per second to serve', { placeholder: 'R', prop: 'workload.requestRate' }),
      'best-effort': Flag.switch('take the closest configuration when none meets the SLA (exit 0)', { prop: 'bestEffort' }),
      'quant': QUANT,
      'kv-cache-dtype': KV_DTYPE,
      'arrival-variability': Flag.number('squared coefficient of variation of arrivals (1 = Poisson)', { placeholder: 'CA2', prop: 'queueing.arrivalVariability' }),
      'service-variability': Flag.number('squared coefficient of variation of prefill times (0 = equal prompts)', { placeholder: 'CS2', prop: 'queueing.serviceVariability' }),
      'max-prefill-util': Flag.number('highest planned utilisation of a prefill worker (default 0.9)', { placeholder: 'U', prop: 'queueing.maxPrefillUtilisation' }),
      'max-agg-load': Flag.number('highest planned load of an aggregated worker (default 0.95)', { placeholder: 'U', prop: 'queueing.maxAggregatedLoad' }),
      'decode-occupancy': Flag.number('average share of busy decode batch slots (default 0.95)', { placeholder: 'U', prop: 'queueing.decodeOccupancy' }),
      'json': JSON_OUT,
      'format': Flag.choice(['text', 'json', 'csv'], 'what to print: text (default), json (as --json), or csv (the Pareto front, one row per configuration)'),
      'wide': Flag.switch(`every table column, lines unwrapped (default: fit ${TerminalReport.DEFAULT_WIDTH} columns, or a narrower terminal)`),
      'html': Flag.text('also write the plan report (Pareto front chart, chosen configuration, tables) as one self-contained HTML file',
        { placeholder: 'FILE' }),
      'svg': Flag.text('also write the Pareto front chart as an SVG file', { placeholder: 'FILE' }),
    },
    notes: 'ISL and OSL are averages. Queueing: TTFT at the planned load, M/G/1-style with the given variabilities.\n'
      + 'Exit codes: 0 a plan, 1 no configuration meets the SLA, 2 invalid arguments.',
    run: (v, io) => {
      if (v['total-gpus'] === undefined && v['request-rate'] === undefined) {
        throw new CliError("missing required option '--total-gpus' (or give --request-rate to size the deployment from the load)", 'usage', '--total-gpus');
      }
      if (v.json && v.format !== undefined && v.format !== 'json') {
        throw new CliError(`--json and --format ${v.format} ask for different outputs: give one`, 'usage', '--format');
      }
      const format = v.json ? 'json' : v.format ?? 'text';
      const model = modelOf(v.model);
      const gpu = gpuOf(v.gpu);
      const started = performance.now();
      let result;
      try {
        result = SlaOptimizer.plan({
          model,
          gpu,
          quantization: v.quant,
          kvCacheDtype: v['kv-cache-dtype'],
          backends: v.backend === undefined || v.backend === 'auto' ? undefined : [v.backend],
          modes: v.mode === undefined || v.mode === 'auto' ? undefined : [v.mode === 'agg' ? ServingMode.AGGREGATED : ServingMode.DISAGGREGATED],
          workload: {
            inputSequenceLength: v.isl,
            outputSequenceLength: v.osl,
            maxSequenceLength: v['max-seq-len'],
            requestRate: v['request-rate'],
          },
          sla: { ttftMs: v.ttft, itlMs: v.itl },
          hardware: { totalGpus: v['total-gpus'] },
          queueing: {
            arrivalVariability: v['arrival-variability'],
            serviceVariability: v['service-variability'],
            maxPrefillUtilisation: v['max-prefill-util'],
            maxAggregatedLoad: v['max-agg-load'],
            decodeOccupancy: v['decode-occupancy'],
          },
          bestEffort: v['best-effort'],
        });
      } catch (e) {
        if (SlaOptimizer._isSlaMiss(e) && e instanceof PropError) {
          const targets = `--ttft ${v.ttft ?? 100} ms, --itl ${v.itl ?? 15} ms`;
          throw new CliError(`the SLA (${targets}): ${inFlagWords(e.why ?? '', COMMANDS.plan)}; to go on: ${inFlagWords(e.allowed, COMMANDS.plan)}`, 'sla-miss');
        }
        throw e;
      }
      const searchMs = Math.round((performance.now() - started) * 10) / 10;
      // Reports first: a file that cannot be written fails the command before anything is printed.
      if (v.html !== undefined) writeReport(v.html, '--html', PlanReport.html(result), io);
      if (v.svg !== undefined) writeReport(v.svg, '--svg', PlanReport.svg(result), io);
      if (format === 'json') {
        io.out(JSON.stringify({ ...result.toJson(), searchMs }, undefined, 2));
      } else if (format === 'csv') {
        io.out(PlanReport.csv(result).replace(/\r\n$/, ''));
      } else {
        const width = v.wide ? undefined : Math.min(TerminalReport.DEFAULT_WIDTH, Math.max(60, io.columns ?? TerminalReport.DEFAULT_WIDTH));
        io.out(TerminalReport.text(result, width));
        io.out(`search: ${searchMs} ms`);
      }
      return 0;
    },
  }),

  estimate: command({
    summary: 'Predict one engine configuration: TTFT, ITL, throughput, memory, and whether it fits.',
    flags: {
      'model': MODEL,
      'gpu': GPU,
      'backend': Flag.choice(Object.values(Backend), 'engine', { required: true }),
      'tp': Flag.whole('tensor-parallel GPUs', { required: true, prop: 'tensorParallel' }),
      'pp': Flag.whole('pipeline stages (default 1)', { prop: 'pipelineParallel' }),
      'ep': Flag.whole('expert-parallel ranks, a divisor of --tp (default 1)', { prop: 'expertParallel' }),
      'batch': Flag.whole('concurrent sequences', { required: true, prop: 'batchSize' }),
      'isl': Flag.whole('input tokens per request', { required: true, prop: 'inputSequenceLength' }),
      'osl': Flag.whole('output tokens per request', { required: true, prop: 'outputSequenceLength' }),
      'max-seq-len': Flag.whole('longest request that must fit (default ISL + OSL)', { prop: 'maxSequenceLength' }),
      'mode': Flag.choice(Object.values(EstimateMode), 'engine role (default agg)'),
      'quant': QUANT,
      'kv-cache-dtype': KV_DTYPE,
      'json': JSON_OUT,
    },
    notes: 'Exit codes: 0 the configuration fits, 1 it does not (the estimate is printed, the reason goes to stderr), 2 invalid arguments.',
    run: (v, io) => {
      const gpu = gpuOf(v.gpu);
      const e = SlaOptimizer.estimate({
        model: modelOf(v.model),
        gpu,
        backend: v.backend,
        mode: v.mode ?? EstimateMode.AGGREGATED,
        quantization: v.quant,
        kvCacheDtype: v['kv-cache-dtype'],
        tensorParallel: v.tp,
        pipelineParallel: v.pp,
        expertParallel: v.ep,
        batchSize: v.batch,
        inputSequenceLength: v.isl,
        outputSequenceLength: v.osl,
        maxSequenceLength: v['max-seq-len'],
      });
      io.out(v.json ? JSON.stringify(e, undefined, 2) : [
        `TTFT              ${e.ttftMs} ms`,
        `ITL               ${e.itlMs} ms`,
        `tokens/s per GPU  ${e.tokensPerSecondPerGpu}`,
        `tokens/s per user ${e.tokensPerSecondPerUser}`,
        `requests/s        ${e.requestsPerSecond}`,
        `memory per GPU    ${e.memoryGiBPerGpu} GiB (weights ${e.weightGiBPerGpu} GiB, KV budget ${e.kvCacheGiBPerGpu} GiB)`,
        `admits            ${e.admissibleSequences} sequences of ISL + OSL tokens; longest sequence ${e.longestSequence} tokens`,
        `fits              ${e.fits ? 'yes' : 'no'}`,
      ].join('\n'));
      if (!e.fits) throw new CliError(`the configuration does not fit on ${gpu.name}: ${whyNotFit(e, v.batch, v['max-seq-len'] ?? v.isl + v.osl)}`, 'does-not-fit');
      return 0;
    },
  }),
};

/** Writes a report file; a path that cannot be written is the flag's fault (exit 2). */
function writeReport(file: string, flag: string, content: string, io: CliIo): void {
  try {
    fs.writeFileSync(file, content);
  } catch (e) {
    throw new CliError(`option '${flag}' is '${file}': cannot write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'usage', flag);
  }
  io.err(`${PROGRAM}: wrote ${file}`);
}

/** Why an estimate does not fit, from the figures it printed. */
function whyNotFit(e: Estimate, batch: number, maxSeqLen: number): string {
  const reasons = [
    e.kvCacheGiBPerGpu <= 0 ? `the weights (${e.weightGiBPerGpu} GiB per GPU) leave no memory for the KV cache` : undefined,
    e.admissibleSequences < batch ? `the KV cache admits ${e.admissibleSequences} sequences of ISL + OSL tokens, fewer than --batch ${batch}` : undefined,
    e.longestSequence < maxSeqLen ? `the longest sequence it holds is ${e.longestSequence} tokens, less than ${maxSeqLen} (--max-seq-len)` : undefined,
  ].filter(Boolean);
  return `${(reasons.length > 0 ? reasons : ['it does not hold the batch']).join('; ')} (raise --tp or --pp, lower --batch or --max-seq-len, or pick a larger GPU or a smaller --quant)`;
}

const ALL: Readonly<Record<string, CommandSpec>> = COMMANDS as unknown as Record<string, CommandSpec>;

function modelOf(id: string): ModelArchitecture {
  if (id.endsWith('.json') || fs.existsSync(id)) return ModelArchitecture.fromConfigJson(id);
  const found = ModelArchitecture.tryOf(id);
  if (found) return found;
  const hint = didYouMean(id, ModelArchitecture.knownIds(), m => `'${m}'`);
  throw new CliError(`unknown model '${id}'${hint ? `; ${hint}` : ''} (known: ${ModelArchitecture.knownIds().join(', ')}; or give a path to a config.json)`,
    'usage', '--model');
}

function gpuOf(name: string): GpuProfile {
  try {
    return GpuProfile.of(name);
  } catch {
    const hint = didYouMean(name.toLowerCase(), GpuProfile.knownNames(), g => `'${g}'`);
    throw new CliError(`unknown GPU '${name}'${hint ? `; ${hint}` : ''} (known: ${GpuProfile.knownNames().join(', ')})`, 'usage', '--gpu');
  }
}

function overview(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map(n => n.length)) + 2;
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...names.map(n => `  ${n.padEnd(width)}${ALL[n].summary}`),
    '',
    `${PROGRAM} <command> --help shows a command's options; ${PROGRAM} --version prints the version.`,
  ].join('\n');
}

function version(): string {
  // lib/cli/main.js and src/cli/main.ts both sit two folders below the package root.
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** True when the call asks for JSON (errors then go to stderr as JSON), read before parsing can fail. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  return args.some((a, i) => a === '--json' || a.toLowerCase() === '--json=true' || a.toLowerCase() === '--format=json'
    || (a === '--format' && args[i + 1]?.toLowerCase() === 'json'));
}

/**
 * Runs the CLI with arguments (without `node` and the script) and returns the exit code.
 * @internal
 */
export function main(argv: string[], io: CliIo): number {
  const json = wantsJson(argv);
  const [name, ...rest] = argv;
  let spec: CommandSpec | undefined;
  let given: ReadonlyMap<string, string> = new Map();
  try {
    if (name === undefined) {
      io.err(overview());
      return 2;
    }
    if (name === '--help' || name === '-h') {
      io.out([overview(), ...Object.entries(ALL).map(([n, c]) => commandHelp(PROGRAM, n, c))].join('\n\n'));
      return 0;
    }
    if (name === '--version') {
      if (rest.length > 0) throw new CliError(`--version takes no arguments (got '${rest[0]}')`);
      io.out(version());
      return 0;
    }
    if (name === 'help') {
      const topic = rest[0];
      if (topic === undefined) {
        io.out(overview());
        return 0;
      }
      if (!(topic in ALL)) throw unknownCommand(topic);
      io.out(commandHelp(PROGRAM, topic, ALL[topic]));
      return 0;
    }
    spec = ALL[name];
    if (spec === undefined) throw unknownCommand(name);
    const parsed = parseFlags(name, spec, rest, ALL);
    given = parsed.given;
    if (parsed.help) {
      io.out(commandHelp(PROGRAM, name, spec));
      return 0;
    }
    return spec.run(parsed.values, io);
  } catch (e) {
    const error = asCliError(e, spec, given);
    if (json) {
      const option = error.option ? { option: error.option } : {};
      io.err(JSON.stringify({ error: { kind: error.kind, exitCode: error.exitCode, message: error.message, ...option } }));
    } else {
      io.err(`${PROGRAM}: ${error.message}`);
      if (error.kind === 'usage') io.err(`Run '${PROGRAM} ${spec ? `${name} ` : ''}--help' for usage.`);
    }
    return error.exitCode;
  }
}

function unknownCommand(name: string): CliError {
  const hint = didYouMean(name, Object.keys(ALL), c => `'${c}'`);
  return new CliError(`unknown command '${name}'${hint ? `; ${hint}` : ''} (allowed: ${Object.keys(ALL).join(', ')})`);
}

function asCliError(e: unknown, spec: CommandSpec | undefined, given: ReadonlyMap<string, string>): CliError {
  if (e instanceof CliError) return e;
  if (e instanceof PropError && spec) {
    const t = translate(e, spec, given);
    return new CliError(t.message, 'invalid', t.option);
  }
  if (e instanceof PropError) return new CliError(e.message, 'invalid');
  return new CliError(`internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`, 'internal');
}

if (require.main === module) {
  // `cdk8s-dynamo plan | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = main(process.argv.slice(2), {
    out: text => process.stdout.write(text + '\n'),
    err: text => process.stderr.write(text + '\n'),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  });
}
