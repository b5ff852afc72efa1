import { GpuRules } from './gpu-rules';
import { GraphRules } from './graph-rules';
import { ImageRules } from './image-rules';
import { PolicyRule } from './policy-rule';
import { ProbeRules } from './probe-rules';
import { SecurityRules } from './security-rules';

/**
 * The rules of the default pack, in documentation order.
 * @internal
 */
export class RuleCatalog {
  public static readonly ALL: PolicyRule[] = [
    ...GpuRules.ALL, ...GraphRules.ALL, ...ImageRules.ALL, ...ProbeRules.ALL, ...SecurityRules.ALL,
  ];

  public static ids(): string[] {
    return RuleCatalog.ALL.map(r => r.id);
  }
}
