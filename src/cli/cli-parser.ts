// The CLI's argument parsing: each subcommand declares its flags in a table (one line per flag); Node's
// `util.parseArgs` reads them in strict mode, and this module turns everything it refuses into a message that names
// the flag, the value as typed and what is allowed (with "did you mean" for near misses).
import { parseArgs, ParseArgsConfig } from 'util';
import { PropError } from '../common/errors';

/**
 * Where the CLI writes (the process streams in the bin; buffers in tests).
 * @internal
 */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Width of the terminal stdout is, if it is one (tables then fit it when narrower than the default). */
  readonly columns?: number;
}

/** What went wrong, for `--json` callers: usage (exit 2), invalid (2), sla-miss (1), does-not-fit (1), internal (2). */
export type CliErrorKind = 'usage' | 'invalid' | 'sla-miss' | 'does-not-fit' | 'internal';

/**
 * An error the CLI reports: its exit code, its kind and, when one flag is at fault, that flag.
 * @internal
 */
export class CliError extends Error {
  public constructor(
    message: string,
    public readonly kind: CliErrorKind = 'usage',
    public readonly option?: string,
    public readonly exitCode: number = kind === 'sla-miss' || kind === 'does-not-fit' ? 1 : 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** One flag of a subcommand. `Always` is true when the parsed value is never undefined (required, or a switch). */
export interface FlagSpec<T, Always extends boolean = boolean> {
  readonly type: 'string' | 'boolean';
  /** Shown after the flag in the help (`N`, `MS`, `vllm|sglang`); empty for a switch. */
  readonly placeholder: string;
  readonly description: string;
  readonly required: Always;
  /** Library props this flag sets, so that the library's errors name the flag instead (`hardware.totalGpus`). */
  readonly props: readonly string[];
  /** Converts the text given; throws a CliError naming `flag` when the text is not allowed. */
  readonly parse: (raw: string, flag: string) => T;
}

/** Options shared by every kind of flag. */
interface FlagOptions<R extends boolean> {
  /** The flag must be given. */
  readonly required?: R;
  /** Library props the flag sets (see FlagSpec.props). */
  readonly prop?: string | readonly string[];
  /** Placeholder in the help. */
  readonly placeholder?: string;
}

type AnyFlag = FlagSpec<unknown, boolean>;
type FlagTable = Record<string, AnyFlag>;

/** The parsed values of a flag table: typed by each flag, undefined when not given (switches default to false). */
export type FlagValues<O extends FlagTable> = {
  readonly [K in keyof O]: O[K] extends FlagSpec<infer T, true> ? T : O[K] extends FlagSpec<infer T, boolean> ? T | undefined : never;
};

/** A subcommand: its flags and what it does with them. */
export interface CommandSpec<O extends FlagTable = FlagTable> {
  /** One line for the overview. */
  readonly summary: string;
  readonly flags: O;
  /** Paragraphs after the flag list in the subcommand's help. */
  readonly notes?: string;
  /** Runs the subcommand; returns the exit code (throw a CliError to fail). */
  run(values: FlagValues<O>, io: CliIo): number;
}

/** Declares a subcommand (only to infer the flag table's type for `run`). */
export function command<O extends FlagTable>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const WHOLE = /^\+?\d+$/;

function base<R extends boolean>(description: string, o: FlagOptions<R>, placeholder: string): Omit<FlagSpec<never, R>, 'parse' | 'type'> {
  const props = o.prop === undefined ? [] : typeof o.prop === 'string' ? [o.prop] : o.prop;
  return { description, required: (o.required ?? false) as R, props, placeholder: o.placeholder ?? placeholder };
}

function refuse(flag: string, raw: string, allowed: string, hint?: string): CliError {
  return new CliError(`option '${flag}' is ${PropError.show(raw)}: allowed: ${allowed}${hint ? `; ${hint}` : ''}`, 'usage', flag);
}

/**
 * Flag builders for the subcommand tables.
 * @internal
 */
export const Flag = {
  /** Free text, never empty. */
  text<const R extends boolean = false>(description: string, o: FlagOptions<R> = {}): FlagSpec<string, R> {
    return {
      ...base(description, o, 'TEXT'),
      type: 'string',
      parse: (raw, flag) => {
        if (raw.trim() === '') throw refuse(flag, raw, 'a non-empty value');
        return raw;
      },
    };
  },

  /** A whole number in [min, max] (decimal digits only: no `1e3`, `0x10`, `NaN`). */
  whole<const R extends boolean = false>(description: string,
    o: FlagOptions<R> & { readonly min?: number; readonly max?: number } = {}): FlagSpec<number, R> {
    const min = o.min ?? 1;
    const allowed = o.max === undefined ? `a whole number >= ${min}` : `a whole number from ${min} to ${o.max}`;
    return {
      ...base(description, o, 'N'),
      type: 'string',
      parse: (raw, flag) => {
        const n = Number(raw);
        if (!WHOLE.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || (o.max !== undefined && n > o.max)) throw refuse(flag, raw, allowed);
        return n;
      },
    };
  },

  /** A finite decimal number; `above` is an exclusive lower bound, `min` an inclusive one. */
  number<const R extends boolean = false>(description: string,
    o: FlagOptions<R> & { readonly min?: number; readonly above?: number; readonly max?: number } = {}): FlagSpec<number, R> {
    const low = o.min !== undefined ? `>= ${o.min}` : o.above !== undefined ? `> ${o.above}` : undefined;
    const allowed = `a number${low ? ` ${low}` : ''}${o.max !== undefined ? `${low ? ' and' : ''} <= ${o.max}` : ''}`;
    return {
      ...base(description, o, 'X'),
      type: 'string',
      parse: (raw, flag) => {
        const n = Number(raw);
        const ok = DECIMAL.test(raw.trim()) && Number.isFinite(n) && (o.min === undefined || n >= o.min)
          && (o.above === undefined || n > o.above) && (o.max === undefined || n <= o.max);
        if (!ok) throw refuse(flag, raw, allowed);
        return n;
      },
    };
  },

  /** One of `values` (case does not matter). */
  choice<const T extends string, const R extends boolean = false>(values: readonly T[], description: string, o: FlagOptions<R> = {}): FlagSpec<T, R> {
    return {
      ...base(description, o, values.join('|')),
      type: 'string',
      parse: (raw, flag) => {
        const found = values.find(v => v === raw.trim().toLowerCase());
        if (found === undefined) throw refuse(flag, raw, values.join(', '), didYouMean(raw.trim().toLowerCase(), values, v => `'${v}'`));
        return found;
      },
    };
  },

  /** A switch: given alone (true), or as `--flag=true` / `--flag=false`; false when absent. */
  switch(description: string, o: Omit<FlagOptions<false>, 'required' | 'placeholder'> = {}): FlagSpec<boolean, true> {
    return { ...base(description, o, ''), required: true, type: 'boolean', parse: () => true };
  },
};

/** "did you mean 'x'?" for the nearest candidates within a small edit distance (or sharing a long prefix). */
export function didYouMean(given: string, candidates: readonly string[], show: (c: string) => string): string | undefined {
  const g = given.toLowerCase();
  const scored = candidates.map(c => {
    const lower = c.toLowerCase();
    const prefix = g.length >= 3 && (lower.startsWith(g) || g.startsWith(lower));
    return { c, score: prefix ? Math.min(editDistance(g, lower), 1) : editDistance(g, lower) };
  });
  const best = Math.min(...scored.map(s => s.score));
  const limit = Math.max(1, Math.min(3, Math.floor(g.length / 3)));
  if (!(best <= limit)) return undefined;
  const nearest = scored.filter(s => s.score === best).map(s => show(s.c));
  return nearest.length === 1 ? `did you mean ${nearest[0]}?` : `did you mean one of ${nearest.slice(0, 5).join(', ')}?`;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The parsed flags of one call, with the text each was given as (for messages about library props). */
export interface ParsedFlags<O extends FlagTable> {
  readonly values: FlagValues<O>;
  /** Flag (`--tp`) to the text given. */
  readonly given: ReadonlyMap<string, string>;
  readonly help: boolean;
}

/**
 * Reads `argv` (after the subcommand) against the subcommand's flags, strictly: unknown flags, flags of another
 * subcommand, values on switches other than true/false, repeated flags and stray arguments are errors.
 * @internal
 */
export function parseFlags<O extends FlagTable>(name: string, spec: CommandSpec<O>, argv: readonly string[],
  others: Readonly<Record<string, CommandSpec>>): ParsedFlags<O> {
  const flags: FlagTable = spec.flags;
  const explicitFalse = new Set<string>();
  const args: string[] = [];
  let ended = false;
  for (const arg of argv) {
    const inline = !ended ? /^--([^=]+)=(.*)$/s.exec(arg) : null;
    if (arg === '--') ended = true;
    if (inline && flags[inline[1]]?.type === 'boolean') {
      const v = inline[2].trim().toLowerCase();
      if (v === 'true') args.push(`--${inline[1]}`);
      else if (v === 'false') explicitFalse.add(inline[1]);
      else throw new CliError(`option '--${inline[1]}' is a switch and takes no value: give it alone, or as --${inline[1]}=true or --${inline[1]}=false (got '${inline[2]}')`, 'usage', `--${inline[1]}`);
      continue;
    }
    args.push(arg);
  }
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [flag, f] of Object.entries(flags)) options[flag] = { type: f.type };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    throw explain(name, spec, args, options, others, e);
  }
  const given = new Map<string, string>();
  const seen = new Set<string>(explicitFalse);
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new CliError(`option '--${token.name}' is given more than once`, 'usage', `--${token.name}`);
    seen.add(token.name);
    if (token.value !== undefined) given.set(`--${token.name}`, token.value);
  }
  const help = parsed.values.help === true;
  const values: Record<string, unknown> = {};
  for (const [flag, f] of Object.entries(flags)) {
    const raw = parsed.values[flag];
    if (f.type === 'boolean') values[flag] = raw === true;
    else if (typeof raw === 'string') values[flag] = f.parse(raw, `--${flag}`);
    else if (f.required && !help) throw new CliError(`missing required option '--${flag}' (${f.description})`, 'usage', `--${flag}`);
  }
  return { values: values as FlagValues<O>, given, help };
}

