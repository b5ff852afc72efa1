/**
 * A small evaluator for the subset of CEL that CRD `x-kubernetes-validations`
 * rules use in practice: literals, field access, `has()`, boolean and
 * comparison operators, `?:`, `in`, indexing, `size()`, string `lowerAscii`/
 * `contains`/`split`/`startsWith`/`endsWith`, list macros `all`/`exists`/
 * `filter`/`map`, and `quantity()` comparisons. Anything else fails to parse and
 * the caller reports the rule as not evaluated instead of guessing.
 *
 * Semantics follow CEL where it matters for admission: a missing field is an
 * evaluation error, `||`/`&&` absorb an error when the other side decides.
 */

type Value = unknown;

type Node =
  | { t: 'lit'; v: Value }
  | { t: 'id'; name: string }
  | { t: 'list'; items: Node[] }
  | { t: 'field'; obj: Node; name: string }
  | { t: 'index'; obj: Node; key: Node }
  | { t: 'call'; target?: Node; fn: string; args: Node[] }
  | { t: 'has'; obj: Node; name: string }
  | { t: 'unary'; op: string; arg: Node }
  | { t: 'binary'; op: string; left: Node; right: Node }
  | { t: 'cond'; test: Node; then: Node; else: Node };

/** Raised for a rule that uses CEL beyond the supported subset. */
export class CelUnsupported extends Error {}

/** Raised when evaluation fails (no such key, wrong operand types): the rule then fails, as in the API server. */
class CelEvalError extends Error {}

/** A parsed rule, evaluable against `self` (and an optional `oldSelf`). */
export class CelProgram {
  /** @throws CelUnsupported */
  public static parse(source: string): CelProgram {
    return new CelProgram(new Parser(source).parseAll());
  }

  private constructor(private readonly ast: Node) {}

  /** True when the rule holds; false when it is violated or its evaluation fails. */
  public holds(self: Value, oldSelf: OptionalValue = NONE): boolean {
    try {
      return evaluate(this.ast, { self, oldSelf }) === true;
    } catch (e) {
      if (e instanceof CelEvalError) return false;
      throw e;
    }
  }
}

/** CEL `optional` as seen by transition rules with `optionalOldSelf` on create. */
export class OptionalValue {
  constructor(public readonly present: boolean, public readonly value?: Value) {}
}
const NONE = new OptionalValue(false);

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_][A-Za-z0-9_]*)|(\|\||&&|==|!=|<=|>=|[!<>?:()[\].,+\-]))/y;

class Parser {
  /** Binary operators by increasing precedence. */
  private static readonly LEVELS = [['||'], ['&&'], ['==', '!=', '<', '<=', '>', '>=', 'in'], ['+', '-']];

  private readonly tokens: string[] = [];
  private pos = 0;

  constructor(source: string) {
    let at = 0;
    while (source.slice(at).trim() !== '') {
      TOKEN.lastIndex = at;
      const m = TOKEN.exec(source);
      if (!m) throw new CelUnsupported(`cannot tokenize near '${source.slice(at)}'`);
      this.tokens.push(m[0].trim());
      at = TOKEN.lastIndex;
    }
  }

  parseAll(): Node {
    const node = this.conditional();
    if (this.pos !== this.tokens.length) throw new CelUnsupported(`unexpected '${this.tokens[this.pos]}'`);
    return node;
  }

  private peek(): string | undefined { return this.tokens[this.pos]; }
  private next(): string {
    const tok = this.tokens[this.pos++];
    if (tok === undefined) throw new CelUnsupported('unexpected end of rule');
    return tok;
  }
  private expect(tok: string): void {
    const got = this.next();
    if (got !== tok) throw new CelUnsupported(`expected '${tok}', got '${got}'`);
  }

  private conditional(): Node {
    const test = this.binary(0);
    if (this.peek() !== '?') return test;
    this.next();
    const then = this.conditional();
    this.expect(':');
    return { t: 'cond', test, then, else: this.conditional() };
  }

