/**
 * Strict validation of custom resources against CRD `openAPIV3Schema`s, with the
 * API server's structural-schema semantics: fields a schema does not declare
 * would be pruned on apply, so for us they are errors; `x-kubernetes-preserve-
 * unknown-fields`, `x-kubernetes-int-or-string`, `x-kubernetes-embedded-resource`,
 * list-map keys and CEL `x-kubernetes-validations` (see cel.ts) are honoured.
 *
 * The Dynamo CRDs are upstream files we must not copy: they are read at test
 * time from `../shared/reference/dynamo/crds/` (beside the repository, see shared-reference.ts), or only from
 * `$DYNAMO_CRDS_DIR` when that is set. When absent, Dynamo kinds are
 * skipped and `crdSchemasAvailable()` is false.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import * as YAML from 'yaml';
import { CelProgram, CelUnsupported, OptionalValue } from './cel';
import { SchemaIssue, summarizeAjvErrors, validateDefinition } from './k8s-schemas';
import { sharedReference } from './shared-reference';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const addFormats = require('ajv-formats');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** `$DYNAMO_CRDS_DIR`, when set, is the only place looked at (set it to a missing path to test the skip). */
const CRD_DIR_CANDIDATES = process.env.DYNAMO_CRDS_DIR !== undefined
  ? [process.env.DYNAMO_CRDS_DIR]
  : [sharedReference('reference', 'dynamo', 'crds')].filter((d): d is string => d !== undefined);

/** The directory holding the upstream Dynamo CRD files, if any. */
export function dynamoCrdDirectory(): string | undefined {
  return CRD_DIR_CANDIDATES.find(d => fs.existsSync(path.join(d, 'nvidia.com_dynamographdeployments.yaml')));
}

/** A CRD in `apiextensions.k8s.io/v1` form (the parts we read). */
export interface CrdDocument {
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: Array<{ readonly name: string; readonly schema?: { readonly openAPIV3Schema?: any } }>;
  };
}

