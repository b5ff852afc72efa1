/**
 * The Dynamo operator's validating-webhook rules for creating a
 * DynamoGraphDeployment (v1alpha1 `spec.services` map or v1beta1
 * `spec.components` list) or DynamoComponentDeployment. They hold whether or
 * not the CRD schemas are available, so they run on a fresh clone too.
 */
import { formatIssue, pointerSegment } from './issues';

/** One component, seen the same way whatever the API version. */
interface ComponentView {
  readonly name: string;
  readonly pointer: string;
  readonly spec: any;
  /** `frontend`, `worker`, `prefill`, `decode`, `planner`, `epp` or undefined. */
  readonly type: string | undefined;
  readonly image: string | undefined;
  readonly imagePointer: string;
  /** Annotation maps that reach the component's pods, with their pointers. */
  readonly annotationMaps: Array<[string, any]>;
}

const MAX_COMPONENTS = 25;
const COMPONENT_NAME = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
/** The operator's runtime-version check on image tags. */
const SEMVER_TAG = /^[vV]?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const EXECUTOR_BACKEND_ANNOTATION = 'nvidia.com/vllm-distributed-executor-backend';
const GROVE_ANNOTATION = 'nvidia.com/enable-grove';

/** Errors the operator's admission webhook would raise when this object is created ([] for other kinds). */
export function admissionErrors(obj: any): string[] {
  return check(obj).errors;
}

/** Accepted but suspicious settings (Grove-only fields, deprecated fields). */
export function admissionWarnings(obj: any): string[] {
  return check(obj).warnings;
}

function check(obj: any): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const err = (pointer: string, message: string) => errors.push(formatIssue(obj, pointer, message));
  const warn = (pointer: string, message: string) => warnings.push(formatIssue(obj, pointer, message));
  if (obj?.apiVersion?.split('/')[0] !== 'nvidia.com' || !obj.spec || typeof obj.spec !== 'object') return { errors, warnings };

  const components = componentsOf(obj);
  if (!components) return { errors, warnings };
  const spec = obj.spec;
  const groveDisabled = obj.metadata?.annotations?.[GROVE_ANNOTATION] === 'false';

  if (obj.kind === 'DynamoGraphDeployment') {
    if (components.length === 0) err(componentsPointer(obj), 'a DynamoGraphDeployment needs at least one component');
    if (components.length > MAX_COMPONENTS) err(componentsPointer(obj), `has ${components.length} components: at most ${MAX_COMPONENTS} are allowed`);
    if (spec.restart !== undefined) err('/spec/restart', 'must be unset on create (set restart.id later to request a restart)');
    checkUniqueNames(components, err);
    const epps = components.filter(c => c.type === 'epp');
    if (epps.length > 1) err(componentsPointer(obj), `has ${epps.length} epp components (${epps.map(c => c.name).join(', ')}): at most one is allowed`);
    if (spec.priorityClassName !== undefined) warn('/spec/priorityClassName', 'only honoured on the Grove path');
    if (spec.topologyConstraint !== undefined) warn('/spec/topologyConstraint', 'only honoured on the Grove path');
    checkExecutorBackend([['/metadata/annotations', obj.metadata?.annotations], ['/spec/annotations', spec.annotations]], err);
  }

  for (const c of components) {
    if (obj.kind === 'DynamoGraphDeployment' && (!COMPONENT_NAME.test(c.name) || c.name.length > 63)) {
      err(c.pointer, `component name '${c.name}' is invalid: 1-63 letters, digits or '-', starting and ending with a letter or digit`);
    }
    if (!c.image) {
      err(c.imagePointer, `component '${c.name}' has no main image: every component needs one`);
    } else if (!SEMVER_TAG.test(imageTag(c.image)) && c.spec.runtimeVersionOverride === undefined) {
      err(c.imagePointer, `image '${c.image}' has tag '${imageTag(c.image)}', which is not MAJOR.MINOR.PATCH: set runtimeVersionOverride (e.g. "1.4.0")`);
    }
    if (c.type === 'epp') {
      if (c.spec.multinode !== undefined) err(`${c.pointer}/multinode`, `epp component '${c.name}' cannot be multinode`);
      if (c.spec.eppConfig === undefined) err(c.pointer, `epp component '${c.name}' needs eppConfig`);
    }
    const minAvailable = c.spec.minAvailable;
    if (minAvailable !== undefined) {
      const replicas = c.spec.replicas ?? 1;
      if (groveDisabled) err(`${c.pointer}/minAvailable`, `is ${minAvailable}: minAvailable is only allowed on the Grove path, which annotation ${GROVE_ANNOTATION}="false" turns off`);
      if (replicas !== 0 && minAvailable > replicas) err(`${c.pointer}/minAvailable`, `is ${minAvailable}: must be <= replicas (${replicas}) unless replicas is 0`);
    }
    if (c.spec.topologyConstraint !== undefined) warn(`${c.pointer}/topologyConstraint`, 'only honoured on the Grove path');
    if (c.spec.dynamoNamespace !== undefined) warn(`${c.pointer}/dynamoNamespace`, 'deprecated and ignored by the operator');
    if (c.spec.autoscaling !== undefined) warn(`${c.pointer}/autoscaling`, 'deprecated and ignored: use a DynamoGraphDeploymentScalingAdapter');
    checkExecutorBackend(c.annotationMaps, err);
  }
  return { errors, warnings };
}

