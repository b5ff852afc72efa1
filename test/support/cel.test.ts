import { CelProgram, CelUnsupported, OptionalValue } from './cel';

const holds = (rule: string, self: unknown) => CelProgram.parse(rule).holds(self, new OptionalValue(false));

describe('CelProgram', () => {
  it.each([
    ['!has(self.create) || self.create == false || (has(self.size) && has(self.storageClass))', { create: true, size: '1Gi' }, false],
    ['!has(self.create) || self.create == false || (has(self.size) && has(self.storageClass))', { create: false }, true],
    ['self.all(c1, !has(c1.name) || self.filter(c2, has(c2.name) && c2.name.lowerAscii() == c1.name.lowerAscii()).size() == 1)', [{ name: 'A' }, { name: 'a' }], false],
    ['self.all(c1, !has(c1.name) || self.filter(c2, has(c2.name) && c2.name.lowerAscii() == c1.name.lowerAscii()).size() == 1)', [{ name: 'A' }, { name: 'B' }], true],
    ['!("k" in self) || self["k"].lowerAscii() in ["mp", "ray"]', { k: 'RAY' }, true],
    ['!("k" in self) || self["k"].lowerAscii() in ["mp", "ray"]', { k: 'nccl' }, false],
    ["(has(self.disabled) && self.disabled) || (has(self.size) && quantity(self.size).isGreaterThan(quantity('0')))", { size: '0' }, false],
    ["(has(self.disabled) && self.disabled) || (has(self.size) && quantity(self.size).isGreaterThan(quantity('0')))", { size: '512Mi' }, true],
    ['!has(self.m) || self.m <= (has(self.r) ? self.r : 1)', { m: 2 }, false],
    ['!has(self.m) || self.m <= (has(self.r) ? self.r : 1)', { m: 2, r: 2 }, true],
    ["!self.contains('/') || self.split('/')[0].size() <= 3", 'abcd/e', false],
    ["self.filter(c, has(c.type) && c.type == 'epp').size() <= 1", [{ type: 'epp' }, {}], true],
    ['size(self) == 2 && self.exists(x, x == 2) && self.map(x, x + 1) == [2, 3]', [1, 2], true],
  ])('%s on %j is %s', (rule, self, expected) => {
    expect(holds(rule, self)).toBe(expected);
  });

  it('treats optional oldSelf as absent on create', () => {
    expect(holds('oldSelf.hasValue() || !has(self.restart)', { restart: { id: 'x' } })).toBe(false);
    expect(holds('oldSelf.hasValue() || !has(self.restart)', {})).toBe(true);
  });

  it('fails the rule when evaluation errors, unless the other side of || decides', () => {
    expect(holds('self.missing == 1', {})).toBe(false);
    expect(holds('self.missing == 1 || true', {})).toBe(true);
    expect(holds('self.missing == 1 && false', {})).toBe(false);
  });

  it('refuses CEL it does not support instead of guessing', () => {
    expect(() => CelProgram.parse('self.x.matchesRegex("a")').holds({ x: 'a' })).toThrow(CelUnsupported);
    expect(() => CelProgram.parse('self.a = 1')).toThrow(CelUnsupported);
    expect(() => CelProgram.parse('has(self)')).toThrow(CelUnsupported);
  });
});
