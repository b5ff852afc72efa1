import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { PropError } from '../common/errors';
import { Sizes } from '../common/sizes';

/**
 * CPU, memory and scratch disk of a component's main container (GPU devices aside: worker pools derive those from
 * their parallelism). Memory is requested and limited; CPU and ephemeral storage are requested only (a CPU limit
 * throttles, and an ephemeral-storage limit evicts a pod whose model download outgrows it).
 */
export interface ComponentResources {
  /**
   * CPU request.
   * @default - the component's default
   */
  readonly cpu?: Cpu;
  /**
   * Memory request and limit.
   * @default - the component's default
   */
  readonly memory?: Size;
  /**
   * Ephemeral (node-local) storage request.
   * @default - the component's default
   */
  readonly ephemeralStorage?: Size;
}

/**
 * A component's defaults, as Quantity strings.
 * @internal
 */
export interface ResourceDefaults {
  readonly cpu: string;
  readonly memory: string;
  readonly ephemeralStorage: string;
}

/**
 * Checks `ComponentResources` and turns them into container resources: CPU and ephemeral storage as requests,
 * memory as request and limit (the same convention for every component, GPU pools included).
 * @internal
 */
export class ComponentResourceDefaults {
  /** Throws unless every amount given is above 0; errors name `resources.<field>`. */
  public static check(scope: IConstruct | string, r: ComponentResources = {}): void {
    if (r.cpu) {
      const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(r.cpu.amount);
      PropError.check(m !== null && Number(m[1]) > 0, scope, 'resources.cpu', r.cpu.amount, 'a CPU amount above 0, e.g. Cpu.units(4) or Cpu.millis(500)');
    }
    for (const [prop, size] of [['memory', r.memory], ['ephemeralStorage', r.ephemeralStorage]] as const) {
      if (size) PropError.check(Sizes.mebibytes(size) > 0, scope, `resources.${prop}`, Sizes.quantity(size), 'a size above 0');
    }
  }

  /**
   * `r` with `defaults` for what it leaves out, plus `devices` (GPUs, MIG slices) requested and limited alike.
   */
  public static render(r: ComponentResources, defaults: ResourceDefaults,
    devices: { [resource: string]: k8s.Quantity } = {}): k8s.ResourceRequirements {
    const memory = k8s.Quantity.fromString(r.memory ? Sizes.quantity(r.memory) : defaults.memory);
    return {
      requests: {
        ...devices,
        'cpu': k8s.Quantity.fromString(r.cpu?.amount ?? defaults.cpu),
        memory,
        'ephemeral-storage': k8s.Quantity.fromString(r.ephemeralStorage ? Sizes.quantity(r.ephemeralStorage) : defaults.ephemeralStorage),
      },
      limits: { ...devices, memory },
    };
  }

  private constructor() {}
}
