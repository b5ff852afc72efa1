import { CliError, command, commandHelp, didYouMean, Flag, parseFlags } from '../../src/cli/cli-parser';

/** A subcommand with one flag of each kind, as a new flag would be declared. */
const TOY = command({
  summary: 'a toy',
  flags: {
    name: Flag.text('a name', { required: true, placeholder: 'NAME' }),
    count: Flag.whole('how many', { max: 10, prop: 'options.count' }),
    share: Flag.number('a share', { above: 0, max: 1 }),
    colour: Flag.choice(['red', 'green'], 'a colour'),
    loud: Flag.switch('say it loudly'),
  },
  run: () => 0,
});
const OTHER = command({ summary: 'another', flags: { width: Flag.whole('width') }, run: () => 0 });
const ALL = { toy: TOY, other: OTHER };

function parse(...argv: string[]) {
  return parseFlags('toy', TOY, argv, ALL);
}

function refusal(...argv: string[]): CliError {
  try {
    parse(...argv);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return e as CliError;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
}

describe('parseFlags', () => {
  test('typed values; both spellings of a value; switches false unless given', () => {
    expect(parse('--name', 'a', '--count=3', '--share', '.5', '--colour', 'RED').values).toEqual({ name: 'a', count: 3, share: 0.5, colour: 'red', loud: false });
    expect(parse('--name=a', '--loud').values.loud).toBe(true);
    expect(parse('--name=a', '--loud=TRUE').values.loud).toBe(true);
    expect(parse('--name=a', '--loud=false').values.loud).toBe(false);
    expect(parse('--name', 'a', '--count', '3').given).toEqual(new Map([['--name', 'a'], ['--count', '3']]));
    expect(parse('--help').help).toBe(true);
    expect(parse('-h').help).toBe(true);
  });

  test.each([
    [['--name', 'a', '--loud=yes'], /option '--loud' is a switch and takes no value: give it alone, or as --loud=true or --loud=false \(got 'yes'\)/, '--loud'],
    [['--name', 'a', '--loud', 'false'], /unexpected argument 'false' for 'toy' \(--loud is a switch and takes no separate value; write --loud=false/, undefined],
    [['--name', 'a', '--width', '3'], /option '--width' does not apply to 'toy' \(it is an option of 'other'\)/, '--width'],
    [['--name', 'a', '--cuont', '3'], /unknown option '--cuont' for 'toy'; did you mean '--count'\? \(allowed: --name, --count, --share, --colour, --loud\)/, '--cuont'],
    [['--name', 'a', '-x'], /unknown option '-x' for 'toy'/, '-x'],
    [['--name', 'a', 'stray'], /unexpected argument 'stray' for 'toy'/, undefined],
    [['--name', 'a', '--', '--count'], /unexpected argument '--count' for 'toy'/, undefined],
    [['--name'], /option '--name' needs a value \(a name\)/, '--name'],
    [['--name', '--loud'], /option '--name' needs a value, and '--loud' looks like an option: write --name=--loud/, '--name'],
    [['--name', 'a', '--count', '1', '--count', '2'], /option '--count' is given more than once/, '--count'],
    [['--name', 'a', '--loud', '--loud=false'], /option '--loud' is given more than once/, '--loud'],
    [['--count', '1'], /missing required option '--name' \(a name\)/, '--name'],
    [['--name', ' '], /option '--name' is ' ': allowed: a non-empty value/, '--name'],
    [['--name', 'a', '--count', '11'], /option '--count' is '11': allowed: a whole number from 1 to 10/, '--count'],
    [['--name', 'a', '--count', '2.5'], /option '--count' is '2.5': allowed: a whole number from 1 to 10/, '--count'],
    [['--name', 'a', '--count', '1e1'], /option '--count' is '1e1'/, '--count'],
    [['--name', 'a', '--count', '0x3'], /option '--count' is '0x3'/, '--count'],
    [['--name', 'a', '--share', 'NaN'], /option '--share' is 'NaN': allowed: a number > 0 and <= 1/, '--share'],
    [['--name', 'a', '--share', 'Infinity'], /option '--share' is 'Infinity'/, '--share'],
    [['--name', 'a', '--share', ''], /option '--share' is ''/, '--share'],
    [['--name', 'a', '--share=-0.5'], /option '--share' is '-0.5': allowed: a number > 0 and <= 1/, '--share'],
    [['--name', 'a', '--colour', 'gren'], /option '--colour' is 'gren': allowed: red, green; did you mean 'green'\?/, '--colour'],
  ])('%j is refused', (argv, message, option) => {
    const e = refusal(...argv);
    expect(e.message).toMatch(message);
    expect(e.option).toBe(option);
    expect(e.exitCode).toBe(2);
    expect(e.kind).toBe('usage');
  });
});

describe('didYouMean', () => {
  test('nearest by edit distance, transpositions count once, prefixes count', () => {
    const show = (c: string) => `'${c}'`;
    expect(didYouMean('totla-gpus', ['total-gpus', 'tp'], show)).toBe("did you mean 'total-gpus'?");
    expect(didYouMean('max-seq', ['max-seq-len', 'mode'], show)).toBe("did you mean 'max-seq-len'?");
    expect(didYouMean('h100', ['h100-sxm', 'h100-pcie', 'l40s'], show)).toBe("did you mean one of 'h100-sxm', 'h100-pcie'?");
    expect(didYouMean('zzzzzz', ['total-gpus', 'tp'], show)).toBeUndefined();
    expect(didYouMean('x', [], show)).toBeUndefined();
  });
});

test('help lists every flag of the table with its placeholder, and the required ones in the synopsis', () => {
  const help = commandHelp('prog', 'toy', TOY);
  expect(help).toMatch(/^Usage: prog toy --name NAME \[options\]\n\na toy\n/);
  for (const flag of ['--name NAME', '--count N', '--share X', '--colour red|green', '--loud', '-h, --help']) expect(help).toContain(flag);
  expect(help).toMatch(/--name NAME +a name \(required\)/);
});
