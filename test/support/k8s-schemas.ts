/**
 * Strict validation of built-in Kubernetes kinds, offline.
 *
 * The schemas come from the `kubernetes-models` devDependency, which ships one
 * ajv-compiled validator per OpenAPI definition as ESM (`_schemas/*.mjs`). Jest
 * runs CommonJS and Node 20 cannot `require()` ESM, so a tiny loader rewrites
 * the two statement shapes those generated files use (`import{..}from".."` and
 * `export const validate=`) and evaluates them; nothing is copied into the repo.
 *
 * Those validators check types, required fields, enums and formats but accept
 * unknown fields. Strictness is added by watching the validator: the data is
 * wrapped in proxies that record every property the validator reads. A compiled
 * validator reads every property its schema declares (`data.x !== undefined`)
 * and every key of a map (`for (k in data)`), so any key of a visited object it
 * never read is a field the schema does not know: the API server would prune or
 * reject it. Objects the validator never looks into (free-form `RawExtension`,
 * `JSON`) are left alone.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pointerSegment } from './issues';
// ajv-formats is CommonJS; its format table is what kubernetes-models expects.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fullFormats } = require('ajv-formats/dist/formats');

/** One schema violation: JSON pointer into the object and what is wrong there. */
export interface SchemaIssue {
  readonly pointer: string;
  readonly message: string;
}

type CompiledValidator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/** The part of an ajv error object we use. */
export interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, any>;
}

const NODE_MODULES = findNodeModules();
const MAX_INT32 = 2 ** 31 - 1;
const QUANTITY = /^[+-]?(?:\d+|\d+\.\d+|\d+\.|\.\d+)(?:[KMGTPE]i|[YZEPTGMkhdcmunpfazy]|da|[eE][+-]?(?:\d+|\d+\.\d+|\d+\.|\.\d+))?$/;

/** Formats referenced by the generated validators (`formats.int32`, ...). */
const FORMATS: Record<string, unknown> = {
  ...fullFormats,
  int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= MAX_INT32 },
  int64: { type: 'number', validate: (n: number) => Number.isSafeInteger(n) },
  double: { type: 'number', validate: () => true },
  float: { type: 'number', validate: () => true },
  byte: { type: 'string', validate: (s: string) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) },
  quantity: { type: 'string', validate: QUANTITY },
};

/**
 * Fields the generator behind kubernetes-models left out of a few validators
 * (ajv treats `description` as an annotation and drops `x-` names), with their
 * JSON types. Without them every CRD we emit would show false unknown fields.
 */
const SCHEMA_PROPS_EXTRAS: Record<string, string> = {
  'description': 'string',
  'x-kubernetes-embedded-resource': 'boolean',
  'x-kubernetes-int-or-string': 'boolean',
  'x-kubernetes-list-map-keys': 'array',
  'x-kubernetes-list-type': 'string',
  'x-kubernetes-map-type': 'string',
  'x-kubernetes-preserve-unknown-fields': 'boolean',
  'x-kubernetes-validations': 'array',
};
/** Per definition: a property its validator reads exactly once (where to hook in) and the dropped fields. */
const DROPPED_FIELDS: Record<string, { anchor: string; fields: Record<string, string> }> = {
  IoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaProps: { anchor: '$ref', fields: SCHEMA_PROPS_EXTRAS },
  IoK8sApiextensionsApiserverPkgApisApiextensionsV1CustomResourceColumnDefinition: { anchor: 'jsonPath', fields: { description: 'string' } },
  IoK8sApiextensionsApiserverPkgApisApiextensionsV1ExternalDocumentation: { anchor: 'url', fields: { description: 'string' } },
  IoK8sApiSchedulingV1PriorityClass: { anchor: 'value', fields: { description: 'string' } },
};
/** Type errors on dropped fields found during the current validation run. */
let droppedFieldIssues: SchemaIssue[] = [];

const UNKNOWN_FIELD = 'unknown field (not in the schema; the API server would drop or reject it)';

/** kubernetes-models 4.x ships each module twice: CommonJS `.js` and the ESM `.mjs` this loader reads. */
const ESM = '.mjs';

const moduleCache = new Map<string, { validate: CompiledValidator }>();
const kindCache = new Map<string, CompiledValidator | null>();

/**
 * Validates a built-in Kubernetes object strictly.
 * @returns `undefined` when kubernetes-models has no model for apiVersion/kind.
 */
export function validateKubernetesObject(obj: any): SchemaIssue[] | undefined {
  const validator = kubernetesValidator(obj.apiVersion, obj.kind);
  if (!validator) return undefined;
  return strictlyValidate(validator, obj);
}

