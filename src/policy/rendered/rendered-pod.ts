import { ApiObject } from 'cdk8s';
import { CommandLine } from './command-line';
import { Quantities } from './quantities';

/**
 * One synthesized object, as the policy rules see it.
 * @internal
 */
export interface RenderedObject {
  readonly apiObject: ApiObject;
  /** The object's JSON exactly as it will be written. */
  readonly json: any;
  /** Construct path of the ApiObject. */
  readonly path: string;
}

/**
 * A container of a rendered pod, normalized to the `core/v1` Container shape
 * (a DGD v1alpha1 main container is merged from `extraPodSpec.mainContainer`, `envs`, `resources` and probes).
 * @internal
 */
export interface RenderedContainer {
  readonly name: string;
  readonly json: any;
  readonly init: boolean;
  /** The Dynamo `main` container of a component (the engine), or the only container of a plain pod. */
  readonly main: boolean;
  /** Field path of this container in the object, for messages. */
  readonly path: string;
  /** Where individual fields live when they are not under `path` (DGD v1alpha1 service-level fields). */
  readonly fieldPaths: { readonly [field: string]: string };
}

/**
 * A pod template found in a rendered object: a Deployment's template, one DGD component, one LWS template...
 * Rules read pods, so they work on DGD v1alpha1, v1beta1 and plain workloads alike, and see escape-hatch edits.
 * @internal
 */
export interface RenderedPod {
  readonly object: RenderedObject;
  /** Field path of the pod template (or DGD component) in the object. */
  readonly path: string;
  /** Field path of the pod spec in the object. */
  readonly specPath: string;
  /** DGD component (service) name. */
  readonly component?: string;
  /** DGD component type: frontend, worker, prefill, decode, planner, epp. */
  readonly componentType?: string;
  /** True for DGD/DCD components: the Dynamo operator adds its defaults (probes, /dev/shm, command) at runtime. */
  readonly dynamo: boolean;
  readonly metadata: any;
  readonly spec: any;
  readonly containers: RenderedContainer[];
  readonly replicas: number;
  /** Nodes one replica spans (multinode DGD components, LeaderWorkerSet groups). */
  readonly nodeCount: number;
  /** Size of `/dev/shm`: undefined when nothing is mounted there (the runtime's 64Mi), Infinity when unbounded. */
  readonly shmBytes: number | undefined;
  /** Field that sets `/dev/shm`, for messages. */
  readonly shmPath: string;
  /** DGD `runtimeVersionOverride`, and where it is set. */
  readonly runtimeVersionOverride?: string;
  readonly runtimeVersionPath?: string;
  /** DGD `backendFramework`. */
  readonly backend?: string;
  /** PersistentVolumeClaims the pod mounts. */
  readonly claimNames: string[];
  /** Annotation lookup: pod template, then DGD `spec.annotations`, then object metadata. */
  annotation(key: string): string | undefined;
}

const DYNAMO_GROUP = 'nvidia.com/';
const DEFAULT_DYNAMO_SHM = 8 * Quantities.GIB;

/**
 * Turns synthesized objects into the pods they run.
 * @internal
 */
