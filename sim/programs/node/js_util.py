"""node's ``util`` (format, inspect as node prints values, inherits,
promisify, types) and ``events`` (EventEmitter), in JavaScript."""

UTIL = r"""
(function (G, N) {
  'use strict';
  const IDENT = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
  const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  const META = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '\\': '\\\\' };

  function strEscape(str) {
    let quote = "'";
    if (str.includes("'")) {
      if (!str.includes('"')) quote = '"';
      else if (!str.includes('`') && !str.includes('${')) quote = '`';
    }
    let out = '';
    for (const ch of str) {
      const c = ch.codePointAt(0);
      if (ch === quote) out += '\\' + ch;
      else if (META[ch] !== undefined) out += META[ch];
      else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
      else out += ch;
    }
    return quote + out + quote;
  }

  function fnBase(value, ctorName) {
    const src = Function.prototype.toString.call(value);
    if (src.startsWith('class') && /^class\b/.test(src)) {
      let base = '[class ' + (value.name || '(anonymous)');
      const sup = Object.getPrototypeOf(value);
      if (sup && sup !== Function.prototype && sup.name) base += ' extends ' + sup.name;
      return base + ']';
    }
    let type = 'Function';
    if (ctorName === 'AsyncFunction') type = 'AsyncFunction';
    else if (ctorName === 'GeneratorFunction') type = 'GeneratorFunction';
    else if (ctorName === 'AsyncGeneratorFunction') type = 'AsyncGeneratorFunction';
    return '[' + type + (value.name ? ': ' + value.name : ' (anonymous)') + ']';
  }

  function ctorNameOf(obj) {
    let o = obj;
    while (o) {
      const d = Object.getOwnPropertyDescriptor(o, 'constructor');
      if (d && typeof d.value === 'function' && d.value.name !== '') return d.value.name;
      o = Object.getPrototypeOf(o);
    }
    return null;
  }

  function formatNumber(n) { return Object.is(n, -0) ? '-0' : String(n); }

  function formatPrimitive(v, ctx) {
    switch (typeof v) {
      case 'string': return strEscape(v);
      case 'number': return formatNumber(v);
      case 'bigint': return String(v) + 'n';
      case 'boolean': return String(v);
      case 'undefined': return 'undefined';
      case 'symbol': return v.toString();
    }
    return String(v);
  }

  function errorText(err) {
    let stack;
    try { stack = err.stack; } catch (e) { stack = undefined; }
    if (typeof stack === 'string' && stack) return stack;
    try { return '[' + Error.prototype.toString.call(err) + ']'; } catch (e) { return '[Error]'; }
  }

  function isBelowBreakLength(ctx, output, start, base) {
    let total = output.length + start;
    if (total + output.length > ctx.breakLength) return false;
    for (const o of output) {
      total += o.length;
      if (total > ctx.breakLength) return false;
    }
    return base === '' || !base.includes('\n');
  }

  function groupArrayElements(ctx, output, value) {
    let totalLength = 0, maxLength = 0;
    let outputLength = output.length;
    if (ctx.extraItems) outputLength--;
    const sep = 2;
    const dataLen = new Array(outputLength);
    for (let i = 0; i < outputLength; i++) {
      const len = output[i].length;
      dataLen[i] = len;
      totalLength += len + sep;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + sep;
    if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
        (totalLength / actualMax > 5 || maxLength <= 6)) {
      const averageBias = Math.sqrt(actualMax - totalLength / output.length);
      const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
      const columns = Math.min(
        Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
        Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
        ctx.compact * 4, 15);
      if (columns <= 1) return output;
      const tmp = [];
      const maxLineLength = [];
      for (let i = 0; i < columns; i++) {
        let lineLength = 0;
        for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
        maxLineLength.push(lineLength + sep);
      }
      let padStart = true;
      if (value !== undefined) {
        for (let i = 0; i < output.length; i++) {
          if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') { padStart = false; break; }
        }
      }
      for (let i = 0; i < outputLength; i += columns) {
        const max = Math.min(i + columns, outputLength);
        let str = '';
        let j = i;
        for (; j < max - 1; j++) {
          const s = output[j] + ', ';
          str += padStart ? s.padStart(maxLineLength[j - i], ' ') : s.padEnd(maxLineLength[j - i], ' ');
        }
        if (padStart) str += output[j].padStart(maxLineLength[j - i] - sep, ' ');
        else str += output[j];
        tmp.push(str);
      }
      if (ctx.extraItems) tmp.push(output[outputLength]);
      output = tmp;
    }
    return output;
  }

  function reduceToSingleString(ctx, output, base, braces, isArrayType, recurseTimes, value) {
    const entries = output.length;
    if (isArrayType && entries > 6) output = groupArrayElements(ctx, output, value);
    if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
      const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
      if (isBelowBreakLength(ctx, output, start, base)) {
        const joined = output.join(', ');
        if (!joined.includes('\n')) {
          return (base ? base + ' ' : '') + braces[0] + ' ' + joined + ' ' + braces[1];
        }
      }
    }
    const ind = '\n' + ' '.repeat(ctx.indentationLvl);
    return (base ? base + ' ' : '') + braces[0] + ind + '  ' + output.join(',' + ind + '  ') + ind + braces[1];
  }

  function formatKey(key) {
    if (typeof key === 'symbol') return '[' + key.toString() + ']';
    if (IDENT.test(key)) return key;
    return strEscape(key);
  }

  function formatProperty(ctx, value, recurseTimes, key, isArrayItem) {
    const desc = Object.getOwnPropertyDescriptor(value, key) || { value: value[key], enumerable: true };
    let str;
    if (desc.value !== undefined || !('get' in desc || 'set' in desc)) {
      ctx.indentationLvl += isArrayItem ? 2 : 2;
      str = formatValue(ctx, desc.value, recurseTimes);
      ctx.indentationLvl -= 2;
    } else if (desc.get !== undefined) {
      str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
    } else if (desc.set !== undefined) {
      str = '[Setter]';
    } else {
      str = 'undefined';
    }
    if (isArrayItem) return str;
    if (desc.enumerable === false) return '[' + (typeof key === 'symbol' ? key.toString() : key) + ']: ' + str;
    return formatKey(key) + ': ' + str;
  }

  function formatValue(ctx, value, recurseTimes, typedArray) {
    if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(value, ctx);
    if (value === null) return 'null';
    if (ctx.customInspect && value !== null) {
      const custom = value[inspect.custom];
      if (typeof custom === 'function' && custom !== inspect) {
        const ret = custom.call(value, ctx.depth - recurseTimes, Object.assign({}, ctx.opts), inspect);
        if (ret !== value) {
          if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
          return ret.replace(/\n/g, '\n' + ' '.repeat(ctx.indentationLvl));
        }
      }
    }
    if (ctx.seen.includes(value)) {
      let index = 1;
      if (ctx.circular === undefined) {
        ctx.circular = new Map();
        ctx.circular.set(value, index);
      } else {
        index = ctx.circular.get(value);
        if (index === undefined) {
          index = ctx.circular.size + 1;
          ctx.circular.set(value, index);
        }
      }
      return '[Circular *' + index + ']';
    }
    return formatRaw(ctx, value, recurseTimes);
  }

  function formatRaw(ctx, value, recurseTimes) {
    const ctorName = ctorNameOf(value);
    const protoNull = Object.getPrototypeOf(value) === null;
    let keys = Object.keys(value);
    if (ctx.showHidden) keys = Object.getOwnPropertyNames(value);
    const symKeys = Object.getOwnPropertySymbols(value).filter(
      (s) => ctx.showHidden || Object.prototype.propertyIsEnumerable.call(value, s));
    let base = '';
    let braces;
    let formatter = null;      // (ctx, value, recurseTimes) -> output entries
    let isArrayType = false;
    let noIterator = true;
    const prefix = (fallback, size) => {
      if (protoNull) return '[' + fallback + (size !== undefined ? '(' + size + ')' : '') + ': null prototype] ';
      const name = ctorName || fallback;
      return name + (size !== undefined ? '(' + size + ')' : '') + ' ';
    };

    if (Array.isArray(value)) {
      isArrayType = true;
      keys = keys.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k) || +k >= value.length);
      const pre = (ctorName !== 'Array' || protoNull) ? prefix('Array', value.length) : '';
      braces = [pre + '[', ']'];
      if (value.length === 0 && keys.length === 0 && symKeys.length === 0) return braces[0] + ']';
      formatter = formatArray;
    } else if (N.Buffer && value instanceof N.Buffer) {
      let s = '';
      const max = Math.min(50, value.length);
      for (let i = 0; i < max; i++) s += ' ' + value[i].toString(16).padStart(2, '0');
      if (value.length > 50) s += ' ... ' + (value.length - 50) + ' more byte' + (value.length - 50 > 1 ? 's' : '');
      return '<' + (ctorName || 'Buffer') + s + '>';
    } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      isArrayType = true;
      keys = keys.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k));
      braces = [prefix(ctorName || 'TypedArray', value.length) + '[', ']'];
      if (value.length === 0 && keys.length === 0) return braces[0] + ']';
      formatter = formatTypedArray;
    } else if (value instanceof Set) {
      keys = keys.filter(() => true);
      braces = [prefix('Set', value.size) + '{', '}'];
      if (value.size === 0 && keys.length === 0) return braces[0] + '}';
      formatter = formatSet;
    } else if (value instanceof Map) {
      braces = [prefix('Map', value.size) + '{', '}'];
      if (value.size === 0 && keys.length === 0) return braces[0] + '}';
      formatter = formatMap;
    } else if (typeof value === 'function') {
      base = fnBase(value, ctorName);
      if (keys.length === 0 && symKeys.length === 0) return base;
      braces = ['{', '}'];
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(value);
      if (keys.length === 0 && symKeys.length === 0) return base;
      braces = ['{', '}'];
    } else if (value instanceof Date) {
      base = isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
      if (keys.length === 0 && symKeys.length === 0) return base;
      braces = ['{', '}'];
    } else if (value instanceof Error) {
      base = errorText(value);
      keys = keys.filter((k) => k !== 'stack' && k !== 'message');
      if (ctx.indentationLvl !== 0) base = base.replace(/\n/g, '\n' + ' '.repeat(ctx.indentationLvl));
      if (keys.length === 0 && symKeys.length === 0) return base;
      braces = ['{', '}'];
    } else if (value instanceof Promise) {
      braces = [prefix('Promise') + '{', '}'];
      formatter = () => ['<pending>'];
    } else if (value instanceof WeakMap || value instanceof WeakSet) {
      return prefix(value instanceof WeakMap ? 'WeakMap' : 'WeakSet') + '{ <items unknown> }';
    } else if (typeof value === 'object' && (value instanceof Number || value instanceof String || value instanceof Boolean)) {
      const t = value instanceof Number ? 'Number' : value instanceof String ? 'String' : 'Boolean';
      base = '[' + t + ': ' + formatPrimitive(value.valueOf(), ctx) + ']';
      if (t === 'String') keys = keys.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k));
      if (keys.length === 0 && symKeys.length === 0) return base;
      braces = ['{', '}'];
    } else if (value instanceof ArrayBuffer) {
      braces = ['ArrayBuffer {', '}'];
      const u = new Uint8Array(value);
      let s = '';
      for (let i = 0; i < Math.min(50, u.length); i++) s += (i ? ' ' : '') + u[i].toString(16).padStart(2, '0');
      formatter = () => ['[Uint8Contents]: <' + s + '>', 'byteLength: ' + value.byteLength];
    } else {
      let tag = value[Symbol.toStringTag];
      if (typeof tag !== 'string' || tag === ctorName) tag = '';
      if (protoNull) braces = ['[Object: null prototype] {', '}'];
      else if (ctorName === 'Object') braces = [tag ? 'Object [' + tag + '] {' : '{', '}'];
      else braces = [(ctorName || 'Object') + (tag ? ' [' + tag + ']' : '') + ' {', '}'];
      if (keys.length === 0 && symKeys.length === 0) {
        return braces[0] === '{' ? '{}' : braces[0] + '}';
      }
    }

    if (recurseTimes > ctx.depth && ctx.depth !== null) {
      if (Array.isArray(value)) return '[Array]';
      return '[' + (protoNull ? 'Object: null prototype' : (ctorName || 'Object')) + ']';
    }
    recurseTimes += 1;
    ctx.seen.push(value);
    ctx.currentDepth = recurseTimes;
    let output;
    try {
      output = formatter ? formatter(ctx, value, recurseTimes) : [];
      for (const k of keys) output.push(formatProperty(ctx, value, recurseTimes, k, false));
      for (const k of symKeys) output.push(formatProperty(ctx, value, recurseTimes, k, false));
    } finally {
      ctx.seen.pop();
    }
    if (ctx.circular !== undefined) {
      const index = ctx.circular.get(value);
      if (index !== undefined) {
        const ref = '<ref *' + index + '>';
        if (base === '') braces[0] = ref + ' ' + braces[0];
        else base = ref + ' ' + base;
      }
    }
    const res = reduceToSingleString(ctx, output, base, braces, isArrayType, recurseTimes, value);
    ctx.extraItems = false;
    return res;
  }

  function formatArray(ctx, value, recurseTimes) {
    const output = [];
    const len = value.length;
    const max = Math.min(ctx.maxArrayLength, len);
    let holes = 0;
    for (let i = 0; i < len && output.length < max; i++) {
      if (!hasOwn(value, i)) { holes++; continue; }
      if (holes) { output.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>'); holes = 0; if (output.length >= max) break; }
      output.push(formatProperty(ctx, value, recurseTimes, i, true));
    }
    if (holes) output.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
    const remaining = len - max;
    if (remaining > 0 && output.length >= max) {
      output.push('... ' + remaining + ' more item' + (remaining > 1 ? 's' : ''));
      ctx.extraItems = true;
    }
    return output;
  }
  function formatTypedArray(ctx, value, recurseTimes) {
    const output = [];
    const max = Math.min(ctx.maxArrayLength, value.length);
    for (let i = 0; i < max; i++) output.push(typeof value[i] === 'bigint' ? value[i] + 'n' : formatNumber(value[i]));
    if (value.length > max) {
      const r = value.length - max;
      output.push('... ' + r + ' more item' + (r > 1 ? 's' : ''));
      ctx.extraItems = true;
    }
    return output;
  }
  function formatSet(ctx, value, recurseTimes) {
    const output = [];
    ctx.indentationLvl += 2;
    for (const v of value) output.push(formatValue(ctx, v, recurseTimes));
    ctx.indentationLvl -= 2;
    return output;
  }
  function formatMap(ctx, value, recurseTimes) {
    const output = [];
    ctx.indentationLvl += 2;
    for (const [k, v] of value) output.push(formatValue(ctx, k, recurseTimes) + ' => ' + formatValue(ctx, v, recurseTimes));
    ctx.indentationLvl -= 2;
    return output;
  }

  function inspect(value, opts) {
    const ctx = {
      seen: [], indentationLvl: 0, currentDepth: 0, depth: 2, breakLength: 80, compact: 3,
      maxArrayLength: 100, showHidden: false, customInspect: true, extraItems: false, opts: {},
    };
    if (arguments.length > 1 && typeof opts === 'object' && opts !== null) {
      for (const k of Object.keys(opts)) if (k in ctx || k === 'colors' || k === 'sorted') ctx[k] = opts[k];
      ctx.opts = opts;
    } else if (typeof opts === 'boolean') {
      ctx.showHidden = opts;
    }
    if (ctx.depth === Infinity) ctx.depth = null;
    if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
    return formatValue(ctx, value, 0);
  }
  inspect.custom = Symbol.for('nodejs.util.inspect.custom');
  inspect.defaultOptions = { depth: 2, breakLength: 80, compact: 3 };

  function formatWithOptions(opts, ...args) {
    const first = args[0];
    let a = 0;
    let str = '';
    let join = '';
    if (typeof first === 'string') {
      if (args.length === 1) return first;
      let lastPos = 0;
      let tempStr;
      for (let i = 0; i < first.length - 1; i++) {
        if (first.charCodeAt(i) === 37) { // '%'
          const next = first.charCodeAt(++i);
          if (a + 1 !== args.length) {
            switch (next) {
              case 115: { // s
                const arg = args[++a];
                if (typeof arg === 'number') tempStr = formatNumber(arg);
                else if (typeof arg === 'bigint') tempStr = arg + 'n';
                else if (typeof arg !== 'object' || arg === null || (typeof arg.toString === 'function' &&
                    arg.toString !== Object.prototype.toString && !(arg instanceof Error) && !Array.isArray(arg))) tempStr = String(arg);
                else tempStr = inspect(arg, Object.assign({}, opts, { depth: 0, compact: 3 }));
                break;
              }
              case 106: // j
                try { tempStr = JSON.stringify(args[++a]); } catch (e) { tempStr = '[Circular]'; }
                break;
              case 100: { // d
                const n = args[++a];
                tempStr = typeof n === 'bigint' ? n + 'n' : typeof n === 'symbol' ? 'NaN' : formatNumber(Number(n));
                break;
              }
              case 79: tempStr = inspect(args[++a], opts); break; // O
              case 111: tempStr = inspect(args[++a], Object.assign({}, opts, { showHidden: true, depth: 4 })); break; // o
              case 105: { // i
                const n = args[++a];
                tempStr = typeof n === 'bigint' ? n + 'n' : typeof n === 'symbol' ? 'NaN' : formatNumber(parseInt(n));
                break;
              }
              case 102: { // f
                const n = args[++a];
                tempStr = typeof n === 'symbol' ? 'NaN' : formatNumber(parseFloat(n));
                break;
              }
              case 99: a += 1; tempStr = ''; break; // c
              case 37: str += first.slice(lastPos, i); lastPos = i + 1; continue;
              default: continue;
            }
            if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
            str += tempStr;
            lastPos = i + 1;
          } else if (next === 37) {
            str += first.slice(lastPos, i);
            lastPos = i + 1;
          }
        }
      }
      if (lastPos !== 0) {
        a++;
        join = ' ';
        if (lastPos < first.length) str += first.slice(lastPos);
      }
    }
    while (a < args.length) {
      const v = args[a];
      str += join;
      str += typeof v !== 'string' ? inspect(v, opts) : v;
      join = ' ';
      a++;
    }
    return str;
  }
  function format(...args) { return formatWithOptions(undefined, ...args); }

  function inherits(ctor, superCtor) {
    Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
    Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
  }
  const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');
  function promisify(orig) {
    if (typeof orig !== 'function') throw new TypeError('The "original" argument must be of type function');
    if (orig[kCustomPromisify]) return orig[kCustomPromisify];
    function fn(...args) {
      return new Promise((resolve, reject) => {
        orig.call(this, ...args, (err, ...values) => {
          if (err) return reject(err);
          resolve(values.length > 1 ? values : values[0]);
        });
      });
    }
    Object.setPrototypeOf(fn, Object.getPrototypeOf(orig));
    return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(orig));
  }
  promisify.custom = kCustomPromisify;
  function callbackify(fn) {
    return function (...args) {
      const cb = args.pop();
      fn.apply(this, args).then((v) => N.nextTick(cb, null, v), (e) => N.nextTick(cb, e));
    };
  }
  function deprecate(fn, msg) {
    let warned = false;
    return function (...args) {
      if (!warned) { warned = true; N.warn('DeprecationWarning: ' + msg); }
      return fn.apply(this, args);
    };
  }
  const types = {
    isDate: (v) => v instanceof Date, isRegExp: (v) => v instanceof RegExp,
    isPromise: (v) => v instanceof Promise, isMap: (v) => v instanceof Map, isSet: (v) => v instanceof Set,
    isTypedArray: (v) => ArrayBuffer.isView(v) && !(v instanceof DataView),
    isUint8Array: (v) => v instanceof Uint8Array, isNativeError: (v) => v instanceof Error,
    isAsyncFunction: (v) => typeof v === 'function' && v.constructor && v.constructor.name === 'AsyncFunction',
    isArrayBuffer: (v) => v instanceof ArrayBuffer,
  };
  function isDeepStrictEqual(a, b) { return N.deepEqual(a, b, true); }

  N.inspect = inspect;
  N.format = format;
  N.formatWithOptions = formatWithOptions;
  N.describe = function (v) {
    if (v == null) return String(v);
    if (typeof v === 'function') return 'function ' + v.name;
    if (typeof v === 'object') {
      const c = ctorNameOf(v);
      return c ? 'an instance of ' + c : inspect(v, { depth: -1 });
    }
    let s = inspect(v);
    if (s.length > 28) s = s.slice(0, 25) + '...';
    return 'type ' + typeof v + ' (' + s + ')';
  };
  N.builtins.util = function (module) {
    module.exports = {
      format, formatWithOptions, inspect, inherits, promisify, callbackify, deprecate, types, isDeepStrictEqual,
      isArray: Array.isArray, isString: (v) => typeof v === 'string', isNumber: (v) => typeof v === 'number',
      isFunction: (v) => typeof v === 'function', isObject: (v) => v !== null && typeof v === 'object',
      isError: (v) => v instanceof Error, isUndefined: (v) => v === undefined, isNull: (v) => v === null,
      TextEncoder: G.TextEncoder, TextDecoder: G.TextDecoder,
    };
  };
})(globalThis, globalThis.__node);
"""