/** True when kubernetes-models has a model for this apiVersion/kind. */
export function isKubernetesKind(apiVersion: string, kind: string): boolean {
  return kubernetesValidator(apiVersion, kind) !== undefined;
}

/** Validates a value against one named definition (e.g. `IoK8sApimachineryPkgApisMetaV1ObjectMeta`). */
export function validateDefinition(definition: string, value: unknown): SchemaIssue[] {
  const file = definition.startsWith('IoK8sApimachinery')
    ? path.join(NODE_MODULES, '@kubernetes-models/apimachinery/_schemas', `${definition}${ESM}`)
    : path.join(NODE_MODULES, 'kubernetes-models/_schemas', `${definition}${ESM}`);
  return strictlyValidate(loadModule(file).validate, value);
}

function kubernetesValidator(apiVersion: unknown, kind: unknown): CompiledValidator | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z0-9.]+(\/[a-z0-9]+)?$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) {
    return undefined;
  }
  const key = `${apiVersion}/${kind}`;
  if (!kindCache.has(key)) kindCache.set(key, findKindValidator(apiVersion, kind));
  return kindCache.get(key) ?? undefined;
}

/** kubernetes-models lays models out as `<group>/<version>/<Kind>.mjs` (`v1/<Kind>.mjs` for core). */
function findKindValidator(apiVersion: string, kind: string): CompiledValidator | null {
  const modelFile = path.join(NODE_MODULES, 'kubernetes-models', apiVersion, `${kind}${ESM}`);
  if (!fs.existsSync(modelFile)) return null;
  const schemaImport = /from"(\.\.\/[^"]*_schemas\/[A-Za-z0-9]+\.mjs)"/.exec(fs.readFileSync(modelFile, 'utf8'));
  if (!schemaImport) return null;
  return loadModule(path.resolve(path.dirname(modelFile), schemaImport[1])).validate;
}

/** Runs a compiled validator on a read-recording view of `data` and adds unknown-field issues. */
function strictlyValidate(validator: CompiledValidator, data: unknown): SchemaIssue[] {
  const reads = new Map<object, Set<PropertyKey>>();
  const proxies = new Map<object, object>();
  const observe = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    let proxy = proxies.get(value);
    if (!proxy) {
      const seen = new Set<PropertyKey>();
      reads.set(value, seen);
      proxy = new Proxy(value, {
        get: (target, key) => {
          seen.add(key);
          return observe((target as any)[key]);
        },
      });
      proxies.set(value, proxy);
    }
    return proxy;
  };

  droppedFieldIssues = [];
  const issues = validator(observe(data)) ? [] : summarizeAjvErrors(validator.errors ?? []);
  issues.push(...droppedFieldIssues);
  const typeErrorAt = new Set(issues.map(i => i.pointer));
  collectUnknownFields(data, '', reads, typeErrorAt, issues);
  return issues;
}

function collectUnknownFields(value: unknown, pointer: string, reads: Map<object, Set<PropertyKey>>,
  skip: Set<string>, out: SchemaIssue[]): void {
  if (value === null || typeof value !== 'object') return;
  const seen = reads.get(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => collectUnknownFields(item, `${pointer}/${i}`, reads, skip, out));
    return;
  }
  for (const key of Object.keys(value)) {
    const child = `${pointer}/${pointerSegment(key)}`;
    // Only objects the validator looked into have a known field set; a type error there is reported already.
    if (seen && seen.size > 0 && !seen.has(key) && !skip.has(pointer)) {
      out.push({ pointer: child, message: UNKNOWN_FIELD });
      continue;
    }
    collectUnknownFields((value as any)[key], child, reads, skip, out);
  }
}

/**
 * One issue per ajv error, except that the branch errors of a failed `oneOf`/
 * `anyOf` (int-or-string, quantity) are folded into a single message.
 */