export class RenderedPods {
  public static of(object: RenderedObject): RenderedPod[] {
    const json = object.json ?? {};
    const kind: string = json.kind ?? '';
    const apiVersion: string = json.apiVersion ?? '';
    const spec = json.spec ?? {};
    const plain = (path: string, template: any, replicas: number, nodeCount = 1) =>
      RenderedPods.plain(object, path, template ?? {}, replicas, nodeCount);
    if (apiVersion.startsWith(DYNAMO_GROUP) && kind === 'DynamoGraphDeployment') {
      if (apiVersion.endsWith('/v1beta1')) {
        return RenderedPods.array(spec.components).map((c, i) => RenderedPods.v1beta1(object, `spec.components[${c?.name ?? i}]`, c ?? {}));
      }
      return Object.keys(spec.services ?? {}).sort()
        .map(name => RenderedPods.v1alpha1(object, `spec.services.${name}`, name, spec.services[name] ?? {}, spec.envs));
    }
    if (apiVersion === 'nvidia.com/v1alpha1' && kind === 'DynamoComponentDeployment') {
      return [RenderedPods.v1alpha1(object, 'spec', spec.serviceName ?? json.metadata?.name, spec, undefined)];
    }
    switch (kind) {
      case 'Deployment': case 'StatefulSet': case 'ReplicaSet':
        return [plain('spec.template', spec.template, spec.replicas ?? 1)];
      case 'DaemonSet':
        return [plain('spec.template', spec.template, 1)];
      case 'Job':
        return [plain('spec.template', spec.template, spec.parallelism ?? 1)];
      case 'CronJob':
        return [plain('spec.jobTemplate.spec.template', spec.jobTemplate?.spec?.template, 1)];
      case 'Pod':
        return [plain('', { metadata: json.metadata, spec }, 1)];
      case 'LeaderWorkerSet': {
        const lwt = spec.leaderWorkerTemplate ?? {};
        const size = lwt.size ?? 1;
        const pods = [plain('spec.leaderWorkerTemplate.workerTemplate', lwt.workerTemplate, spec.replicas ?? 1, size)];
        if (lwt.leaderTemplate) pods.push(plain('spec.leaderWorkerTemplate.leaderTemplate', lwt.leaderTemplate, spec.replicas ?? 1, size));
        return pods;
      }
      default:
        return [];
    }
  }

  /** Extended resources the operator counts as GPUs: keys containing `/gpu` or `/mig-`. */
  public static isGpuResource(key: string): boolean {
    return key.includes('/gpu') || key.includes('/mig-');
  }

  /** GPUs (or MIG slices) one pod of this template holds: the sum of GPU limits (or requests) over its containers. */
  public static gpusPerPod(pod: RenderedPod): number {
    let total = 0;
    for (const c of pod.containers.filter(x => !x.init)) {
      const res = c.json.resources ?? {};
      const keys = new Set([...Object.keys(res.limits ?? {}), ...Object.keys(res.requests ?? {})]);
      for (const key of [...keys].filter(RenderedPods.isGpuResource)) {
        total += Quantities.parse(res.limits?.[key] ?? res.requests?.[key]) ?? 0;
      }
    }
    return total;
  }

  /**
   * The engine container: the Dynamo `main`, else the first regular container. A pod without containers gets an
   * empty stand-in at `containers[0]`, so rules on broken objects report fields instead of crashing.
   */
  public static main(pod: RenderedPod): RenderedContainer {
    return pod.containers.find(c => c.main) ?? pod.containers.find(c => !c.init)
      ?? { name: 'main', json: {}, init: false, main: true, path: `${pod.specPath}.containers[0]`, fieldPaths: {} };
  }

  /** The engine command line of the pod's main container. */
  public static commandLine(pod: RenderedPod): CommandLine {
    const main = RenderedPods.main(pod);
    return CommandLine.of(main.json.command, main.json.args, pod.dynamo);
  }

