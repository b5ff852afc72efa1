import { k8s } from 'cdk8s-plus-33';
import { PropError } from '../common/errors';

const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Pre-deployment profiling results the Planner scales on (throughput scaling interpolates them), mounted into the
 * Planner at its `profileResultsDir`: a ConfigMap (upstream's `planner-profile-data`) or a claim the profiler wrote.
 */
export class PlannerProfilingData {
  /**
   * The keys of a ConfigMap in the graph's namespace, as files.
   * @param name name of the ConfigMap, e.g. `planner-profile-data`
   */
  public static fromConfigMap(name: string): PlannerProfilingData {
    PropError.check(DNS_1123_SUBDOMAIN.test(name) && name.length <= 253, 'PlannerProfilingData.fromConfigMap', 'name', name, 'a ConfigMap name (DNS-1123 subdomain)');
    return new PlannerProfilingData({ configMap: { name } }, undefined, `ConfigMap ${name}`);
  }

  /**
   * A directory of a PersistentVolumeClaim in the graph's namespace (e.g. a DGDR profiling job's `outputPVC`),
   * mounted read-only.
   * @param claimName name of the claim
   * @param subPath directory inside the claim
   */
  public static fromClaim(claimName: string, subPath?: string): PlannerProfilingData {
    PropError.check(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(claimName) && claimName.length <= 63, 'PlannerProfilingData.fromClaim', 'claimName', claimName,
      'a claim name (DNS-1123 label)');
    PropError.check(subPath === undefined || (/^[^/\s][^\s]*$/.test(subPath) && !subPath.split('/').includes('..')), 'PlannerProfilingData.fromClaim',
      'subPath', subPath, 'a relative path inside the claim, without \'..\'');
    return new PlannerProfilingData({ persistentVolumeClaim: { claimName, readOnly: true } }, subPath, `claim ${claimName}`);
  }

  private constructor(
    private readonly source: Omit<k8s.Volume, 'name'>,
    private readonly subPath: string | undefined,
    /** What the data is, for messages. */
    public readonly description: string,
  ) {}

  /** @internal */
  public _volume(name: string): k8s.Volume {
    return { name, ...this.source };
  }

  /** @internal */
  public _mount(name: string, mountPath: string): k8s.VolumeMount {
    return { name, mountPath, readOnly: true, ...(this.subPath !== undefined ? { subPath: this.subPath } : {}) };
  }
}
