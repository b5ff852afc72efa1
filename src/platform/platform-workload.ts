import { createHash } from 'crypto';
import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { PropError } from '../common/errors';

/**
 * Defaults for one container's resources (CPU as `500m` or `1`, memory in `Mi`).
 * @internal
 */
export interface ResourceDefaults {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/**
 * When and how often a probe runs (unset fields keep the Kubernetes defaults).
 * @internal
 */
export interface ProbeTiming {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

/**
 * Pieces shared by the platform's pods (operator, NATS, etcd), and checks its props share.
 * @internal
 */
export class PlatformWorkload {
  /**
   * Requests and limits from the user's `ContainerResources`, CPU and memory falling back to `defaults`; ephemeral
   * storage only where the user sets it (the pods write nothing large outside their volumes).
   */
  public static resources(user: ContainerResources | undefined, defaults: ResourceDefaults): k8s.ResourceRequirements {
    const cpu = (c: Cpu | undefined, fallback: string) => k8s.Quantity.fromString(c?.amount ?? fallback);
    const mib = (s: Size) => k8s.Quantity.fromString(`${s.toMebibytes()}Mi`);
    const memory = (s: Size | undefined, fallback: string) => (s ? mib(s) : k8s.Quantity.fromString(fallback));
    const disk = (s: Size | undefined): { [key: string]: k8s.Quantity } => (s ? { 'ephemeral-storage': mib(s) } : {});
    return {
      requests: {
        cpu: cpu(user?.cpu?.request, defaults.cpuRequest),
        memory: memory(user?.memory?.request, defaults.memoryRequest),
        ...disk(user?.ephemeralStorage?.request),
      },
      limits: {
        cpu: cpu(user?.cpu?.limit, defaults.cpuLimit),
        memory: memory(user?.memory?.limit, defaults.memoryLimit),
        ...disk(user?.ephemeralStorage?.limit),
      },
    };
  }

  /** Throws unless sizes are whole MiB and no request exceeds its limit (after defaults are applied). */
  public static checkResources(scope: IConstruct, prop: string, user: ContainerResources | undefined, defaults: ResourceDefaults): void {
    if (user === undefined) return;
    const oneMiB = Size.mebibytes(1);
    for (const kind of ['memory', 'ephemeralStorage'] as const) {
      PlatformWorkload.checkSize(scope, `${prop}.${kind}.request`, user[kind]?.request, oneMiB);
      PlatformWorkload.checkSize(scope, `${prop}.${kind}.limit`, user[kind]?.limit, oneMiB);
    }
    const r = PlatformWorkload.resources(user, defaults);
    const cores = (q: k8s.Quantity) => (String(q.value).endsWith('m') ? Number(String(q.value).slice(0, -1)) / 1000 : Number(q.value));
    const mib = (q: k8s.Quantity) => Number(String(q.value).slice(0, -2));
    const { requests, limits } = { requests: r.requests!, limits: r.limits! };
    PropError.check(cores(requests.cpu) <= cores(limits.cpu), scope, `${prop}.cpu.request`, requests.cpu.value,
      `at most the CPU limit (${limits.cpu.value})`);
    PropError.check(mib(requests.memory) <= mib(limits.memory), scope, `${prop}.memory.request`, requests.memory.value,
      `at most the memory limit (${limits.memory.value})`);
    const disk = { request: requests['ephemeral-storage'], limit: limits['ephemeral-storage'] };
    PropError.check(!disk.request || !disk.limit || mib(disk.request) <= mib(disk.limit), scope, `${prop}.ephemeralStorage.request`,
      disk.request?.value, `at most the ephemeral storage limit (${disk.limit?.value})`);
  }

  /** An HTTP GET probe on a named container port. */
  public static httpProbe(path: string, port: string, timing: ProbeTiming): k8s.Probe {
    return { httpGet: { path, port: k8s.IntOrString.fromString(port) }, ...timing };
  }

  /** `sha256` of rendered config, as a pod annotation value that rolls the pods when the config changes. */
  public static checksum(text: string): string {
    return createHash('sha256').update(text).digest('hex');
  }

  /** A ReadWriteOnce claim template; the cluster's default StorageClass unless one is named. */
  public static volumeClaim(name: string, size: Size, storageClassName?: string): k8s.KubePersistentVolumeClaimProps {
    return {
      metadata: { name },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(storageClassName ? { storageClassName } : {}),
        resources: { requests: { storage: k8s.Quantity.fromString(`${size.toMebibytes()}Mi`) } },
      },
    };
  }

  /** Throws unless `value` is a DNS-1123 label (names of namespaces, services, releases). */
  public static checkDnsLabel(scope: IConstruct, prop: string, value: string | undefined): void {
    if (value === undefined) return;
    PropError.check(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value), scope, prop, value,
      'a DNS-1123 label: lower-case letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters');
  }

  /** Throws unless `size` is a whole number of MiB of at least `min`. */
  public static checkSize(scope: IConstruct, prop: string, size: Size | undefined, min: Size): void {
    if (size === undefined) return;
    const mib = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    PropError.check(Number.isInteger(mib) && mib >= min.toMebibytes(), scope, prop, size.asString(),
      `a whole number of MiB, at least ${min.asString()}`);
  }

  /** The whole number of seconds in `d`; throws unless it is one, at least 1 (intervals, timeouts). */
  public static wholeSeconds(scope: IConstruct, prop: string, d: Duration): number {
    const seconds = d.toSeconds({ integral: false });
    PropError.check(Number.isInteger(seconds) && seconds >= 1, scope, prop, d.toHumanString(), 'a whole number of seconds, at least 1');
    return seconds;
  }

  /** Throws unless `url` is an http(s) URL (an in-cluster Prometheus, say); `example` shows one in the message. */
  public static checkHttpUrl(scope: IConstruct, prop: string, url: string | undefined, example: string): void {
    if (url === undefined) return;
    PropError.check(/^https?:\/\/[^\s/]+(\/\S*)?$/.test(url), scope, prop, url, `an http(s) URL, e.g. '${example}'`);
  }

  /** Throws unless `image` is a plausible image reference with a tag or digest (never implicitly `latest`). */
  public static checkImage(scope: IConstruct, prop: string, image: string | undefined): void {
    if (image === undefined) return;
    const lastSegment = image.split('/').pop() ?? '';
    const pinned = image.includes('@sha256:') || (lastSegment.includes(':') && !lastSegment.endsWith(':latest'));
    PropError.check(/^\S+$/.test(image) && pinned, scope, prop, image,
      'an image reference pinned to a tag other than latest or to a digest, e.g. \'registry.example.com/nats:2.10.21-alpine\'');
  }

  private constructor() {}
}
