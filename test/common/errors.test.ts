import { PropError } from '../../src/common/errors';

describe('PropError', () => {
  test('shows values as given: NaN and Infinity by name, also inside objects; cycles without crashing', () => {
    expect(PropError.show(Number.NaN)).toBe('NaN');
    expect(PropError.show(-Infinity)).toBe('-Infinity');
    expect(PropError.show({ a: [Number.NaN, 1, 'x'], b: Infinity })).toBe('{"a":[NaN,1,"x"],"b":Infinity}');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(PropError.show(cycle)).toBe('<a structure with a reference cycle>');
    const e = PropError.invalid('X.of', 'p', Number.NaN, 'a number');
    expect(e).toBeInstanceOf(PropError);
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe("[X.of] 'p' is NaN: allowed: a number");
    expect(PropError.rescope(e, 'test/g').message).toBe("[test/g] 'p' is NaN: allowed: a number");
  });
});