function componentsPointer(obj: any): string {
  return obj.apiVersion === 'nvidia.com/v1alpha1' ? '/spec/services' : '/spec/components';
}

/** Components of a DGD (both versions) or the single component of a DCD; undefined for other kinds. */
function componentsOf(obj: any): ComponentView[] | undefined {
  const v1alpha1 = obj.apiVersion === 'nvidia.com/v1alpha1';
  if (obj.kind === 'DynamoGraphDeployment') {
    if (v1alpha1) {
      const services = isMap(obj.spec.services) ? obj.spec.services : {};
      return Object.keys(services).map(name => alphaView(name, `/spec/services/${pointerSegment(name)}`, services[name]));
    }
    const list = Array.isArray(obj.spec.components) ? obj.spec.components : [];
    return list.map((c: any, i: number) => betaView(`/spec/components/${i}`, isMap(c) ? c : {}));
  }
  if (obj.kind === 'DynamoComponentDeployment') {
    const name = obj.spec.serviceName ?? obj.spec.name ?? obj.metadata?.name ?? '';
    return [v1alpha1 ? alphaView(name, '/spec', obj.spec) : betaView('/spec', { name, ...obj.spec })];
  }
  return undefined;
}

function alphaView(name: string, pointer: string, spec: any): ComponentView {
  spec = isMap(spec) ? spec : {};
  const type = spec.componentType === 'worker' && ['prefill', 'decode'].includes(spec.subComponentType) ? spec.subComponentType : spec.componentType;
  return {
    name,
    pointer,
    spec,
    type,
    image: spec.extraPodSpec?.mainContainer?.image,
    imagePointer: `${pointer}/extraPodSpec/mainContainer/image`,
    annotationMaps: [[`${pointer}/annotations`, spec.annotations], [`${pointer}/extraPodMetadata/annotations`, spec.extraPodMetadata?.annotations]],
  };
}

function betaView(pointer: string, spec: any): ComponentView {
  const containers: any[] = Array.isArray(spec.podTemplate?.spec?.containers) ? spec.podTemplate.spec.containers : [];
  const main = containers.findIndex(c => c?.name === 'main');
  return {
    name: typeof spec.name === 'string' ? spec.name : '',
    pointer,
    spec,
    type: spec.type,
    image: main >= 0 ? containers[main].image : undefined,
    imagePointer: main >= 0 ? `${pointer}/podTemplate/spec/containers/${main}/image` : `${pointer}/podTemplate/spec/containers`,
    annotationMaps: [[`${pointer}/podTemplate/metadata/annotations`, spec.podTemplate?.metadata?.annotations]],
  };
}

function checkUniqueNames(components: ComponentView[], err: (pointer: string, message: string) => void): void {
  const seen = new Map<string, ComponentView>();
  for (const c of components) {
    // The operator lower-cases names into child resource names, so case-only differences collide.
    const key = c.name.toLowerCase();
    const first = seen.get(key);
    if (first) err(c.pointer, `component name '${c.name}' collides with '${first.name}': names must be unique case-insensitively`);
    else seen.set(key, c);
  }
}

function checkExecutorBackend(maps: Array<[string, any]>, err: (pointer: string, message: string) => void): void {
  for (const [pointer, annotations] of maps) {
    const value = isMap(annotations) ? annotations[EXECUTOR_BACKEND_ANNOTATION] : undefined;
    if (value !== undefined && !['mp', 'ray'].includes(String(value).toLowerCase())) {
      err(`${pointer}/${pointerSegment(EXECUTOR_BACKEND_ANNOTATION)}`, `is '${value}': allowed: mp, ray`);
    }
  }
}

/** The tag of an image reference (`latest` when none is given, as the runtime resolves it). */
export function imageTag(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(colon + 1) : 'latest';
}

function isMap(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
