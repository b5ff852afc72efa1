/**
 * The operator's v1alpha1 → v1beta1 conversion of a DGD spec, written from the conversion rules of
 * operator-facts §1b (`shared_spec_conversion.go`) and the v1alpha1 PVC mounting of §1a/§3. Tests convert the
 * library's v1alpha1 output with it and compare the result with its v1beta1 output: the same construct tree must
 * mean the same thing in both versions once the operator has converted it.
 *
 * Only what the library writes is covered; anything else fails loudly so a new field cannot slip through unconverted.
 */

/** Fields of a v1alpha1 service that carry over unchanged. */
const SAME_NAME = ['replicas', 'minAvailable', 'multinode', 'modelRef', 'runtimeVersionOverride', 'globalDynamoNamespace', 'topologyConstraint', 'eppConfig'];
/** Fields of a v1alpha1 service this converter knows. */
const KNOWN = new Set([
  ...SAME_NAME, 'componentType', 'subComponentType', 'sharedMemory', 'scalingAdapter', 'envs', 'envFromSecret', 'resources',
  'volumeMounts', 'extraPodMetadata', 'extraPodSpec', 'livenessProbe', 'readinessProbe',
]);
const KNOWN_SPEC = new Set(['backendFramework', 'envs', 'labels', 'annotations', 'pvcs', 'services']);

/** `resources.{requests,limits}` item → container resource map (§1b: `gpu` under `gpuType` or `nvidia.com/gpu`). */
function resourceMap(item: any): any {
  if (!item) return undefined;
  const out: { [key: string]: string } = {};
  for (const [key, value] of Object.entries<any>(item)) {
    if (key === 'cpu' || key === 'memory') out[key] = String(value);
    else if (key === 'gpu') out[item.gpuType ?? 'nvidia.com/gpu'] = String(value);
    else if (key === 'custom') Object.assign(out, value);
    else if (key !== 'gpuType') throw new Error(`unconverted resource field ${key}`);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function component(name: string, s: any): any {
  for (const key of Object.keys(s)) if (!KNOWN.has(key)) throw new Error(`unconverted v1alpha1 service field ${name}.${key}`);
  const sub = s.componentType === 'worker' && ['prefill', 'decode'].includes(s.subComponentType);
  const { mainContainer = {}, ...podSpec } = s.extraPodSpec ?? {};
  const claims: any[] = s.volumeMounts ?? [];
  const main = {
    ...mainContainer,
    name: 'main',
    env: [...(s.envs ?? []), ...(mainContainer.env ?? [])],
    envFrom: [...(s.envFromSecret ? [{ secretRef: { name: s.envFromSecret } }] : []), ...(mainContainer.envFrom ?? [])],
    resources: { requests: resourceMap(s.resources?.requests), limits: resourceMap(s.resources?.limits) },
    livenessProbe: s.livenessProbe ?? mainContainer.livenessProbe,
    readinessProbe: s.readinessProbe ?? mainContainer.readinessProbe,
    // The operator mounts each `volumeMounts` claim as a pod volume named after the claim.
    volumeMounts: [...claims.map(m => ({ name: m.name, mountPath: m.mountPoint })), ...(mainContainer.volumeMounts ?? [])],
  };
  const out: any = {
    name,
    type: sub ? s.subComponentType : s.componentType,
    podTemplate: {
      metadata: s.extraPodMetadata,
      spec: {
        ...podSpec,
        volumes: [...claims.map(m => ({ name: m.name, persistentVolumeClaim: { claimName: m.name } })), ...(podSpec.volumes ?? [])],
        // extraPodSpec.containers are the sidecars: they follow the main container.
        containers: [main, ...(podSpec.containers ?? [])],
      },
    },
  };
  for (const key of SAME_NAME) if (s[key] !== undefined) out[key] = s[key];
  if (s.sharedMemory !== undefined) out.sharedMemorySize = s.sharedMemory.disabled ? '0' : s.sharedMemory.size;
  if (s.scalingAdapter?.enabled) out.scalingAdapter = {};
  return out;
}

/**
 * A v1alpha1 DGD spec as the operator converts it to v1beta1, normalized with `normalizeV1Beta1`.
 * `spec.pvcs` has no v1beta1 field (the operator keeps it in an annotation); the claims are mounted through
 * each service's `volumeMounts`, which convert to pod volumes.
 */
export function convertV1Alpha1Spec(spec: any): any {
  for (const key of Object.keys(spec)) if (!KNOWN_SPEC.has(key)) throw new Error(`unconverted v1alpha1 spec field ${key}`);
  return normalizeV1Beta1({
    backendFramework: spec.backendFramework,
    env: spec.envs,
    labels: spec.labels,
    annotations: spec.annotations,
    components: Object.entries<any>(spec.services).map(([name, s]) => component(name, s)),
  });
}

function byKey<T>(items: T[] | undefined, key: (t: T) => string): T[] | undefined {
  return items && items.length > 0 ? [...items].sort((a, b) => key(a).localeCompare(key(b))) : undefined;
}

function clean(value: any): any {
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== 'object') return value;
  const out: any = {};
  for (const key of Object.keys(value).sort()) {
    const v = clean(value[key]);
    // `scalingAdapter: {}` and `emptyDir: {}` mean something; only a container without resources is really empty.
    const empty = v === undefined || (Array.isArray(v) && v.length === 0) || (key === 'resources' && Object.keys(v).length === 0);
    if (!empty) out[key] = v;
  }
  return out;
}

/**
 * A v1beta1 spec in a comparable form: quantities as strings, empty fields dropped, components keyed by name, and
 * the lists whose order Kubernetes ignores (volumes, volume mounts) sorted. Env order is kept: it matters.
 */
export function normalizeV1Beta1(spec: any): any {
  const components: { [name: string]: any } = {};
  for (const c of spec.components ?? []) {
    const podSpec = c.podTemplate?.spec ?? {};
    const quantities = (m: any) => m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)])) : undefined;
    components[c.name] = clean({
      ...c,
      podTemplate: {
        ...c.podTemplate,
        spec: {
          ...podSpec,
          volumes: byKey(podSpec.volumes, (v: any) => v.name),
          containers: (podSpec.containers ?? []).map((m: any) => ({
            ...m,
            volumeMounts: byKey(m.volumeMounts, (v: any) => v.mountPath),
            resources: m.resources ? { requests: quantities(m.resources.requests), limits: quantities(m.resources.limits) } : undefined,
          })),
        },
      },
    });
  }
  return clean({ ...spec, components });
}