  /** Field path of a container field, honouring fields that live elsewhere (DGD v1alpha1). */
  public static field(container: RenderedContainer, field: string): string {
    const top = field.split(/[.[]/)[0];
    const base = container.fieldPaths[top];
    if (base) return `${base}${field.slice(top.length)}`;
    return `${container.path}.${field}`;
  }

  /** A list field of rendered JSON, or [] when it is absent or not a list. */
  public static array(value: unknown): any[] {
    return Array.isArray(value) ? value : [];
  }

  private static plain(object: RenderedObject, path: string, template: any, replicas: number, nodeCount: number): RenderedPod {
    const spec = template.spec ?? {};
    const prefix = path ? `${path}.spec` : 'spec';
    const containers = RenderedPods.containers(spec, prefix, undefined);
    const shm = RenderedPods.shmFromVolumes(spec);
    return {
      object,
      path,
      specPath: prefix,
      dynamo: false,
      metadata: template.metadata ?? {},
      spec,
      containers,
      replicas,
      nodeCount,
      shmBytes: shm,
      shmPath: `${prefix}.volumes`,
      claimNames: RenderedPods.claims(spec),
      annotation: key => template.metadata?.annotations?.[key] ?? object.json.metadata?.annotations?.[key],
    };
  }

  private static v1beta1(object: RenderedObject, path: string, component: any): RenderedPod {
    const dgd = object.json.spec ?? {};
    const template = component.podTemplate ?? {};
    const spec = template.spec ?? {};
    const withMain = RenderedPods.array(spec.containers).some(c => c?.name === 'main')
      ? spec : { ...spec, containers: [{ name: 'main' }, ...RenderedPods.array(spec.containers)] };
    const containers = RenderedPods.containers(withMain, `${path}.podTemplate.spec`, 'main')
      .map(c => c.main && dgd.env ? { ...c, json: { ...c.json, env: [...dgd.env, ...RenderedPods.array(c.json.env)] } } : c);
    return {
      ...RenderedPods.dynamoComponent(object, path, component),
      specPath: `${path}.podTemplate.spec`,
      component: component.name,
      componentType: component.type,
      metadata: template.metadata ?? {},
      spec,
      containers,
      shmBytes: RenderedPods.dynamoShm(component.sharedMemorySize, false),
      shmPath: `${path}.sharedMemorySize`,
      claimNames: RenderedPods.claims(spec),
      annotation: key => template.metadata?.annotations?.[key] ?? dgd.annotations?.[key] ?? object.json.metadata?.annotations?.[key],
    };
  }

  private static v1alpha1(object: RenderedObject, path: string, name: string, svc: any, graphEnvs: unknown): RenderedPod {
    const dgd = object.json.spec ?? {};
    const eps = svc.extraPodSpec ?? {};
    const mc = eps.mainContainer ?? {};
    const envFrom = [...RenderedPods.array(mc.envFrom), ...(svc.envFromSecret ? [{ secretRef: { name: svc.envFromSecret } }] : [])];
    const main = {
      ...mc,
      name: mc.name ?? 'main',
      env: [...RenderedPods.array(graphEnvs), ...RenderedPods.array(svc.envs), ...RenderedPods.array(mc.env)],
      ...(envFrom.length ? { envFrom } : {}),
      resources: RenderedPods.mergeResources(mc.resources, svc.resources),
      livenessProbe: svc.livenessProbe ?? mc.livenessProbe,
      readinessProbe: svc.readinessProbe ?? mc.readinessProbe,
    };
    const fieldPaths: { [field: string]: string } = {};
    if (svc.resources) fieldPaths.resources = `${path}.resources`;
    if (svc.livenessProbe) fieldPaths.livenessProbe = `${path}.livenessProbe`;
    if (svc.readinessProbe) fieldPaths.readinessProbe = `${path}.readinessProbe`;
    if (svc.envs || graphEnvs) fieldPaths.env = svc.envs ? `${path}.envs` : 'spec.envs';
    const spec = { ...eps, containers: [main, ...RenderedPods.array(eps.containers)] };
    delete spec.mainContainer;
    const containers = RenderedPods.containers(spec, `${path}.extraPodSpec`, 'main')
      .map(c => c.main ? { ...c, path: `${path}.extraPodSpec.mainContainer`, fieldPaths } : c);
    const type = svc.componentType === 'worker' && ['prefill', 'decode'].includes(svc.subComponentType)
      ? svc.subComponentType : svc.componentType;
    const shm = svc.sharedMemory ?? {};
    return {
      ...RenderedPods.dynamoComponent(object, path, svc),
      specPath: `${path}.extraPodSpec`,
      component: name,
      componentType: type,
      metadata: svc.extraPodMetadata ?? {},
      spec,
      containers,
      shmBytes: RenderedPods.dynamoShm(shm.size, shm.disabled === true),
      shmPath: `${path}.sharedMemory`,
      // v1alpha1 `volumeMounts[].name` names an entry of `spec.pvcs`, which is the claim.
      claimNames: [...new Set([...RenderedPods.claims(eps), ...RenderedPods.array(svc.volumeMounts).map(m => m?.name)])]
        .filter((n): n is string => typeof n === 'string').sort(),
      annotation: key => svc.extraPodMetadata?.annotations?.[key] ?? svc.annotations?.[key] ?? dgd.annotations?.[key]
        ?? object.json.metadata?.annotations?.[key],
    };
  }

  /** The fields v1alpha1 services and v1beta1 components spell the same way. */
  private static dynamoComponent(object: RenderedObject, path: string, component: any) {
    return {
      object,
      path,
      dynamo: true,
      replicas: component.replicas ?? 1,
      nodeCount: component.multinode ? (component.multinode.nodeCount ?? 2) : 1,
      runtimeVersionOverride: component.runtimeVersionOverride,
      runtimeVersionPath: `${path}.runtimeVersionOverride`,
      backend: object.json.spec?.backendFramework,
    };
  }

  private static containers(spec: any, prefix: string, mainName: string | undefined): RenderedContainer[] {
    const regular = RenderedPods.array(spec.containers);
    const list = (items: any[], field: string, init: boolean): RenderedContainer[] => items.map((json, i) => ({
      name: json?.name ?? `#${i}`,
      json: json ?? {},
      init,
      main: !init && (mainName ? json?.name === mainName : regular.length === 1),
      path: `${prefix}.${field}[${json?.name ?? i}]`,
      fieldPaths: {},
    }));
    return [...list(RenderedPods.array(spec.initContainers), 'initContainers', true), ...list(regular, 'containers', false)];
  }

  /** v1alpha1 `resources` ResourceItem (`gpu`, `gpuType`, `custom`) laid over the main container's, as the operator does. */
  private static mergeResources(container: any, item: any): any {
    if (!item) return container;
    const convert = (r: any) => {
      if (!r) return undefined;
      const out: { [k: string]: unknown } = { ...(r.custom ?? {}) };
      if (r.cpu !== undefined) out.cpu = r.cpu;
      if (r.memory !== undefined) out.memory = r.memory;
      if (r.gpu !== undefined) out[r.gpuType ?? 'nvidia.com/gpu'] = r.gpu;
      return out;
    };
    const merged: any = { ...(container ?? {}) };
    for (const side of ['requests', 'limits']) {
      const converted = convert(item[side]);
      if (converted) merged[side] = { ...(merged[side] ?? {}), ...converted };
    }
    return merged;
  }

  /** The operator mounts an 8Gi memory emptyDir at /dev/shm unless disabled or sized. */
  private static dynamoShm(size: unknown, disabled: boolean): number | undefined {
    if (disabled) return undefined;
    if (size === undefined || size === null) return DEFAULT_DYNAMO_SHM;
    const bytes = Quantities.parse(size);
    return bytes === 0 ? undefined : bytes;
  }

  private static shmFromVolumes(spec: any): number | undefined {
    const mounted = RenderedPods.array(spec.containers)
      .flatMap(c => RenderedPods.array(c?.volumeMounts))
      .find(m => m?.mountPath === '/dev/shm');
    if (!mounted) return undefined;
    const volume = RenderedPods.array(spec.volumes).find(v => v?.name === mounted.name);
    if (!volume) return undefined;
    if (!volume.emptyDir?.sizeLimit) return Infinity;
    return Quantities.parse(volume.emptyDir.sizeLimit);
  }

  private static claims(spec: any): string[] {
    return RenderedPods.array(spec.volumes)
      .map(v => v?.persistentVolumeClaim?.claimName)
      .filter((n): n is string => typeof n === 'string')
      .sort();
  }
}