/** Turns a refusal of `util.parseArgs` into a message that names the flag and the fix. */
function explain(name: string, spec: CommandSpec, args: string[], options: NonNullable<ParseArgsConfig['options']>,
  others: Readonly<Record<string, CommandSpec>>, e: unknown): Error {
  const code = (e as { code?: string }).code;
  const tokens = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true }).tokens ?? [];
  const flags = Object.keys(spec.flags);
  for (const token of tokens) {
    if (token.kind === 'option' && !(token.name in options)) {
      const owners = Object.entries(others).filter(([n, c]) => n !== name && token.name in c.flags).map(([n]) => `'${n}'`);
      if (owners.length > 0) {
        return new CliError(`option '${token.rawName}' does not apply to '${name}' (it is an option of ${owners.join(', ')})`, 'usage', token.rawName);
      }
      const hint = didYouMean(token.name, flags, f => `'--${f}'`);
      return new CliError(`unknown option '${token.rawName}' for '${name}'${hint ? `; ${hint}` : ''} (allowed: ${flags.map(f => `--${f}`).join(', ')})`,
        'usage', token.rawName);
    }
    if (token.kind === 'option' && options[token.name].type === 'string') {
      if (token.value === undefined) return new CliError(`option '${token.rawName}' needs a value (${spec.flags[token.name].description})`, 'usage', token.rawName);
      if (!token.inlineValue && token.value.startsWith('-')) {
        return new CliError(`option '${token.rawName}' needs a value, and '${token.value}' looks like an option: `
          + `write ${token.rawName}=${token.value} for a value that starts with '-'`, 'usage', token.rawName);
      }
    }
    if (token.kind === 'positional') {
      const previous = tokens.find(t => t.kind === 'option' && t.index === token.index - 1);
      const hint = previous?.kind === 'option' && options[previous.name]?.type === 'boolean'
        ? ` (${previous.rawName} is a switch and takes no separate value; write ${previous.rawName}=${token.value} to set it explicitly)` : '';
      return new CliError(`unexpected argument '${token.value}' for '${name}'${hint}`, 'usage');
    }
  }
  return new CliError(code ? (e as Error).message.split('\n')[0] : String(e), 'usage');
}

