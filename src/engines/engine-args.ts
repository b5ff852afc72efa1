import { Backend } from './backend';

/**
 * What an engine flag sets, whatever its spelling. Names of typed settings match the pool props that own them.
 * @internal
 */
export type EngineSetting =
  | 'model' | 'servedModelName' | 'role' | 'prefillWorker' | 'decodeWorker'
  | 'tensorParallel' | 'pipelineParallel' | 'dataParallel' | 'dpAttention' | 'expertParallel'
  | 'maxBatchSize' | 'maxNumBatchedTokens' | 'maxModelLen' | 'kvCacheDtype' | 'quantization' | 'gpuMemoryUtilization'
  | 'engineConfig' | 'bootstrapPort' | 'transferBackend' | 'host' | 'kvTransferConfig' | 'kvEventsConfig'
  | 'pageSize' | 'trustRemoteCode' | 'skipTokenizerInit' | 'metrics' | 'lora' | 'maxLoraRank' | 'loraTargetModules'
  | 'multinode' | 'multimodal' | 'multimodalRole' | 'maxImagesPerPrompt' | 'embeddingCache' | 'chatTemplate' | 'radixCache'
  | 'dtype' | 'blockSize';

/** One setting and the spellings that set it: `value` flags take an argument, switches do not. */
interface SettingSpellings {
  readonly setting: EngineSetting;
  readonly value: boolean;
  readonly names: readonly string[];
}

const v = (setting: EngineSetting, ...names: string[]): SettingSpellings => ({ setting, value: true, names });
const s = (setting: EngineSetting, ...names: string[]): SettingSpellings => ({ setting, value: false, names });

/** Flags every Dynamo worker wrapper shares (identity and role). */
const DYNAMO = [
  v('servedModelName', '--served-model-name'),
  v('role', '--disaggregation-mode'),
  // Older Dynamo releases spell the role as switches.
  s('prefillWorker', '--is-prefill-worker'),
  s('decodeWorker', '--is-decode-worker'),
  s('multimodal', '--enable-multimodal'),
  v('embeddingCache', '--multimodal-embedding-cache-capacity-gb'),
];

/**
 * Each engine's spellings of the flags the library renders or the operator injects (aliases included; argparse
 * abbreviations, `_` for `-` and `--no-` negations are resolved by the parser).
 */
const SPELLINGS: Record<Backend, readonly SettingSpellings[]> = {
  [Backend.VLLM]: [
    ...DYNAMO,
    v('model', '--model'),
    v('tensorParallel', '--tensor-parallel-size', '-tp'),
    v('pipelineParallel', '--pipeline-parallel-size', '-pp'),
    v('dataParallel', '--data-parallel-size', '-dp'),
    s('expertParallel', '--enable-expert-parallel', '-ep'),
    v('maxBatchSize', '--max-num-seqs'),
    v('maxNumBatchedTokens', '--max-num-batched-tokens'),
    v('maxModelLen', '--max-model-len'),
    v('kvCacheDtype', '--kv-cache-dtype'),
    v('quantization', '--quantization', '-q'),
    v('gpuMemoryUtilization', '--gpu-memory-utilization'),
    v('kvTransferConfig', '--kv-transfer-config'),
    v('kvEventsConfig', '--kv-events-config'),
    s('lora', '--enable-lora'),
    v('maxLoraRank', '--max-lora-rank'),
    s('multimodalRole', '--route-to-encoder', '--enable-mm-embeds'),
    v('dtype', '--dtype'),
    v('blockSize', '--block-size'),
    v('maxImagesPerPrompt', '--limit-mm-per-prompt'),
    v('multinode', '--distributed-executor-backend', '--nnodes', '--master-addr', '--master-port', '--node-rank'),
    s('multinode', '--headless'),
  ],
  [Backend.SGLANG]: [
    ...DYNAMO,
    v('model', '--model-path', '--model'),
    v('pageSize', '--page-size'),
    v('tensorParallel', '--tp-size', '--tensor-parallel-size'),
    v('pipelineParallel', '--pp-size', '--pipeline-parallel-size'),
    v('dataParallel', '--dp-size', '--data-parallel-size'),
    s('dpAttention', '--enable-dp-attention'),
    v('expertParallel', '--ep-size', '--expert-parallel-size', '--ep'),
    s('trustRemoteCode', '--trust-remote-code'),
    s('skipTokenizerInit', '--skip-tokenizer-init'),
    v('maxBatchSize', '--max-running-requests'),
    v('maxNumBatchedTokens', '--chunked-prefill-size'),
    v('maxModelLen', '--context-length'),
    v('kvCacheDtype', '--kv-cache-dtype'),
    v('quantization', '--quantization'),
    v('gpuMemoryUtilization', '--mem-fraction-static'),
    v('transferBackend', '--disaggregation-transfer-backend'),
    v('bootstrapPort', '--disaggregation-bootstrap-port'),
    v('host', '--host'),
    v('kvEventsConfig', '--kv-events-config'),
    s('metrics', '--enable-metrics'),
    s('lora', '--enable-lora'),
    v('maxLoraRank', '--max-lora-rank'),
    v('loraTargetModules', '--lora-target-modules'),
    s('multimodalRole', '--dedicated-mm-encoder'),
    v('chatTemplate', '--chat-template'),
    s('radixCache', '--disable-radix-cache'),
    v('dtype', '--dtype'),
    v('multinode', '--dist-init-addr', '--nnodes', '--node-rank'),
  ],
  [Backend.TRTLLM]: [
    ...DYNAMO,
    v('model', '--model-path'),
    v('engineConfig', '--extra-engine-args'),
    v('tensorParallel', '--tensor-parallel-size'),
    v('pipelineParallel', '--pipeline-parallel-size'),
    v('expertParallel', '--expert-parallel-size'),
    v('maxBatchSize', '--max-batch-size'),
    v('maxNumBatchedTokens', '--max-num-tokens'),
    v('maxModelLen', '--max-seq-len'),
    v('gpuMemoryUtilization', '--free-gpu-memory-fraction'),
    // `--publish-kv-events` is the newer name of the same switch.
    s('metrics', '--publish-events-and-metrics', '--publish-kv-events'),
    v('multimodal', '--modality'),
    v('multimodalRole', '--encode-endpoint'),
  ],
};

