/**
 * API-server validation that OpenAPI schemas do not express, for the kinds and
 * fields the library renders: pod specs (containers present, container, port
 * and volume names, mounts of declared volumes, one probe handler, requests
 * within limits, restart policy per workload), workload selectors matching
 * their template, Service ports, ConfigMap/Secret keys and size, and PVC
 * storage requests. Without these a manifest can pass the schema and still be
 * refused by `kubectl apply`.
 *
 * Dynamo pod templates get the checks that hold before the operator fills them
 * in (names, ports, requests within limits); volume mounts and probes are left
 * to the operator, which adds volumes and probe handlers of its own.
 */
import { formatIssue, pointerSegment } from './issues';
import { Quantities } from '../../src/policy/rendered/quantities';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** IANA service name: 1-15 lower-case alphanumerics and '-', at least one letter, no '--', no '-' at either end. */
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_CONFIG_BYTES = 1024 * 1024;
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

type Err = (pointer: string, message: string) => void;

/** A pod spec in an object, and how strictly to check it. */
interface PodSpecAt {
  readonly pointer: string;
  readonly spec: any;
  /** False for Dynamo templates the operator completes (main container, volumes, probes). */
  readonly complete: boolean;
  /** Restart policies the workload allows, when it restricts them. */
  readonly restartPolicies?: string[];
  /** Volumes the workload adds besides `spec.volumes` (a StatefulSet's claim templates). */
  readonly claimTemplates?: string[];
}

/** Errors the API server would raise for this object beyond its schema ([] for kinds without such rules). */
export function apiServerErrors(obj: any): string[] {
  const errors: string[] = [];
  const err: Err = (pointer, message) => errors.push(formatIssue(obj, pointer, message));
  if (!isObject(obj)) return errors;
  for (const pod of podSpecs(obj)) checkPodSpec(pod, err);
  checkSelector(obj, err);
  switch (`${obj.apiVersion} ${obj.kind}`) {
    case 'v1 Service': checkServicePorts(obj.spec, err); break;
    case 'v1 ConfigMap': case 'v1 Secret': checkConfigData(obj, err); break;
    case 'v1 PersistentVolumeClaim': checkClaim(obj.spec, '/spec', err); break;
    case 'apps/v1 StatefulSet':
      list(obj.spec?.volumeClaimTemplates).forEach((t, i) => checkClaim(t?.spec, `/spec/volumeClaimTemplates/${i}/spec`, err));
      break;
  }
  return errors;
}

/** The pod specs an object carries, by kind. */
function podSpecs(obj: any): PodSpecAt[] {
  const spec = obj.spec ?? {};
  const at = (pointer: string, template: any, restartPolicies?: string[], claimTemplates?: string[]): PodSpecAt[] =>
    isObject(template?.spec) ? [{ pointer: `${pointer}/spec`, spec: template.spec, complete: true, restartPolicies, claimTemplates }] : [];
  switch (`${obj.apiVersion} ${obj.kind}`) {
    case 'v1 Pod': return isObject(obj.spec) ? [{ pointer: '/spec', spec: obj.spec, complete: true }] : [];
    case 'apps/v1 Deployment': case 'apps/v1 DaemonSet': case 'apps/v1 ReplicaSet':
      return at('/spec/template', spec.template, ['Always']);
    case 'apps/v1 StatefulSet':
      return at('/spec/template', spec.template, ['Always'], list(spec.volumeClaimTemplates).map(t => t?.metadata?.name));
    case 'batch/v1 Job': return at('/spec/template', spec.template, ['Never', 'OnFailure']);
    case 'batch/v1 CronJob': return at('/spec/jobTemplate/spec/template', spec.jobTemplate?.spec?.template, ['Never', 'OnFailure']);
    case 'leaderworkerset.x-k8s.io/v1 LeaderWorkerSet': {
      const lwt = spec.leaderWorkerTemplate ?? {};
      const base = '/spec/leaderWorkerTemplate';
      return [...at(`${base}/workerTemplate`, lwt.workerTemplate), ...at(`${base}/leaderTemplate`, lwt.leaderTemplate)];
    }
    case 'nvidia.com/v1beta1 DynamoGraphDeployment':
      return list(spec.components).flatMap((c, i) => isObject(c?.podTemplate?.spec)
        ? [{ pointer: `/spec/components/${i}/podTemplate/spec`, spec: c.podTemplate.spec, complete: false }] : []);
    case 'nvidia.com/v1alpha1 DynamoGraphDeployment':
      return Object.entries(isObject(spec.services) ? spec.services : {}).flatMap(([name, svc]: [string, any]) =>
        isObject(svc?.extraPodSpec) ? [{ pointer: `/spec/services/${pointerSegment(name)}/extraPodSpec`, spec: svc.extraPodSpec, complete: false }] : []);
    default: return [];
  }
}