export function summarizeAjvErrors(errors: AjvError[]): SchemaIssue[] {
  const alternatives = new Set(errors.filter(e => e.keyword === 'oneOf' || e.keyword === 'anyOf').map(e => e.instancePath));
  const issues: SchemaIssue[] = [];
  for (const pointer of alternatives) {
    const branches = errors.filter(e => e.instancePath === pointer && e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
    issues.push({ pointer, message: `matches none of the allowed forms (${[...new Set(branches.map(describeAjvError))].join(' | ')})` });
  }
  const seen = new Set<string>();
  for (const e of errors) {
    // ajv repeats an error when a value is checked by two schemas (e.g. enum and allOf branch).
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (alternatives.has(e.instancePath) || seen.has(key)) continue;
    seen.add(key);
    issues.push(e.keyword === 'additionalProperties'
      ? { pointer: `${e.instancePath}/${pointerSegment(e.params.additionalProperty)}`, message: UNKNOWN_FIELD }
      : { pointer: e.instancePath, message: describeAjvError(e) });
  }
  return issues;
}

/** Turns an ajv error into a short message. */
function describeAjvError(e: AjvError): string {
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'required': return `missing required field '${p.missingProperty}'`;
    case 'type': return `must be of type ${p.type}`;
    case 'enum': return `must be one of ${JSON.stringify(p.allowedValues)}`;
    case 'const': return `must equal ${JSON.stringify(p.allowedValue)}`;
    case 'format': return `must match format '${p.format}'`;
    case 'pattern': return `must match pattern ${p.pattern}`;
    case 'additionalProperties': return `unknown field '${p.additionalProperty}'`;
    case 'oneOf': case 'anyOf': return `must match exactly one allowed shape (${e.keyword})`;
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return `must be ${p.comparison} ${p.limit}`;
    case 'minLength': case 'maxLength': case 'minItems': case 'maxItems': case 'minProperties': case 'maxProperties':
      return `violates ${e.keyword} ${p.limit}`;
    default: return (e as any).message ?? `${e.keyword} ${JSON.stringify(p)}`;
  }
}

/**
 * Loads one generated ESM validator as a function. Imports are bound lazily so
 * that recursive definitions (JSONSchemaProps) resolve like ESM live bindings.
 */
function loadModule(file: string): { validate: CompiledValidator } {
  const cached = moduleCache.get(file);
  if (cached) return cached;
  const exported: { validate: CompiledValidator } = {} as any;
  moduleCache.set(file, exported);

  let prologue = '';
  const body = fs.readFileSync(file, 'utf8').replace(/import\{([^}]*)\}from"([^"]+)";?/g, (_m, names: string, spec: string) => {
    for (const binding of names.split(',')) {
      const [imported, local] = binding.split(/\s+as\s+/).map(s => s.trim());
      const target = JSON.stringify(resolveSpecifier(spec, file));
      prologue += imported === 'formats'
        ? `const ${local ?? imported}=__formats;`
        : `function ${local ?? imported}(d,o){const f=__load(${target}).${imported};const r=f(d,o);${local ?? imported}.errors=f.errors;return r;}`;
    }
    return '';
  }).replace(/export const validate=/, '__exports.validate=');

  const dropped = DROPPED_FIELDS[path.basename(file, ESM)];
  const hook = (d: any, pointer: string) => dropped && touchDroppedFields(d, pointer, dropped.fields);
  // The generator guards an optional property as `void 0!==data.x&&check` (5.x) or `void 0===data.x||check` (4.x).
  const hooked = dropped
    ? body.replace(new RegExp(`void 0(!==|===)data\\.${dropped.anchor.replace('$', '\\$')}(&&|\\|\\|)`),
      (_m, op: string, join: string) => `(__hook(data,instancePath),void 0${op}data.${dropped.anchor})${join}`)
    : body;
  if (hooked === body && dropped) throw new Error(`kubernetes-models changed: no '${dropped.anchor}' hook point in ${file}`);
  new Function('__exports', '__load', '__formats', '__hook', prologue + hooked)(exported, loadModule, FORMATS, hook);
  return exported;
}

/** Reads (so declares) and type-checks the dropped fields of one object. */
function touchDroppedFields(data: any, pointer: string, fields: Record<string, string>): void {
  for (const [field, type] of Object.entries(fields)) {
    const value = data[field];
    const actual = Array.isArray(value) ? 'array' : typeof value;
    if (value !== undefined && actual !== type) {
      droppedFieldIssues.push({ pointer: `${pointer}/${pointerSegment(field)}`, message: `must be of type ${type}` });
    }
  }
}

function resolveSpecifier(spec: string, from: string): string {
  if (spec === '@kubernetes-models/validate') return spec;
  if (spec.startsWith('.')) return path.resolve(path.dirname(from), spec);
  const file = path.join(NODE_MODULES, spec);
  return file.endsWith(ESM) ? file : `${file}${ESM}`;
}

function findNodeModules(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules');
    if (fs.existsSync(path.join(candidate, 'kubernetes-models', 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('kubernetes-models is not installed (it is a devDependency: run npm ci)');
  }
}