/** Compiles CRDs lazily (per group/version/kind) and validates objects of their kinds. */
export class CrdValidator {
  /** Loads every `*.yaml` CRD in a directory (only the file index is read until a kind is used). */
  public static fromDirectory(dir: string): CrdValidator {
    const validator = new CrdValidator();
    for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()) {
      // CRD files are big (MBs); find group and kind cheaply and parse on first use.
      const head = fs.readFileSync(path.join(dir, file), 'utf8').slice(0, 4000);
      const group = /\n {2}group: (\S+)/.exec(head)?.[1];
      const kind = /\n {4}kind: (\S+)/.exec(head)?.[1];
      if (group && kind) validator.lazy.set(`${group}/${kind}`, once(() => parseYamlCached(path.join(dir, file))));
    }
    return validator;
  }

  /** Builds a validator from CRD documents already in memory (hand-written CRDs for third-party kinds). */
  public static fromDocuments(crds: CrdDocument[]): CrdValidator {
    const validator = new CrdValidator();
    for (const crd of crds) validator.lazy.set(`${crd.spec.group}/${crd.spec.names.kind}`, () => crd);
    return validator;
  }

  private readonly lazy = new Map<string, () => CrdDocument>();
  private readonly compiled = new Map<string, ValidateFunction | null>();
  private readonly unevaluated = new Set<string>();
  private readonly ajv: Ajv;
  private readonly celCache = new Map<string, CelProgram | null>();

  private constructor() {
    this.ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, code: { optimize: false } });
    addFormats(this.ajv);
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 - 1 });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    this.ajv.addKeyword({ keyword: 'x-list-map-keys', type: 'array', errors: true, validate: listMapKeysValidator() });
    this.ajv.addKeyword({ keyword: 'x-cel', errors: true, validate: this.celValidator() });
  }

  /** True when this validator has a CRD for the object's group and kind. */
  public handles(apiVersion: string, kind: string): boolean {
    return this.lazy.has(`${groupOf(apiVersion)}/${kind}`);
  }

  /** CEL rules that could not be evaluated (reported, never guessed). */
  public unevaluatedRules(): string[] {
    return [...this.unevaluated].sort();
  }

  /** Validates one object; the kind must be handled (see `handles`). */
  public validate(obj: any): SchemaIssue[] {
    const key = `${obj.apiVersion}/${obj.kind}`;
    if (!this.compiled.has(key)) this.compiled.set(key, this.compile(obj.apiVersion, obj.kind));
    const fn = this.compiled.get(key);
    if (!fn) return [{ pointer: '/apiVersion', message: `version not served by the ${obj.kind} CRD` }];
    const issues = fn(obj) ? [] : summarizeAjvErrors(fn.errors as any);
    // The API server validates metadata as ObjectMeta whatever the CRD says.
    if (obj.metadata !== undefined) {
      issues.push(...validateDefinition('IoK8sApimachineryPkgApisMetaV1ObjectMeta', obj.metadata)
        .map(i => ({ pointer: `/metadata${i.pointer}`, message: i.message })));
    }
    return issues;
  }

  private compile(apiVersion: string, kind: string): ValidateFunction | null {
    const crd = this.lazy.get(`${groupOf(apiVersion)}/${kind}`)!();
    const version = crd.spec.versions.find(v => `${crd.spec.group}/${v.name}` === apiVersion);
    const root = version?.schema?.openAPIV3Schema;
    if (!root) return null;
    const schema = structural(root, true);
    schema.properties = {
      ...schema.properties,
      apiVersion: { const: apiVersion },
      kind: { const: kind },
      metadata: { type: 'object' }, // checked as ObjectMeta in validate()
    };
    schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind', 'metadata'])];
    return this.ajv.compile(shareRepeatedSubschemas(schema));
  }

  private celValidator() {
    const self = this;
    const fn = function (rules: any[], data: unknown, _schema: unknown, ctx?: { instancePath: string }): boolean {
      const errors: any[] = [];
      for (const rule of rules) {
        const program = self.program(rule);
        if (!program) continue;
        // Rules that read oldSelf only run on update unless optionalOldSelf; we validate creates.
        if (/\boldSelf\b/.test(rule.rule) && !rule.optionalOldSelf) continue;
        if (!program.holds(data, new OptionalValue(false))) {
          errors.push({
            instancePath: ctx?.instancePath ?? '',
            keyword: 'x-kubernetes-validations',
            message: `${rule.message ?? `failed rule: ${rule.rule}`}`,
            params: { rule: rule.rule },
          });
        }
      }
      (fn as any).errors = errors;
      return errors.length === 0;
    };
    return fn;
  }

  private program(rule: { rule: string }): CelProgram | null {
    if (!this.celCache.has(rule.rule)) {
      try {
        this.celCache.set(rule.rule, CelProgram.parse(rule.rule));
      } catch (e) {
        if (!(e instanceof CelUnsupported)) throw e;
        this.celCache.set(rule.rule, null);
        this.unevaluated.add(rule.rule);
      }
    }
    return this.celCache.get(rule.rule)!;
  }
}

/**
 * Parsing the multi-MB CRD YAML dominates the first validation in every jest
 * worker, so the parsed document is cached as JSON under node_modules/.cache,
 * keyed by file size and mtime (written atomically: workers run in parallel).
 */
function parseYamlCached(file: string): any {
  const stat = fs.statSync(file);
  const cacheDir = path.join(REPO_ROOT, 'node_modules', '.cache', 'cdk8s-dynamo-validation');
  const cached = path.join(cacheDir, `${path.basename(file)}.${stat.size}.${Math.floor(stat.mtimeMs)}.json`);
  try {
    return JSON.parse(fs.readFileSync(cached, 'utf8'));
  } catch {
    const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(doc));
      fs.renameSync(tmp, cached);
    } catch {
      // A read-only checkout only loses the speed-up.
    }
    return doc;
  }
}

function once<T>(produce: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= produce());
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

const PASSTHROUGH = ['type', 'enum', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'required', 'nullable'];

