import { k8s } from 'cdk8s-plus-33';

/**
 * Restricted Pod Security Standard defaults shared by every container the library renders.
 * @internal
 */
export class SecureDefaults {
  /**
   * Container security context: no privilege escalation, all capabilities dropped, seccomp RuntimeDefault.
   * `runAsNonRoot` and `readOnlyRootFilesystem` are set where the image allows it (engine images run as root).
   */
  public static containerSecurityContext(opts: { nonRoot: boolean; readOnlyRootFilesystem: boolean; runAsUser?: number }): k8s.SecurityContext {
    return {
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
      readOnlyRootFilesystem: opts.readOnlyRootFilesystem,
      ...(opts.nonRoot ? { runAsNonRoot: true, runAsUser: opts.runAsUser ?? 65532, runAsGroup: opts.runAsUser ?? 65532 } : {}),
    };
  }

  /** Pod security context matching `containerSecurityContext`. */
  public static podSecurityContext(opts: { nonRoot: boolean; fsGroup?: number }): k8s.PodSecurityContext {
    return {
      seccompProfile: { type: 'RuntimeDefault' },
      ...(opts.nonRoot ? { runAsNonRoot: true } : {}),
      ...(opts.fsGroup !== undefined ? { fsGroup: opts.fsGroup } : {}),
    };
  }
}
