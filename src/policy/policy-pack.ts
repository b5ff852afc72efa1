import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IntentAnnotations } from './intent-annotations';
import { PolicyFinding, PolicySeverity } from './policy-types';
import { RenderedObject } from './rendered/rendered-pod';
import { PolicyContext, Violation } from './rules/policy-rule';
import { RuleCatalog } from './rules/rule-catalog';
import { PropError } from '../common/errors';

/** Metadata type under which `DynamoPolicy.suppress` records suppressions on a construct. */
const SUPPRESSION_METADATA = 'cdk8s-dynamo:policy-suppression';

/**
 * Options of a policy pack.
 */
export interface PolicyPackProps {
  /**
   * Fail the synth on warnings too.
   * @default false
   */
  readonly warningsAsErrors?: boolean;
  /**
   * Print each warning once on stderr (`console.warn`) when the app validates.
   * @default true
   */
  readonly printWarnings?: boolean;
  /**
   * Sustained read throughput of the storage models load from (hub download or model cache volume), MiB/s.
   * DYN-PRB-001 estimates model load time from it; the default is deliberately conservative.
   * @default 250
   */
  readonly storageThroughputMiBps?: number;
  /**
   * Time an engine needs to start besides reading weights (CUDA graph capture, compilation, warm-up).
   * DYN-PRB-001 adds it to the load time.
   * @default Duration.minutes(5)
   */
  readonly engineStartup?: Duration;
}

/**
 * The cdk-nag-style rule pack: checks every object synthesized under its scope on each synth, through cdk8s
 * validation (`App.synth()` validates before writing anything, so an error leaves no partial output).
 *
 * Rules read the rendered objects (DGD v1alpha1/v1beta1 components, Deployments, Jobs, StatefulSets,
 * LeaderWorkerSets...), not construct internals, so they also catch escape-hatch edits. Errors fail the synth;
 * warnings are printed once each. A suppression (`DynamoPolicy.suppress`) silences a rule on one construct and is
 * recorded in the output as the `policy.cdk8s-dynamo.io/suppressed` annotation of the affected objects.
 *
 * Usually created through `DynamoPolicy.apply(scope)`; the nearest pack above an object checks it.
 */
export class PolicyPack extends Construct {
  /** Construct id `DynamoPolicy.apply` gives the pack. */
  public static readonly DEFAULT_ID = 'DynamoPolicy';

  /**
   * The pack that checks objects under `scope`: the one nearest above it (or on it), if any. A pack a construct
   * turned on by default (`DynamoGraph` on its chart) gives way to a pack the user applied further up.
   */
  public static of(scope: IConstruct): PolicyPack | undefined {
    const packs = [...scope.node.scopes].reverse()
      .map(s => s.node.children.find((c): c is PolicyPack => c instanceof PolicyPack))
      .filter((p): p is PolicyPack => p !== undefined);
    return packs.find(p => !p.yields) ?? packs[0];
  }

  /**
   * The pack a construct turns on by default for `scope`: the pack that already covers it (taking `props`), or a
   * new one that gives way to any pack the user applies above it later.
   * @internal
   */
  public static _applyDefault(scope: Construct, props?: PolicyPackProps): PolicyPack {
    const existing = PolicyPack.of(scope);
    if (existing) {
      if (props) existing._configure(props);
      return existing;
    }
    const pack = new PolicyPack(scope, PolicyPack.DEFAULT_ID, props);
    pack.byDefault = true;
    return pack;
  }