EVENTS = r"""
(function (G, N) {
  'use strict';
  function checkListener(l) {
    if (typeof l !== 'function') {
      const e = new TypeError('The "listener" argument must be of type function. Received ' + N.describe(l));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
  }
  function EventEmitter(opts) { EventEmitter.init.call(this, opts); }
  EventEmitter.prototype._events = undefined;
  EventEmitter.prototype._eventsCount = 0;
  EventEmitter.prototype._maxListeners = undefined;
  EventEmitter.defaultMaxListeners = 10;
  EventEmitter.init = function () {
    if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
      this._events = Object.create(null);
      this._eventsCount = 0;
    }
    this._maxListeners = this._maxListeners || undefined;
  };
  EventEmitter.prototype.setMaxListeners = function (n) { this._maxListeners = n; return this; };
  EventEmitter.prototype.getMaxListeners = function () {
    return this._maxListeners === undefined ? EventEmitter.defaultMaxListeners : this._maxListeners;
  };
  EventEmitter.prototype.emit = function emit(type, ...args) {
    const events = this._events;
    if (type === 'error' && (events === undefined || events.error === undefined)) {
      const er = args[0];
      if (er instanceof Error) { N.unhandledErrorEvent = er; throw er; }
      const err = new Error('Unhandled error. (' + N.inspect(er) + ')');
      err.code = 'ERR_UNHANDLED_ERROR';
      err.context = er;
      throw err;
    }
    if (events === undefined) return false;
    const handler = events[type];
    if (handler === undefined) return false;
    if (typeof handler === 'function') {
      handler.apply(this, args);
    } else {
      const list = handler.slice();
      for (const fn of list) fn.apply(this, args);
    }
    return true;
  };
  function addListener(target, type, listener, prepend) {
    checkListener(listener);
    let events = target._events;
    if (events === undefined) {
      events = target._events = Object.create(null);
      target._eventsCount = 0;
    } else if (events.newListener !== undefined) {
      target.emit('newListener', type, listener.listener ? listener.listener : listener);
      events = target._events;
    }
    const existing = events[type];
    if (existing === undefined) {
      events[type] = listener;
      ++target._eventsCount;
    } else if (typeof existing === 'function') {
      events[type] = prepend ? [listener, existing] : [existing, listener];
    } else if (prepend) existing.unshift(listener);
    else existing.push(listener);
    return target;
  }
  EventEmitter.prototype.addListener = function addListener_(type, l) { return addListener(this, type, l, false); };
  EventEmitter.prototype.on = EventEmitter.prototype.addListener;
  EventEmitter.prototype.prependListener = function (type, l) { return addListener(this, type, l, true); };
  function onceWrapper(target, type, listener) {
    const state = { fired: false, target, type, listener };
    const wrapped = function (...args) {
      if (!state.fired) {
        state.target.removeListener(state.type, wrapped);
        state.fired = true;
        return state.listener.apply(state.target, args);
      }
    };
    wrapped.listener = listener;
    return wrapped;
  }
  EventEmitter.prototype.once = function once(type, l) { checkListener(l); this.on(type, onceWrapper(this, type, l)); return this; };
  EventEmitter.prototype.prependOnceListener = function (type, l) { checkListener(l); this.prependListener(type, onceWrapper(this, type, l)); return this; };
  EventEmitter.prototype.removeListener = function removeListener(type, listener) {
    checkListener(listener);
    const events = this._events;
    if (events === undefined) return this;
    const list = events[type];
    if (list === undefined) return this;
    if (list === listener || list.listener === listener) {
      if (--this._eventsCount === 0) this._events = Object.create(null);
      else delete events[type];
      if (events.removeListener) this.emit('removeListener', type, list.listener || listener);
    } else if (typeof list !== 'function') {
      let pos = -1;
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i] === listener || list[i].listener === listener) { pos = i; break; }
      }
      if (pos < 0) return this;
      list.splice(pos, 1);
      if (list.length === 1) events[type] = list[0];
      if (events.removeListener !== undefined) this.emit('removeListener', type, listener);
    }
    return this;
  };
  EventEmitter.prototype.off = EventEmitter.prototype.removeListener;
  EventEmitter.prototype.removeAllListeners = function (type) {
    if (this._events === undefined) return this;
    if (arguments.length === 0) { this._events = Object.create(null); this._eventsCount = 0; }
    else if (this._events[type] !== undefined) {
      if (--this._eventsCount === 0) this._events = Object.create(null);
      else delete this._events[type];
    }
    return this;
  };
  EventEmitter.prototype.listeners = function (type) {
    const l = this._events && this._events[type];
    if (l === undefined) return [];
    if (typeof l === 'function') return [l.listener || l];
    return l.map((x) => x.listener || x);
  };
  EventEmitter.prototype.rawListeners = function (type) {
    const l = this._events && this._events[type];
    if (l === undefined) return [];
    return typeof l === 'function' ? [l] : l.slice();
  };
  EventEmitter.prototype.listenerCount = function (type) {
    const l = this._events && this._events[type];
    if (l === undefined) return 0;
    return typeof l === 'function' ? 1 : l.length;
  };
  EventEmitter.listenerCount = (em, type) => em.listenerCount(type);
  EventEmitter.prototype.eventNames = function () { return this._events ? Reflect.ownKeys(this._events) : []; };
  EventEmitter.EventEmitter = EventEmitter;
  EventEmitter.once = function (em, name) {
    return new Promise((resolve, reject) => {
      const onError = (err) => { em.removeListener(name, onEvent); reject(err); };
      const onEvent = (...args) => { if (name !== 'error') em.removeListener('error', onError); resolve(args); };
      em.once(name, onEvent);
      if (name !== 'error') em.once('error', onError);
    });
  };
  N.EventEmitter = EventEmitter;
  N.builtins.events = function (module) { module.exports = EventEmitter; };
})(globalThis, globalThis.__node);
"""
