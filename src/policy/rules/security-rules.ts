import { PolicyContext, PolicyRule, Rules, Violation } from './policy-rule';
import { PolicySeverity } from '../policy-types';
import { RenderedPods } from '../rendered/rendered-pod';

/** Name segments that mark a credential (`HF_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `DB_PASSWORD`). */
const SECRET_SEGMENTS = ['TOKEN', 'KEY', 'SECRET', 'PASSWORD', 'PASSWD', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS'];
/** ...unless the name says the value only points at one (`HF_TOKEN_PATH`, `SSH_KEY_FILE`). */
const POINTER_SUFFIXES = ['PATH', 'FILE', 'DIR', 'NAME'];

/**
 * Pod security and credential rules (restricted Pod Security Standard, secrets by reference).
 * @internal
 */
export class SecurityRules {
  public static readonly ALL: PolicyRule[] = [
    Rules.of({
      id: 'DYN-SEC-001',
      severity: PolicySeverity.ERROR,
      reason: 'Credentials must come from a Secret reference, never as literal values in the manifests (they end up in Git).',
      fix: 'Use env valueFrom.secretKeyRef / envFromSecret (the library\'s secretEnv), and create the Secret out of band.',
    }, ctx => [...SecurityRules.literalEnv(ctx), ...SecurityRules.literalObjects(ctx)]),
    Rules.perContainer({
      id: 'DYN-SEC-002',
      severity: PolicySeverity.ERROR,
      reason: 'Every container must request CPU and memory and limit memory, so the scheduler can place it and a leak cannot starve the node.',
      fix: 'Set resources.requests.cpu, resources.requests.memory and resources.limits.memory.',
    }, c => {
      const r = c.json.resources ?? {};
      const missing = [['requests', 'cpu'], ['requests', 'memory'], ['limits', 'memory']].filter(([side, k]) => r[side]?.[k] === undefined);
      return missing.length === 0 ? undefined
        : { field: 'resources', value: r, allowed: 'requests.cpu, requests.memory and limits.memory set', why: `missing ${missing.map(m => m.join('.')).join(', ')}` };
    }),
    Rules.perContainer({
      id: 'DYN-SEC-003',
      severity: PolicySeverity.ERROR,
      reason: 'Containers must not be privileged nor allow privilege escalation (restricted Pod Security Standard).',
      fix: 'Set securityContext.allowPrivilegeEscalation: false and leave privileged unset or false.',
    }, c => {
      const sc = c.json.securityContext ?? {};
      if (sc.privileged === true) return { field: 'securityContext.privileged', value: true, allowed: 'false or unset', why: 'privileged containers own the node' };
      return sc.allowPrivilegeEscalation === false ? undefined
        : { field: 'securityContext.allowPrivilegeEscalation', value: sc.allowPrivilegeEscalation, allowed: 'false', why: 'setuid binaries could gain privileges' };
    }),
    Rules.perContainer({
      id: 'DYN-SEC-004',
      severity: PolicySeverity.ERROR,
      reason: 'Containers must drop all Linux capabilities (adding back NET_BIND_SERVICE at most).',
      fix: 'Set securityContext.capabilities.drop: [ALL].',
    }, c => {
      const caps = c.json.securityContext?.capabilities ?? {};
      const added = RenderedPods.array(caps.add).filter((a: string) => a !== 'NET_BIND_SERVICE');
      if (added.length > 0) return { field: 'securityContext.capabilities.add', value: added, allowed: 'NET_BIND_SERVICE only', why: 'extra capabilities break the restricted profile' };
      return Array.isArray(caps.drop) && caps.drop.includes('ALL') ? undefined
        : { field: 'securityContext.capabilities.drop', value: caps.drop, allowed: '[ALL]', why: 'default capabilities stay granted' };
    }),
    Rules.perContainer({
      id: 'DYN-SEC-005',
      severity: PolicySeverity.ERROR,
      reason: 'Containers must run under the RuntimeDefault (or a Localhost) seccomp profile.',
      fix: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod or container.',
    }, (c, pod) => {
      const type = c.json.securityContext?.seccompProfile?.type ?? pod.spec.securityContext?.seccompProfile?.type;
      return type === 'RuntimeDefault' || type === 'Localhost' ? undefined
        : { field: 'securityContext.seccompProfile.type', value: type, allowed: 'RuntimeDefault or Localhost', why: 'unconfined syscalls' };
    }),
    Rules.perContainer({
      id: 'DYN-SEC-006',
      severity: PolicySeverity.WARNING,
      reason: 'Containers should run as a non-root user where the image allows it.',
      fix: 'Set runAsNonRoot: true (and a non-zero runAsUser); if the image needs root, suppress with the reason so the exception shows in the output.',
    }, (c, pod) => {
      const sc = c.json.securityContext ?? {};
      const psc = pod.spec.securityContext ?? {};
      const nonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
      const user = sc.runAsUser ?? psc.runAsUser;
      return nonRoot === true && user !== 0 ? undefined
        : { field: 'securityContext.runAsNonRoot', value: nonRoot, allowed: 'true, with runAsUser other than 0', why: 'the container may run as root' };
    }),
    Rules.perContainer({
      id: 'DYN-SEC-007',
      severity: PolicySeverity.WARNING,
      reason: 'Containers should have a read-only root filesystem, with writable emptyDirs for the caches they need.',
      fix: 'Set readOnlyRootFilesystem: true and mount emptyDirs at the cache paths; if the image writes everywhere, suppress with the reason.',
    }, c => c.json.securityContext?.readOnlyRootFilesystem === true ? undefined
      : { field: 'securityContext.readOnlyRootFilesystem', value: c.json.securityContext?.readOnlyRootFilesystem, allowed: 'true', why: 'the image can be modified at runtime' }),
    Rules.perPod({
      id: 'DYN-SEC-008',
      severity: PolicySeverity.ERROR,
      reason: 'Pods must not share the host\'s network, PID or IPC namespaces, mount host paths or bind host ports (baseline Pod Security Standard).',
      fix: 'Remove hostNetwork/hostPID/hostIPC, hostPath volumes and hostPort; use a PVC or emptyDir instead of host paths.',
    }, ctx => ctx.pods, (pod, ctx) => {
      const out: Violation[] = [];
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
        if (pod.spec[field] === true) out.push(ctx.atSpec(pod, field, true, 'false or unset', 'the pod leaves its sandbox'));
      }
      for (const volume of RenderedPods.array(pod.spec.volumes)) {
        if (volume?.hostPath) out.push(ctx.atSpec(pod, `volumes[${volume.name}].hostPath`, volume.hostPath.path, 'no hostPath volumes', 'host files become writable by the pod'));
      }
      for (const c of pod.containers) {
        for (const port of RenderedPods.array(c.json.ports)) {
          if (port?.hostPort) out.push(ctx.atContainer(pod, c, `ports[${port.name ?? port.containerPort}].hostPort`, port.hostPort, 'unset', 'host ports bypass NetworkPolicies'));
        }
      }
      return out;
    }),
  ];

  /** True for env names that hold credentials. */
  public static isSecretName(name: string): boolean {
    const segments = name.toUpperCase().split(/[^A-Z0-9]+/).filter(s => s);
    if (segments.length === 0 || POINTER_SUFFIXES.includes(segments[segments.length - 1])) return false;
    return segments.some(s => SECRET_SEGMENTS.includes(s));
  }

  private static literalEnv(ctx: PolicyContext): Violation[] {
    return ctx.containers().flatMap(({ pod, container }) => RenderedPods.array(container.json.env)
      .filter((e: any) => typeof e?.name === 'string' && typeof e.value === 'string' && e.value !== ''
        && !/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(e.value) && SecurityRules.isSecretName(e.name))
      .map((e: any) => ctx.atContainer(pod, container, `env[${e.name}].value`, '<redacted literal>',
        'valueFrom.secretKeyRef or envFrom a Secret', 'a credential is written into the manifest')));
  }

  private static literalObjects(ctx: PolicyContext): Violation[] {
    const out: Violation[] = [];
    for (const object of ctx.objects) {
      const json = object.json;
      if (json.kind === 'Secret') {
        for (const field of ['data', 'stringData']) {
          const keys = Object.keys(json[field] ?? {}).filter(k => json[field][k] !== '').sort();
          if (keys.length > 0) {
            out.push(ctx.atObject(object, field, keys, 'no literal Secret data (create Secrets out of band, or use a sealed/external secret)', 'secret values are written into the manifests'));
          }
        }
      } else if (json.kind === 'ConfigMap') {
        const keys = Object.keys(json.data ?? {}).filter(k => SecurityRules.isSecretName(k) && json.data[k] !== '').sort();
        for (const key of keys) {
          out.push(ctx.atObject(object, `data.${key}`, '<redacted literal>', 'credentials in a Secret, not a ConfigMap', 'a credential is written into the manifest'));
        }
      }
    }
    return out;
  }
}
