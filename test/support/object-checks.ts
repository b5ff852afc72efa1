/**
 * Checks every object gets whatever its kind: type meta, a valid name and
 * namespace, valid label and annotation keys and label values (anywhere in the
 * object: pod templates, selectors, DGD label maps), and no duplicates across
 * the set. These are API-server rules that OpenAPI schemas do not express.
 */
import { formatIssue, pointerSegment } from './issues';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Kinds whose names must be a DNS-1035 / DNS-1123 label rather than a subdomain. */
const NAME_RULES: Record<string, 'dns1035' | 'dns1123-label' | 'path-segment'> = {
  Service: 'dns1035',
  Namespace: 'dns1123-label',
  // RBAC names only need to be valid path segments (e.g. `system:controller:x`).
  Role: 'path-segment',
  ClusterRole: 'path-segment',
  RoleBinding: 'path-segment',
  ClusterRoleBinding: 'path-segment',
};

/** Type meta, name, namespace, labels and annotations of one object. */
export function objectErrors(obj: any): string[] {
  const errors: string[] = [];
  const err = (pointer: string, message: string) => errors.push(formatIssue(obj, pointer, message));
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return [`${JSON.stringify(obj)}: not a Kubernetes object`];
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') err('/apiVersion', 'missing apiVersion');
  if (typeof obj.kind !== 'string' || obj.kind === '') err('/kind', 'missing kind');
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    err('/metadata/name', 'missing metadata.name');
  } else {
    const problem = nameProblem(obj.kind, name);
    if (problem) err('/metadata/name', `'${name}' is invalid: ${problem}`);
  }
  const ns = obj.metadata?.namespace;
  if (ns !== undefined && (typeof ns !== 'string' || !DNS1123_LABEL.test(ns) || ns.length > 63)) {
    err('/metadata/namespace', `'${ns}' is invalid: must be a DNS-1123 label (lower-case alphanumerics and '-', at most 63)`);
  }
  walkMaps(obj, '', err);
  return errors;
}

/** The same kind/namespace/name twice would overwrite one another on apply. */
export function duplicateErrors(objects: any[]): string[] {
  const seen = new Map<string, number>();
  const errors: string[] = [];
  objects.forEach((o, i) => {
    if (!o || typeof o !== 'object') return;
    const group = typeof o.apiVersion === 'string' && o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    const key = `${group}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name}`;
    if (seen.has(key)) errors.push(formatIssue(o, '/metadata/name', `duplicate object (same kind, namespace and name as objects[${seen.get(key)}])`));
    else seen.set(key, i);
  });
  return errors;
}

function nameProblem(kind: string, name: string): string | undefined {
  switch (NAME_RULES[kind]) {
    case 'dns1035':
      return DNS1035_LABEL.test(name) && name.length <= 63 ? undefined : 'must be a DNS-1035 label (start with a letter; lower-case alphanumerics and \'-\'; at most 63)';
    case 'dns1123-label':
      return DNS1123_LABEL.test(name) && name.length <= 63 ? undefined : 'must be a DNS-1123 label (lower-case alphanumerics and \'-\'; at most 63)';
    case 'path-segment':
      return name !== '.' && name !== '..' && !/[/%]/.test(name) ? undefined : "must not be '.' or '..' nor contain '/' or '%'";
    default:
      return DNS1123_SUBDOMAIN.test(name) && name.length <= 253 ? undefined : 'must be a DNS-1123 subdomain (lower-case alphanumerics, \'-\' and \'.\'; at most 253)';
  }
}

/** Finds every label/annotation map in the object (metadata, templates, selectors, DGD specs). */
function walkMaps(value: any, pointer: string, err: (pointer: string, message: string) => void): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkMaps(v, `${pointer}/${i}`, err));
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (key === 'openAPIV3Schema') continue; // a schema's `labels` property is not a label map
    const at = `${pointer}/${pointerSegment(key)}`;
    if (isStringMap(child) && (key === 'labels' || key === 'matchLabels' || key === 'nodeSelector')) checkLabels(child, at, err);
    if (isStringMap(child) && key === 'annotations') checkAnnotations(child, at, err);
    walkMaps(child, at, err);
  }
}

function checkLabels(labels: Record<string, string>, pointer: string, err: (pointer: string, message: string) => void): void {
  for (const [key, value] of Object.entries(labels)) {
    const at = `${pointer}/${pointerSegment(key)}`;
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) err(at, `label key '${key}' is invalid: ${keyProblem}`);
    if (typeof value === 'string' && (value.length > 63 || !LABEL_VALUE.test(value))) {
      err(at, `label value '${value}' is invalid: at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`);
    }
  }
}

function checkAnnotations(annotations: Record<string, string>, pointer: string, err: (pointer: string, message: string) => void): void {
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) err(`${pointer}/${pointerSegment(key)}`, `annotation key '${key}' is invalid: ${keyProblem}`);
    bytes += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (bytes > MAX_ANNOTATIONS_BYTES) err(pointer, `annotations total ${bytes} bytes: at most ${MAX_ANNOTATIONS_BYTES} allowed`);
}

/** `[prefix/]name`: prefix a DNS-1123 subdomain (<= 253), name <= 63 alphanumerics, '-', '_', '.'. */
function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "at most one '/'";
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return 'prefix must be a DNS-1123 subdomain';
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return "name part must be 1-63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
  return undefined;
}

function isStringMap(v: unknown): v is Record<string, string> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(x => typeof x === 'string');
}