  private binary(level: number): Node {
    if (level === Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    while (Parser.LEVELS[level].includes(this.peek() ?? '')) {
      const op = this.next();
      left = { t: 'binary', op, left, right: this.binary(level + 1) };
    }
    return left;
  }

  private unary(): Node {
    if (this.peek() === '!' || this.peek() === '-') {
      const op = this.next();
      return { t: 'unary', op, arg: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.peek() === '.') {
        this.next();
        const name = this.next();
        node = this.peek() === '(' ? { t: 'call', target: node, fn: name, args: this.args() } : { t: 'field', obj: node, name };
      } else if (this.peek() === '[') {
        this.next();
        const key = this.conditional();
        this.expect(']');
        node = { t: 'index', obj: node, key };
      } else {
        return node;
      }
    }
  }

  private args(): Node[] {
    this.expect('(');
    const args: Node[] = [];
    while (this.peek() !== ')') {
      args.push(this.conditional());
      if (this.peek() === ',') this.next();
    }
    this.next();
    return args;
  }

  private primary(): Node {
    const tok = this.next();
    if (tok === '(') {
      const inner = this.conditional();
      this.expect(')');
      return inner;
    }
    if (tok === '[') {
      const items: Node[] = [];
      while (this.peek() !== ']') {
        items.push(this.conditional());
        if (this.peek() === ',') this.next();
      }
      this.next();
      return { t: 'list', items };
    }
    if (/^\d/.test(tok)) return { t: 'lit', v: Number(tok) };
    if (tok.startsWith('"')) return { t: 'lit', v: JSON.parse(tok) };
    if (tok.startsWith("'")) return { t: 'lit', v: JSON.parse(`"${tok.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) };
    if (tok === 'true' || tok === 'false') return { t: 'lit', v: tok === 'true' };
    if (tok === 'null') return { t: 'lit', v: null };
    if (!/^[A-Za-z_]/.test(tok)) throw new CelUnsupported(`unexpected '${tok}'`);
    if (this.peek() !== '(') return { t: 'id', name: tok };
    const args = this.args();
    if (tok === 'has') {
      const arg = args[0];
      if (args.length !== 1 || arg.t !== 'field') throw new CelUnsupported('has() needs a field selection');
      return { t: 'has', obj: arg.obj, name: arg.name };
    }
    return { t: 'call', fn: tok, args };
  }
}

type Scope = Record<string, Value>;

function evaluate(node: Node, scope: Scope): Value {
  switch (node.t) {
    case 'lit': return node.v;
    case 'id':
      if (!(node.name in scope)) throw new CelUnsupported(`unknown identifier '${node.name}'`);
      return scope[node.name];
    case 'list': return node.items.map(i => evaluate(i, scope));
    case 'field': return member(evaluate(node.obj, scope), node.name);
    case 'index': return member(evaluate(node.obj, scope), evaluate(node.key, scope));
    case 'has': {
      const obj = evaluate(node.obj, scope);
      return isMap(obj) && obj[node.name] !== undefined;
    }
    case 'unary': {
      const v = evaluate(node.arg, scope);
      if (node.op === '!') return !asBool(v);
      if (typeof v !== 'number') throw new CelEvalError('negation of a non-number');
      return -v;
    }
    case 'cond': return asBool(evaluate(node.test, scope)) ? evaluate(node.then, scope) : evaluate(node.else, scope);
    case 'binary': return binary(node, scope);
    case 'call': return call(node, scope);
  }
}

function binary(node: Extract<Node, { t: 'binary' }>, scope: Scope): Value {
  if (node.op === '||' || node.op === '&&') {
    // CEL's commutative logic: an error on one side is absorbed when the other side decides.
    const decisive = node.op === '||';
    let failure: unknown;
    for (const side of [node.left, node.right]) {
      try {
        if (asBool(evaluate(side, scope)) === decisive) return decisive;
      } catch (e) {
        if (!(e instanceof CelEvalError)) throw e;
        failure = e;
      }
    }
    if (failure) throw failure;
    return !decisive;
  }
  const l = evaluate(node.left, scope);
  const r = evaluate(node.right, scope);
  switch (node.op) {
    case '==': return deepEqual(l, r);
    case '!=': return !deepEqual(l, r);
    case 'in':
      if (Array.isArray(r)) return r.some(x => deepEqual(x, l));
      if (isMap(r)) return typeof l === 'string' && r[l] !== undefined;
      throw new CelEvalError("'in' needs a list or map");
    case '+':
      if (typeof l === 'number' && typeof r === 'number') return l + r;
      if (typeof l === 'string' && typeof r === 'string') return l + r;
      if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
      throw new CelEvalError('bad operands for +');
    case '-':
      if (typeof l === 'number' && typeof r === 'number') return l - r;
      throw new CelEvalError('bad operands for -');
    default: {
      if (!((typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string'))) {
        throw new CelEvalError(`bad operands for ${node.op}`);
      }
      switch (node.op) {
        case '<': return l < r;
        case '<=': return l <= r;
        case '>': return l > r;
        default: return l >= r;
      }
    }
  }
}

const MACROS = new Set(['all', 'exists', 'exists_one', 'filter', 'map']);

function call(node: Extract<Node, { t: 'call' }>, scope: Scope): Value {
  if (node.target && MACROS.has(node.fn)) return macro(node, scope);
  const target = node.target ? evaluate(node.target, scope) : undefined;
  const args = node.args.map(a => evaluate(a, scope));
  const subject = node.target ? target : args.shift();
  switch (node.fn) {
    case 'size':
      if (typeof subject === 'string') return [...subject].length;
      if (Array.isArray(subject)) return subject.length;
      if (isMap(subject)) return Object.keys(subject).length;
      throw new CelEvalError('size() of a scalar');
    case 'lowerAscii': return str(subject).replace(/[A-Z]/g, c => c.toLowerCase());
    case 'upperAscii': return str(subject).replace(/[a-z]/g, c => c.toUpperCase());
    case 'contains': return str(subject).includes(str(args[0]));
    case 'startsWith': return str(subject).startsWith(str(args[0]));
    case 'endsWith': return str(subject).endsWith(str(args[0]));
    case 'split': return str(subject).split(str(args[0]));
    case 'matches': return new RegExp(str(args[0])).test(str(subject));
    case 'hasValue':
      if (!(subject instanceof OptionalValue)) throw new CelEvalError('hasValue() of a non-optional');
      return subject.present;
    case 'quantity': return parseQuantity(str(subject));
    case 'isGreaterThan': case 'isLessThan': case 'compareTo': {
      const a = quantityOf(subject);
      const b = quantityOf(args[0]);
      if (node.fn === 'isGreaterThan') return a > b;
      if (node.fn === 'isLessThan') return a < b;
      return Math.sign(a - b);
    }
    default: throw new CelUnsupported(`function '${node.fn}' is not supported`);
  }
}

function macro(node: Extract<Node, { t: 'call' }>, scope: Scope): Value {
  const [variable, body] = node.args;
  if (!variable || variable.t !== 'id' || !body) throw new CelUnsupported(`malformed ${node.fn}() macro`);
  const subject = evaluate(node.target!, scope);
  const items = Array.isArray(subject) ? subject : isMap(subject) ? Object.keys(subject) : undefined;
  if (!items) throw new CelEvalError(`${node.fn}() on a scalar`);
  const each = (x: Value) => evaluate(body, { ...scope, [variable.name]: x });
  switch (node.fn) {
    case 'all': return items.every(x => asBool(each(x)));
    case 'exists': return items.some(x => asBool(each(x)));
    case 'exists_one': return items.filter(x => asBool(each(x))).length === 1;
    case 'filter': return items.filter(x => asBool(each(x)));
    default: return items.map(each);
  }
}

// Deliberately independent of src/policy/rendered/quantities.ts: the validator must not share the code it checks.
class Quantity {
  constructor(public readonly amount: number) {}
}

const SUFFIX: Record<string, number> = {
  '': 1,
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

function parseQuantity(s: string): Quantity {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|([a-zA-Z]*))$/.exec(s);
  if (!m || (m[3] !== undefined && !(m[3] in SUFFIX))) throw new CelEvalError(`invalid quantity '${s}'`);
  return new Quantity(Number(m[1] + (m[2] ?? '')) * SUFFIX[m[3] ?? '']);
}

function quantityOf(v: Value): number {
  if (!(v instanceof Quantity)) throw new CelEvalError('not a quantity');
  return v.amount;
}

function member(obj: Value, key: Value): Value {
  let v: Value;
  if (Array.isArray(obj) && typeof key === 'number') v = obj[key];
  else if (isMap(obj) && typeof key === 'string') v = obj[key];
  if (v === undefined) throw new CelEvalError(`no such key: ${String(key)}`);
  return v;
}

function isMap(v: Value): v is Record<string, Value> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof OptionalValue) && !(v instanceof Quantity);
}

function asBool(v: Value): boolean {
  if (typeof v !== 'boolean') throw new CelEvalError('expected a boolean');
  return v;
}

function str(v: Value): string {
  if (typeof v !== 'string') throw new CelEvalError('expected a string');
  return v;
}

function deepEqual(a: Value, b: Value): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: Value): Value {
  if (Array.isArray(v)) return v.map(canonical);
  if (isMap(v)) return Object.fromEntries(Object.keys(v).sort().map(k => [k, canonical(v[k])]));
  return v;
}