  /** @internal */
  public static _suppress(construct: IConstruct, ruleId: string, reason: string): void {
    const ids = RuleCatalog.ids();
    PropError.check(ids.includes(ruleId), construct, 'ruleId', ruleId, `one of ${ids.join(', ')}`, 'no such policy rule');
    PropError.check(typeof reason === 'string' && reason.trim().length > 0, construct, 'reason', reason,
      'a non-empty explanation', 'a suppression needs a written reason');
    PropError.check(!/[\r\n]/.test(reason), construct, 'reason', reason, 'a single line', 'the reason is recorded in an annotation line');
    construct.node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason: reason.trim() });
  }

  /** The construct that renders a DGD component: one with that `componentName` next to (or under) the object. */
  private static componentConstruct(object: ApiObject, component: string): IConstruct | undefined {
    const parent = object.node.scope;
    return parent?.node.findAll().find(c => c !== object && (c as any).componentName === component);
  }

  private static checkProps(scope: IConstruct, props: PolicyPackProps): void {
    const throughput = props.storageThroughputMiBps;
    PropError.check(throughput === undefined || (Number.isFinite(throughput) && throughput > 0), scope, 'storageThroughputMiBps', throughput, 'a positive number');
    const startup = props.engineStartup?.toSeconds({ integral: false });
    PropError.check(startup === undefined || (Number.isFinite(startup) && startup >= 0), scope, 'engineStartup', props.engineStartup && `${startup}s`,
      'a Duration of 0 or more');
  }

  /** The options as plain figures in a fixed key order, to tell equal options from different ones. */
  private static settings(props: PolicyPackProps): { [option: string]: unknown } {
    const plain: { [option: string]: unknown } = { ...props, engineStartup: props.engineStartup && `${props.engineStartup.toSeconds({ integral: false })}s` };
    return Object.fromEntries(Object.keys(plain).sort().filter(k => plain[k] !== undefined).map(k => [k, plain[k]]));
  }

  private props: PolicyPackProps;
  private configured: boolean;
  /** Created by a construct's default rather than by the user. */
  private byDefault = false;
  /** Returned to the user by `DynamoPolicy.apply`. */
  private claimed = false;
  private readonly printed = new Set<string>();

  constructor(scope: Construct, id: string, props: PolicyPackProps = {}) {
    super(scope, id);
    PolicyPack.checkProps(this, props);
    this.props = props;
    this.configured = Object.keys(props).length > 0;
    this.node.addValidation({ validate: () => this.validateScope() });
  }

  /** Every finding in the pack's scope, suppressed ones included (with their reason), in a stable order. */
  public findings(): PolicyFinding[] {
    const objects = this.objects();
    const ctx = new PolicyContext(objects, {
      storageBytesPerSecond: (this.props.storageThroughputMiBps ?? 250) * 1024 ** 2,
      engineStartupSeconds: (this.props.engineStartup ?? Duration.minutes(5)).toSeconds({ integral: false }),
    });
    const findings: PolicyFinding[] = [];
    const seen = new Set<string>();
    for (const rule of RuleCatalog.ALL) {
      for (const v of rule.check(ctx)) {
        const message = `${rule.id} ${PropError.invalid(v.object.path, v.field, v.value, v.allowed, v.why).message} (fix: ${rule.fix})`;
        if (seen.has(message)) continue;
        seen.add(message);
        findings.push({
          ruleId: rule.id,
          severity: rule.severity,
          path: v.object.path,
          kind: v.object.json.kind,
          name: v.object.json.metadata?.name,
          component: v.component,
          field: v.field,
          message,
          suppressedBecause: this.suppression(rule.id, v),
        });
      }
    }
    const key = (f: PolicyFinding) => [f.path, f.component ?? '', f.ruleId, f.field, f.message].join('\u0000');
    return findings.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /**
   * Hands the pack to the user (`DynamoPolicy.apply`): from then on it is theirs and no longer gives way.
   * @internal
   */
  public _claim(props?: PolicyPackProps): void {
    if (props) this._configure(props);
    this.claimed = true;
  }

  /** @internal Options given after creation (the first explicit ones win; conflicting ones are refused). */
  public _configure(props: PolicyPackProps): void {
    PolicyPack.checkProps(this, props);
    const [given, had] = [PolicyPack.settings(props), PolicyPack.settings(this.props)];
    PropError.check(!this.configured || JSON.stringify(given) === JSON.stringify(had), this, 'props', given, `the options it already has: ${JSON.stringify(had)}`,
      'a policy pack is already applied here with other options; pass options on the first DynamoPolicy.apply()');
    this.props = props;
    this.configured = true;
  }

  /** True for a default pack nobody has configured or applied explicitly: a user's pack above it takes over. */
  private get yields(): boolean {
    return this.byDefault && !this.configured && !this.claimed;
  }

  private validateScope(): string[] {
    const findings = this.findings();
    this.recordSuppressions(findings);
    const active = findings.filter(f => f.suppressedBecause === undefined);
    const failOnWarnings = this.props.warningsAsErrors === true;
    if (this.props.printWarnings !== false && !failOnWarnings) {
      for (const f of active.filter(x => x.severity === PolicySeverity.WARNING && !this.printed.has(x.message))) {
        this.printed.add(f.message);
        console.warn(`[policy warning] ${f.message}`);
      }
    }
    return active.filter(f => f.severity === PolicySeverity.ERROR || failOnWarnings).map(f => f.message);
  }

  /** Objects this pack checks: ApiObjects under its scope whose nearest pack is this one. */
  private objects(): RenderedObject[] {
    const scope = this.node.scope!;
    const out: RenderedObject[] = [];
    for (const c of scope.node.findAll()) {
      if (!ApiObject.isApiObject(c) || PolicyPack.of(c) !== this) continue;
      let json: any;
      try {
        json = c.toJson();
      } catch {
        // An object that cannot render reports its own error at synth; rules cannot say more about it.
        continue;
      }
      out.push({ apiObject: c, json, path: c.node.path });
    }
    return out;
  }

  /** The reason of the suppression nearest to the finding's construct (its component construct, else its object). */
  private suppression(ruleId: string, v: Violation): string | undefined {
    const owner = (v.component && PolicyPack.componentConstruct(v.object.apiObject, v.component)) || v.object.apiObject;
    for (const s of [...owner.node.scopes].reverse()) {
      const entries = s.node.metadata.filter(m => m.type === SUPPRESSION_METADATA && m.data?.ruleId === ruleId);
      if (entries.length > 0) return entries[entries.length - 1].data.reason;
    }
    return undefined;
  }

  /** Writes the suppressed findings of each object into its `policy.cdk8s-dynamo.io/suppressed` annotation. */
  private recordSuppressions(findings: PolicyFinding[]): void {
    const byPath = new Map<string, Set<string>>();
    for (const f of findings.filter(x => x.suppressedBecause !== undefined)) {
      const lines = byPath.get(f.path) ?? new Set<string>();
      lines.add(`${f.ruleId}${f.component ? `[${f.component}]` : ''}=${f.suppressedBecause}`);
      byPath.set(f.path, lines);
    }
    for (const c of this.node.scope!.node.findAll()) {
      const lines = byPath.get(c.node.path);
      if (lines && ApiObject.isApiObject(c)) c.metadata.addAnnotation(IntentAnnotations.SUPPRESSED, [...lines].sort().join('\n'));
    }
  }
}