/** Translates one structural-schema node into strict JSON Schema for ajv. */
function structural(node: any, isRoot = false): any {
  const out: any = {};
  for (const k of PASSTHROUGH) if (node[k] !== undefined) out[k] = node[k];
  if (node.nullable && node.type) out.type = [node.type, 'null'];
  delete out.nullable;
  if (node['x-kubernetes-int-or-string']) {
    out.type = ['integer', 'string'];
    delete out.format;
  }
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (node[k]) out[k] = node[k].map((s: any) => structural(s));
  if (node.not) out.not = structural(node.not);
  if (node.items) out.items = structural(node.items);

  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (node.properties) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, structural(v)]));
  }
  if (node['x-kubernetes-embedded-resource']) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  if (node.additionalProperties !== undefined) {
    out.additionalProperties = typeof node.additionalProperties === 'boolean' ? node.additionalProperties : structural(node.additionalProperties);
  } else if (!preserve && !isRoot && (node.type === 'object' || node.properties)) {
    // Structural pruning drops anything undeclared: for generated output that is a bug.
    out.additionalProperties = false;
  } else if (isRoot) {
    out.additionalProperties = false;
  }

  if (node['x-kubernetes-list-type'] === 'map' && node['x-kubernetes-list-map-keys']) {
    out['x-list-map-keys'] = node['x-kubernetes-list-map-keys'];
  } else if (node['x-kubernetes-list-type'] === 'set') {
    out.uniqueItems = true;
  }
  if (node['x-kubernetes-validations']) {
    out['x-cel'] = node['x-kubernetes-validations'].map((r: any) => ({ rule: r.rule, message: r.message, optionalOldSelf: r.optionalOldSelf }));
  }
  return out;
}

/** `x-kubernetes-list-type: map`: items are unique by their key fields. */
function listMapKeysValidator() {
  const fn = function (keys: string[], data: any[], _schema: unknown, ctx?: { instancePath: string }): boolean {
    const seen = new Map<string, number>();
    const errors: any[] = [];
    data.forEach((item, i) => {
      if (item === null || typeof item !== 'object') return;
      const id = JSON.stringify(keys.map(k => item[k]));
      if (seen.has(id)) {
        errors.push({
          instancePath: `${ctx?.instancePath ?? ''}/${i}`,
          keyword: 'x-kubernetes-list-map-keys',
          message: `duplicate entry for key ${keys.map(k => `${k}=${JSON.stringify(item[k])}`).join(',')} (also at index ${seen.get(id)})`,
          params: {},
        });
      } else {
        seen.set(id, i);
      }
    });
    (fn as any).errors = errors;
    return errors.length === 0;
  };
  return fn;
}

/**
 * The Dynamo CRDs inline the full PodSpec many times over (MBs of schema).
 * Hash-consing identical subtrees into shared `definitions` makes ajv compile
 * each of them once, which keeps the first validation of a DGD quick.
 */
function shareRepeatedSubschemas(schema: any): any {
  const ids = new Map<string, number>();
  const nodes: any[] = [];
  const uses: number[] = [];
  const sizes: number[] = [];
  const intern = (node: any): any => {
    if (node === null || typeof node !== 'object') return node;
    const shallow: any = Array.isArray(node) ? node.map(intern) : Object.fromEntries(Object.entries(node).map(([k, v]) => [k, intern(v)]));
    const key = JSON.stringify(shallow);
    let id = ids.get(key);
    if (id === undefined) {
      id = nodes.length;
      ids.set(key, id);
      nodes.push(shallow);
      uses.push(0);
      sizes.push(key.length);
    }
    uses[id]++;
    return { $interned: id };
  };
  const isInterned = (v: any) => v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.$interned === 'number' && Object.keys(v).length === 1;

  const rootId = intern(schema).$interned as number;
  const definitions: Record<string, any> = {};
  // Share only values in schema positions, and only when it pays off.
  const schemaAt = (value: any): any => {
    const id = value.$interned as number;
    if (id !== rootId && uses[id] > 1 && sizes[id] > 300) {
      const name = `s${id}`;
      definitions[name] ??= expandSchema(nodes[id]);
      return { $ref: `#/definitions/${name}` };
    }
    return expandSchema(nodes[id]);
  };
  const plain = (value: any): any => {
    if (!isInterned(value)) return value;
    const node = nodes[value.$interned];
    return Array.isArray(node) ? node.map(plain) : Object.fromEntries(Object.entries(node).map(([k, v]) => [k, plain(v)]));
  };
  const expandSchema = (node: any): any => Object.fromEntries(Object.entries(node).map(([k, v]: [string, any]) => {
    if (k === 'properties') return [k, Object.fromEntries(Object.entries(nodes[v.$interned]).map(([p, s]) => [p, schemaAt(s)]))];
    if ((k === 'items' || k === 'additionalProperties' || k === 'not') && isInterned(v)) return [k, schemaAt(v)];
    if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') return [k, (nodes[v.$interned] as any[]).map(schemaAt)];
    return [k, plain(v)];
  }));
  const root = expandSchema(nodes[rootId]);
  root.definitions = definitions;
  return root;
}