/**
 * Says a library error in the CLI's words: the flag for the prop it names, the value as typed.
 * @internal
 */
export function translate(e: PropError, spec: CommandSpec, given: ReadonlyMap<string, string>): { message: string; option?: string } {
  const words = (text: string) => inFlagWords(text, spec);
  const owner = Object.entries(spec.flags).find(([, f]) => f.props.includes(e.prop));
  const why = e.why ? ` ${words(e.why)}.` : '';
  if (owner) {
    const flag = `--${owner[0]}`;
    const raw = given.get(flag);
    const shown = raw !== undefined ? PropError.show(raw) : `${PropError.show(e.value)} (the default)`;
    return { message: `option '${flag}' is ${shown}:${why} allowed: ${words(e.allowed)}`, option: flag };
  }
  return { message: `${words(`'${e.prop}'`)} is ${PropError.show(e.value)}:${why} allowed: ${words(e.allowed)}` };
}

/** Replaces every library prop a flag of `spec` sets by that flag, as whole words. */
export function inFlagWords(text: string, spec: CommandSpec): string {
  let out = text;
  const pairs = Object.entries(spec.flags).flatMap(([flag, f]) => f.props.map(p => [p, `--${flag}`] as const))
    .sort((a, b) => b[0].length - a[0].length);
  for (const [prop, flag] of pairs) {
    out = out.replace(new RegExp(`(?<![\\w.-])${prop.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`, 'g'), flag);
  }
  return out;
}

