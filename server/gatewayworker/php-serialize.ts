/**
 * PHP's serialize()/unserialize() for the values GatewayClient exchanges: null, booleans, integers,
 * floats, strings and arrays. Strings are counted in bytes (PHP strings are bytes), which is why this
 * works on Buffers. Objects (`O:`/`C:`) and references are refused: GatewayClient never sends them,
 * and refusing them means no input can make us build anything but plain data.
 *
 * Why our own: the npm `php-serialize` package works on JS strings and supports class instances;
 * these 120 lines are byte-exact and have no surface beyond plain data.
 */
export type PhpValue = null | boolean | number | string | PhpValue[] | { [key: string]: PhpValue };

const INT_KEY = /^(0|-?[1-9]\d{0,18})$/;

export function phpSerialize(value: unknown): Buffer {
  const chunks: Buffer[] = [];
  write(value, chunks, 0);
  return Buffer.concat(chunks);
}

function write(v: unknown, out: Buffer[], depth: number): void {
  if (depth > 64) throw new Error('php serialize: too deep');
  if (v === null || v === undefined) out.push(Buffer.from('N;'));
  else if (typeof v === 'boolean') out.push(Buffer.from(`b:${v ? 1 : 0};`));
  else if (typeof v === 'number') out.push(Buffer.from(numberText(v)));
  else if (typeof v === 'bigint') out.push(Buffer.from(`i:${v};`));
  else if (typeof v === 'string' || Buffer.isBuffer(v)) {
    const bytes = Buffer.isBuffer(v) ? v : Buffer.from(v);
    out.push(Buffer.from(`s:${bytes.length}:"`), bytes, Buffer.from('";'));
  } else if (Array.isArray(v)) {
    out.push(Buffer.from(`a:${v.length}:{`));
    v.forEach((item, i) => {
      out.push(Buffer.from(`i:${i};`));
      write(item, out, depth + 1);
    });
    out.push(Buffer.from('}'));
  } else if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    out.push(Buffer.from(`a:${entries.length}:{`));
    for (const [k, item] of entries) {
      // PHP turns numeric-string keys into integers; do the same so a round trip is exact.
      out.push(INT_KEY.test(k) && Number.isSafeInteger(Number(k)) ? Buffer.from(`i:${k};`) : keyText(k));
      write(item, out, depth + 1);
    }
    out.push(Buffer.from('}'));
  } else throw new Error(`php serialize: cannot serialize a ${typeof v}`);
}

const keyText = (k: string) => {
  const bytes = Buffer.from(k);
  return Buffer.concat([Buffer.from(`s:${bytes.length}:"`), bytes, Buffer.from('";')]);
};

function numberText(n: number): string {
  if (Number.isInteger(n) && Number.isSafeInteger(n)) return `i:${n};`;
  if (Number.isNaN(n)) return 'd:NAN;';
  if (!Number.isFinite(n)) return n > 0 ? 'd:INF;' : 'd:-INF;';
  return `d:${n};`;
}

export class PhpUnserializeError extends Error {
  override name = 'PhpUnserializeError';
}

/** Parses one serialized value that must fill the whole buffer. */
export function phpUnserialize(input: Buffer | string): PhpValue {
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  const r = new Reader(buf);
  const value = r.value(0);
  if (r.pos !== buf.length) throw new PhpUnserializeError(`trailing bytes at ${r.pos}`);
  return value;
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  value(depth: number): PhpValue {
    if (depth > 64) throw new PhpUnserializeError('too deep');
    const type = String.fromCharCode(this.byte());
    if (type === 'N') {
      this.expect(';');
      return null;
    }
    this.expect(':');
    switch (type) {
      case 'b': {
        const v = this.until(';');
        if (v !== '0' && v !== '1') throw new PhpUnserializeError('bad boolean');
        return v === '1';
      }
      case 'i': {
        const v = this.until(';');
        if (!/^[+-]?\d{1,19}$/.test(v)) throw new PhpUnserializeError('bad integer');
        return Number(v);
      }
      case 'd': {
        const v = this.until(';');
        if (v === 'INF') return Infinity;
        if (v === '-INF') return -Infinity;
        if (v === 'NAN') return NaN;
        const n = Number(v);
        if (v === '' || Number.isNaN(n)) throw new PhpUnserializeError('bad float');
        return n;
      }
      case 's':
        return this.string();
      case 'a':
        return this.array(depth);
      default:
        throw new PhpUnserializeError(`unsupported type "${type}"`);
    }
  }

  private string(): string {
    const len = this.length();
    this.expect('"');
    if (this.pos + len > this.buf.length) throw new PhpUnserializeError('string past the end');
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    this.expect('"');
    this.expect(';');
    return s;
  }

  private array(depth: number): PhpValue {
    const count = this.length();
    // Each element takes at least 4 bytes: a count larger than what is left is a lie.
    if (count > (this.buf.length - this.pos) / 4) throw new PhpUnserializeError('array count past the end');
    this.expect('{');
    const obj: Record<string, PhpValue> = {};
    let list = true;
    for (let i = 0; i < count; i++) {
      const key = this.value(depth + 1);
      if (typeof key !== 'number' && typeof key !== 'string') throw new PhpUnserializeError('bad array key');
      if (key !== i) list = false;
      obj[String(key)] = this.value(depth + 1);
    }
    this.expect('}');
    return list ? Object.values(obj) : obj;
  }

  private length(): number {
    const v = this.until(':');
    if (!/^\d{1,9}$/.test(v)) throw new PhpUnserializeError('bad length');
    return Number(v);
  }

  private byte(): number {
    const b = this.buf[this.pos++];
    if (b === undefined) throw new PhpUnserializeError('unexpected end');
    return b;
  }

  private expect(ch: string): void {
    if (this.byte() !== ch.charCodeAt(0)) throw new PhpUnserializeError(`expected "${ch}" at ${this.pos - 1}`);
  }

  private until(ch: string): string {
    const end = this.buf.indexOf(ch.charCodeAt(0), this.pos);
    if (end < 0 || end - this.pos > 32) throw new PhpUnserializeError(`expected "${ch}"`);
    const s = this.buf.toString('latin1', this.pos, end);
    this.pos = end + 1;
    return s;
  }
}
