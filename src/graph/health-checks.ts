import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { PropError } from '../common/errors';

/**
 * Health-check timing of a component. Defaults are the operator's own (operator 1.4), written out explicitly so
 * the YAML in Git says what the cluster does. Multinode pools leave their probes to the operator (it removes them
 * from non-leader pods), so these cannot be set there.
 */
export interface HealthCheckOptions {
  /**
   * How long the engine may take to load the model before Kubernetes restarts it (startup probe,
   * checked every 10 seconds). Large models on slow storage can take tens of minutes.
   * @default - workers: the operator's 2 hours, or longer when the model is known and reading its weights at
   * 250 MiB/s plus 5 minutes of engine start needs more; the frontend has no startup probe
   */
  readonly startupTimeout?: Duration;
  /**
   * Consecutive failed liveness checks before a restart.
   * @default - the operator's: 1 for workers (checked every 5 s), 3 for the frontend (every 10 s)
   */
  readonly livenessFailureThreshold?: number;
  /**
   * Consecutive failed readiness checks before the pod stops receiving traffic.
   * @default 3
   */
  readonly readinessFailureThreshold?: number;
  /**
   * How often the liveness probe runs.
   * @default - the operator's: 5 seconds for workers, 10 seconds for the frontend
   */
  readonly livenessPeriod?: Duration;
  /**
   * How long one liveness check may take before it counts as failed.
   * @default - the operator's: 4 seconds for workers, 1 second for the frontend
   */
  readonly livenessTimeout?: Duration;
  /**
   * How often the readiness probe runs.
   * @default Duration.seconds(10)
   */
  readonly readinessPeriod?: Duration;
  /**
   * How long one readiness check may take before it counts as failed.
   * @default - the operator's: 4 seconds for workers, 3 seconds for the frontend
   */
  readonly readinessTimeout?: Duration;
}

/** The probe props a multinode pool leaves to the operator. */
export const PROBE_PROPS = [
  'startupTimeout', 'livenessFailureThreshold', 'readinessFailureThreshold', 'livenessPeriod', 'livenessTimeout', 'readinessPeriod', 'readinessTimeout',
] as const;

const STARTUP_PERIOD_SECONDS = 10;
/** The operator's worker startup probe: 720 x 10 s (operator-facts §3). */
const OPERATOR_STARTUP_SECONDS = 7200;
/**
 * Conservative load-time figures (the policy pack's defaults for DYN-PRB-001, so the default budget passes it):
 * sustained read or download rate, and engine start besides reading weights (CUDA graphs, compilation, warm-up).
 */
const LOAD_MIB_PER_SECOND = 250;
const ENGINE_START_SECONDS = 300;

/**
 * The operator's probes (operator-facts §3), with the user's overrides applied.
 * @internal
 */
export class HealthChecks {
  /** Validates the options at construction. */
  public static check(scope: IConstruct, options: HealthCheckOptions): void {
    if (options.startupTimeout !== undefined) {
      const seconds = options.startupTimeout.toSeconds();
      PropError.check(seconds >= STARTUP_PERIOD_SECONDS, scope, 'startupTimeout', options.startupTimeout.toHumanString(), 'at least 10 seconds');
    }
    PropError.integer(scope, 'livenessFailureThreshold', options.livenessFailureThreshold, 1, 1000);
    PropError.integer(scope, 'readinessFailureThreshold', options.readinessFailureThreshold, 1, 1000);
    for (const prop of ['livenessPeriod', 'livenessTimeout', 'readinessPeriod', 'readinessTimeout'] as const) {
      const d = options[prop];
      if (d === undefined) continue;
      const seconds = d.toSeconds({ integral: false });
      PropError.check(Number.isInteger(seconds) && seconds >= 1 && seconds <= 3600, scope, prop, d.toHumanString(), 'a whole number of seconds from 1 to 3600');
    }
    for (const probe of ['liveness', 'readiness'] as const) {
      const period = options[`${probe}Period`];
      const timeout = options[`${probe}Timeout`];
      if (period === undefined || timeout === undefined) continue;
      PropError.check(timeout.toSeconds() <= period.toSeconds(), scope, `${probe}Timeout`, timeout.toHumanString(),
        `at most ${probe}Period (${period.toHumanString()})`, 'a check that may outlast its period overlaps the next one');
    }
  }

  /**
   * Worker, prefill, decode and planner: `/live` and `/health` on the `system` port.
   * @param loadBytes bytes the pod reads before it serves (download or its share of the weights), when known: the
   * default startup budget grows beyond the operator's 2 hours when reading them at a conservative rate needs it
   */
  public static worker(options: HealthCheckOptions, loadBytes?: number): { startup: k8s.Probe; liveness: k8s.Probe; readiness: k8s.Probe } {
    const estimate = loadBytes === undefined ? 0 : ENGINE_START_SECONDS + loadBytes / (LOAD_MIB_PER_SECOND * 1024 ** 2);
    const startupSeconds = options.startupTimeout?.toSeconds() ?? Math.max(OPERATOR_STARTUP_SECONDS, estimate);
    return {
      startup: HealthChecks.http('/live', 'system', { periodSeconds: STARTUP_PERIOD_SECONDS, timeoutSeconds: 5, failureThreshold: Math.ceil(startupSeconds / STARTUP_PERIOD_SECONDS) }),
      liveness: HealthChecks.http('/live', 'system', {
        ...HealthChecks.timing(options.livenessPeriod, options.livenessTimeout, 5, 4), failureThreshold: options.livenessFailureThreshold ?? 1,
      }),
      readiness: HealthChecks.http('/health', 'system', {
        ...HealthChecks.timing(options.readinessPeriod, options.readinessTimeout, 10, 4), failureThreshold: options.readinessFailureThreshold ?? 3,
      }),
    };
  }

  /** Frontend: `/live` and `/health` on the `http` port; a startup probe only when asked for. */
  public static frontend(options: HealthCheckOptions): { startup?: k8s.Probe; liveness: k8s.Probe; readiness: k8s.Probe } {
    const startup = options.startupTimeout === undefined ? undefined
      : HealthChecks.http('/live', 'http', { periodSeconds: STARTUP_PERIOD_SECONDS, timeoutSeconds: 5, failureThreshold: Math.ceil(options.startupTimeout.toSeconds() / STARTUP_PERIOD_SECONDS) });
    return {
      startup,
      liveness: HealthChecks.http('/live', 'http', {
        initialDelaySeconds: 15,
        ...HealthChecks.timing(options.livenessPeriod, options.livenessTimeout, 10, 1),
        failureThreshold: options.livenessFailureThreshold ?? 3,
      }),
      readiness: HealthChecks.http('/health', 'http', {
        initialDelaySeconds: 10,
        ...HealthChecks.timing(options.readinessPeriod, options.readinessTimeout, 10, 3),
        failureThreshold: options.readinessFailureThreshold ?? 3,
      }),
    };
  }

  /** `periodSeconds` and `timeoutSeconds` of a probe: the user's, else the operator's. */
  private static timing(period: Duration | undefined, timeout: Duration | undefined, periodSeconds: number, timeoutSeconds: number) {
    return { periodSeconds: period?.toSeconds() ?? periodSeconds, timeoutSeconds: timeout?.toSeconds() ?? timeoutSeconds };
  }

  private static http(path: string, port: string, timing: Omit<k8s.Probe, 'httpGet'>): k8s.Probe {
    return { httpGet: { path, port: k8s.IntOrString.fromString(port) }, ...timing };
  }

  private constructor() {}
}