/**
 * The help of one subcommand, from its flag table.
 * @internal
 */
export function commandHelp(program: string, name: string, spec: CommandSpec): string {
  const entries = Object.entries(spec.flags);
  const synopsis = [`${program} ${name}`,
    ...entries.filter(([, f]) => f.required && f.type === 'string').map(([flag, f]) => `--${flag} ${f.placeholder}`), '[options]'].join(' ');
  const rows = entries.map(([flag, f]) => {
    const left = `  --${flag}${f.placeholder ? ` ${f.placeholder}` : ''}`;
    const required = f.required && f.type === 'string' ? ' (required)' : '';
    return [left, `${f.description}${required}`] as const;
  });
  rows.push(['  -h, --help', 'show this help'] as const);
  const width = Math.min(34, Math.max(...rows.map(([l]) => l.length)) + 2);
  const indent = ' '.repeat(width);
  const lines = rows.map(([l, r]) => {
    const text = wrap(r, HELP_WIDTH - width).join(`\n${indent}`);
    return l.length + 2 > width ? `${l}\n${indent}${text}` : `${l.padEnd(width)}${text}`;
  });
  const paragraphs = (text: string) => text.split('\n').flatMap(p => wrap(p, HELP_WIDTH));
  return [...wrap(`Usage: ${synopsis}`, HELP_WIDTH).map((l, i) => (i === 0 ? l : `  ${l}`)), '', ...paragraphs(spec.summary), '', 'Options:', ...lines,
    ...(spec.notes ? ['', ...paragraphs(spec.notes)] : [])].join('\n');
}

/** Help fits a terminal of 100 columns, like the plan's tables. */
const HELP_WIDTH = 100;

/** Words of `text` in lines of at most `width` columns (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...out, line];
}