function checkPodSpec(pod: PodSpecAt, err: Err): void {
  const { spec, pointer } = pod;
  const groups: Array<[string, any[]]> = [['initContainers', list(spec.initContainers)], ['containers', list(spec.containers)]];
  if (pod.complete && groups[1][1].length === 0) err(`${pointer}/containers`, 'a pod needs at least one container');
  if (pod.restartPolicies && spec.restartPolicy !== undefined && !pod.restartPolicies.includes(spec.restartPolicy)) {
    err(`${pointer}/restartPolicy`, `'${spec.restartPolicy}' is not allowed here: ${pod.restartPolicies.join(' or ')}`);
  }
  const volumes = new Set<string>(pod.claimTemplates);
  list(spec.volumes).forEach((v, i) => {
    const name = v?.name;
    if (typeof name !== 'string' || !isDns1123Label(name)) err(`${pointer}/volumes/${i}/name`, `volume name ${show(name)} must be a DNS-1123 label`);
    else if (volumes.has(name)) err(`${pointer}/volumes/${i}/name`, `duplicate volume name '${name}'`);
    volumes.add(name);
  });
  const names = new Set<string>();
  const ports = new Set<string>();
  for (const [field, containers] of groups) {
    containers.forEach((c, i) => {
      const at = `${pointer}/${field}/${i}`;
      const name = c?.name;
      if (typeof name !== 'string' || !isDns1123Label(name)) err(`${at}/name`, `container name ${show(name)} must be a DNS-1123 label`);
      else if (names.has(name)) err(`${at}/name`, `duplicate container name '${name}'`);
      names.add(name);
      list(c?.ports).forEach((p, j) => {
        if (p?.name === undefined) return;
        if (!isIanaName(p.name)) err(`${at}/ports/${j}/name`, `port name ${show(p.name)} must be an IANA service name (1-15 lower-case alphanumerics and '-', a letter)`);
        else if (ports.has(p.name)) err(`${at}/ports/${j}/name`, `duplicate port name '${p.name}' in the pod`);
        ports.add(p.name);
      });
      checkRequestsWithinLimits(c?.resources, `${at}/resources`, err);
      if (!pod.complete) return;
      list(c?.volumeMounts).forEach((m, j) => {
        if (!volumes.has(m?.name)) err(`${at}/volumeMounts/${j}/name`, `mounts ${show(m?.name)}, which is not a volume of the pod`);
      });
      for (const probe of PROBES.filter(p => isObject(c?.[p]))) {
        const handlers = PROBE_HANDLERS.filter(h => c[probe][h] !== undefined);
        if (handlers.length !== 1) err(`${at}/${probe}`, `needs exactly one handler (${PROBE_HANDLERS.join(', ')}), has ${handlers.length}`);
      }
    });
  }
}

/** A request above its limit is refused, whatever the resource. */
function checkRequestsWithinLimits(resources: any, pointer: string, err: Err): void {
  const requests = isObject(resources?.requests) ? resources.requests : {};
  const limits = isObject(resources?.limits) ? resources.limits : {};
  for (const key of Object.keys(requests).filter(k => limits[k] !== undefined)) {
    const [request, limit] = [Quantities.parse(requests[key]), Quantities.parse(limits[key])];
    if (request !== undefined && limit !== undefined && request > limit) {
      err(`${pointer}/requests/${pointerSegment(key)}`, `request ${show(requests[key])} is above the limit ${show(limits[key])}`);
    }
  }
}

/** Workload controllers refuse a selector that does not select their own template. */
function checkSelector(obj: any, err: Err): void {
  if (!['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(obj.kind) || obj.apiVersion !== 'apps/v1') return;
  const selector = obj.spec?.selector;
  const labels = obj.spec?.template?.metadata?.labels ?? {};
  if (!isObject(selector)) return;
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  if (Object.keys(matchLabels).length === 0 && list(selector.matchExpressions).length === 0) {
    err('/spec/selector', 'an empty selector is not allowed');
  }
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) err(`/spec/selector/matchLabels/${pointerSegment(key)}`, `selects ${key}=${show(value)}, which the pod template does not carry`);
  }
}

function checkServicePorts(spec: any, err: Err): void {
  const ports = list(spec?.ports);
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    if (p?.name === undefined) {
      if (ports.length > 1) err(`/spec/ports/${i}/name`, 'a Service with several ports must name each');
      return;
    }
    if (!isIanaName(p.name)) err(`/spec/ports/${i}/name`, `port name ${show(p.name)} must be an IANA service name (1-15 lower-case alphanumerics and '-', a letter)`);
    else if (seen.has(p.name)) err(`/spec/ports/${i}/name`, `duplicate port name '${p.name}'`);
    seen.add(p.name);
  });
}

function checkConfigData(obj: any, err: Err): void {
  let bytes = 0;
  const keys = new Set<string>();
  for (const field of ['data', 'binaryData', 'stringData']) {
    if (!isObject(obj[field])) continue;
    for (const [key, value] of Object.entries(obj[field])) {
      if (!CONFIG_KEY.test(key) || key === '.' || key === '..' || key.length > 253) {
        err(`/${field}/${pointerSegment(key)}`, `key '${key}' must be 1-253 alphanumerics, '-', '_' or '.'`);
      }
      if (keys.has(key) && field !== 'stringData') err(`/${field}/${pointerSegment(key)}`, `key '${key}' is in both data and binaryData`);
      keys.add(key);
      bytes += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
    }
  }
  if (bytes > MAX_CONFIG_BYTES) err('', `${obj.kind} data is ${bytes} bytes: at most ${MAX_CONFIG_BYTES} (1 MiB) allowed`);
}

function checkClaim(spec: any, pointer: string, err: Err): void {
  if (!isObject(spec)) return;
  if (list(spec.accessModes).length === 0) err(`${pointer}/accessModes`, 'at least one access mode is required');
  if (spec.resources?.requests?.storage === undefined && spec.dataSource === undefined && spec.dataSourceRef === undefined) {
    err(`${pointer}/resources/requests/storage`, 'a storage request is required');
  }
}

function isDns1123Label(name: string): boolean {
  return DNS1123_LABEL.test(name) && name.length <= 63;
}

function isIanaName(name: unknown): boolean {
  return typeof name === 'string' && name.length <= 15 && IANA_SVC_NAME.test(name) && !name.endsWith('-');
}

function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? 'undefined';
}