/** Abbreviations shorter than this (after `--`) are not read as a prefix of a longer flag. */
const MIN_ABBREVIATION = 2;

/**
 * One flag as the engine would read it.
 * @internal
 */
export interface EngineArg {
  /** The setting, when the flag is one this table knows (undefined for any other flag). */
  readonly setting?: EngineSetting;
  /** The flag as written, without an inline `=value`. */
  readonly written: string;
  /** The spelling it resolves to (`--tensor-parallel-size` for `--tensor_parallel_size` or `--tensor-par`). */
  readonly flag: string;
  /** The value: the next argument, the part after `=`, or `true`/`false` for a switch. */
  readonly value?: string;
  /** Index of the argument the flag is in. */
  readonly index: number;
  /** True when the argument also holds other words (`'--tp 4'` as one element). */
  readonly joined: boolean;
  /** True when the flag was written as an abbreviation of a longer one. */
  readonly abbreviated: boolean;
  /** Settings an ambiguous abbreviation could mean (argparse refuses it at start-up). */
  readonly ambiguous?: readonly EngineSetting[];
}

/**
 * Reads an engine command line the way the engine's argument parser does: `--a=b` and `--a b`, `_` for `-` in long
 * flags, aliases (`-tp`, `--tp-size`), argparse's unique-prefix abbreviations, `--no-` negations, one element holding
 * a flag and its value (the operator's shell form splits it), and the last occurrence of a flag wins. The pools check
 * `extraArgs` with it and the policy rules read rendered command lines with it, so both see what the engine sees.
 * @internal
 */
export class EngineArgs {
  /**
   * @param backend the engine; undefined reads every engine's spellings (a pod whose engine is unknown)
   * @param args the command line (exec-form elements)
   */
  public static parse(backend: Backend | undefined, args: readonly string[]): EngineArgs {
    const table = EngineArgs.table(backend);
    const out: EngineArg[] = [];
    for (let i = 0; i < args.length; i++) {
      const element = args[i];
      const at = i;
      if (!EngineArgs.isFlag(element)) continue;
      const words = /\s/.test(element.split('=')[0]) ? EngineArgs.shellSplit(element) : [element];
      const joined = words.length > 1;
      for (let w = 0; w < words.length; w++) {
        const word = words[w];
        if (!EngineArgs.isFlag(word)) continue;
        const eq = word.indexOf('=');
        let written = eq > 0 ? word.slice(0, eq) : word;
        let inline = eq > 0 ? word.slice(eq + 1) : undefined;
        let found = EngineArgs.resolve(table, written);
        // argparse reads `-qfp8` as the one-letter option `-q` with the value `fp8`.
        const short = !found.spelling && !written.startsWith('--') && written.length > 2 ? table.get(written.slice(0, 2)) : undefined;
        if (short?.value && inline === undefined) {
          inline = written.slice(2);
          written = written.slice(0, 2);
          found = EngineArgs.resolve(table, written);
        }
        const takesValue = found.spelling ? found.spelling.value : undefined;
        let value = inline;
        if (value === undefined && takesValue !== false) {
          // A known value flag takes the next word; an unknown flag takes it unless it looks like a flag.
          const next = w + 1 < words.length ? words[w + 1] : !joined && i + 1 < args.length ? args[i + 1] : undefined;
          if (next !== undefined && !EngineArgs.isFlag(next)) {
            value = next;
            if (w + 1 < words.length) w++;
            else i++;
          }
        }
        if (takesValue === false) value = inline ?? (found.negated ? 'false' : 'true');
        out.push({
          setting: found.spelling?.setting,
          written,
          flag: found.flag ?? written,
          value,
          index: at,
          joined,
          abbreviated: found.abbreviated,
          ambiguous: found.ambiguous,
        });
      }
    }
    return new EngineArgs(out);
  }

