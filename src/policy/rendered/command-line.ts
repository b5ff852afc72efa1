import { EngineArgs } from '../../engines/engine-args';

/**
 * A container's command line as tokens, whether it is an exec array (`[python3, -m, dynamo.vllm, ...]`)
 * or a shell script (`[/bin/sh, -c]` + `["python3 -m dynamo.vllm --model X"]`, the Dynamo operator's default).
 * Rules read engine flags from it (parallelism, disaggregation role, planner config).
 * @internal
 */
export class CommandLine {
  /**
   * @param command the container's `command`, undefined when the image or operator default applies
   * @param args the container's `args`
   * @param shellByDefault true when an unset command means `/bin/sh -c` (Dynamo operator main containers)
   */
  public static of(command: unknown, args: unknown, shellByDefault: boolean): CommandLine {
    const cmd = CommandLine.strings(command);
    const arg = CommandLine.strings(args);
    const all = [...cmd, ...arg];
    const shellAt = all.findIndex((t, i) => /(^|\/)(ba|da)?sh$/.test(t) && all[i + 1] === '-c');
    if (shellAt >= 0) return new CommandLine(EngineArgs.shellSplit(all[shellAt + 2] ?? ''));
    if (cmd.length === 0 && shellByDefault) return new CommandLine(EngineArgs.shellSplit(arg[0] ?? ''));
    return new CommandLine(all);
  }

  private static strings(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }

  private constructor(public readonly tokens: string[]) {}

  /** Value of the first of `names` present, as `--flag value` or `--flag=value`. */
  public flag(...names: string[]): string | undefined {
    for (let i = 0; i < this.tokens.length; i++) {
      const token = this.tokens[i];
      for (const name of names) {
        if (token === name) return this.tokens[i + 1];
        if (token.startsWith(`${name}=`)) return token.slice(name.length + 1);
      }
    }
    return undefined;
  }

  /** A whole-number flag, undefined when absent or not a number. */
  public intFlag(...names: string[]): number | undefined {
    const value = this.flag(...names);
    if (value === undefined || !/^\d+$/.test(value)) return undefined;
    return Number(value);
  }

  /** The Python module started with `-m` (e.g. `dynamo.vllm`), if any. */
  public get module(): string | undefined {
    return this.flag('-m');
  }
}