  /** Every spelling of `setting` for `backend`, canonical first (the renderers use the first). */
  public static spellings(backend: Backend, setting: EngineSetting): readonly string[] {
    return SPELLINGS[backend].filter(x => x.setting === setting).flatMap(x => x.names);
  }

  /** Splits a shell line into words, honouring single and double quotes and backslash escapes. */
  public static shellSplit(line: string): string[] {
    const words: string[] = [];
    let word = '';
    let inWord = false;
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quote) {
        if (ch === quote) quote = undefined;
        else if (ch === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
        else word += ch;
      } else if (ch === '\'' || ch === '"') {
        quote = ch;
        inWord = true;
      } else if (ch === '\\' && i + 1 < line.length) {
        word += line[++i];
        inWord = true;
      } else if (/\s/.test(ch) || ch === ';' || ch === '&' || ch === '|') {
        if (inWord) words.push(word);
        word = '';
        inWord = false;
      } else {
        word += ch;
        inWord = true;
      }
    }
    if (inWord) words.push(word);
    return words;
  }

  /** True for `-x` / `--x` words; negative numbers and a lone `-` are values. */
  private static isFlag(word: string): boolean {
    return word.length > 1 && word.startsWith('-') && !/^-\d/.test(word) && word !== '--';
  }

  private static table(backend: Backend | undefined): Map<string, SettingSpellings> {
    const table = new Map<string, SettingSpellings>();
    for (const b of backend === undefined ? Object.values(Backend) : [backend]) {
      for (const entry of SPELLINGS[b]) for (const name of entry.names) if (!table.has(name)) table.set(name, entry);
    }
    return table;
  }

  /** The spelling a written flag means: exact, `_` for `-`, `--no-` negation, then a unique prefix. */
  private static resolve(table: Map<string, SettingSpellings>, written: string): {
    spelling?: SettingSpellings; flag?: string; abbreviated: boolean; negated: boolean; ambiguous?: EngineSetting[];
  } {
    const long = written.startsWith('--');
    const name = long ? `--${written.slice(2).replace(/_/g, '-')}` : written;
    const exact = table.get(name);
    if (exact) return { spelling: exact, flag: name, abbreviated: false, negated: false };
    if (long && name.startsWith('--no-')) {
      const positive = table.get(`--${name.slice(5)}`);
      if (positive && !positive.value) return { spelling: positive, flag: `--${name.slice(5)}`, abbreviated: false, negated: true };
    }
    if (!long || name.length - 2 < MIN_ABBREVIATION) return { abbreviated: false, negated: false };
    const candidates = [...table.keys()].filter(k => k.startsWith('--') && k.startsWith(name));
    const settings = [...new Set(candidates.map(k => table.get(k)!.setting))];
    if (settings.length === 1) return { spelling: table.get(candidates[0]), flag: candidates[0], abbreviated: true, negated: false };
    if (settings.length > 1) return { abbreviated: true, negated: false, ambiguous: settings };
    return { abbreviated: false, negated: false };
  }

  private constructor(
    /** Every flag in order. */
    public readonly all: readonly EngineArg[],
  ) {}

  /** The value the engine uses for `setting`: its last occurrence (argparse: the last one wins). */
  public value(setting: EngineSetting): string | undefined {
    for (let i = this.all.length - 1; i >= 0; i--) if (this.all[i].setting === setting) return this.all[i].value;
    return undefined;
  }

  /** A whole-number setting, undefined when absent or not a number. */
  public int(setting: EngineSetting): number | undefined {
    const value = this.value(setting);
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  }

  /** True when a switch is on at its last occurrence (`--flag`, `--flag=true`). */
  public on(setting: EngineSetting): boolean {
    const value = this.value(setting);
    return value !== undefined && /^(true|1|yes)$/i.test(value);
  }

  /** The value of any flag by its exact spelling (flags outside the table: `-m`, `--config`), last occurrence. */
  public raw(...flags: string[]): string | undefined {
    for (let i = this.all.length - 1; i >= 0; i--) if (flags.includes(this.all[i].flag)) return this.all[i].value;
    return undefined;
  }
}
