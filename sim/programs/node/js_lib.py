"""node's ``process``, ``console``, ``path``, ``os``, ``fs``, ``buffer`` and
the CommonJS module loader, in JavaScript over the host bridge."""

BUFFER = r"""
(function (G, N) {
  'use strict';
  const H = N.H;
  // Bytes cross the bridge as "binary" strings (one char per byte).
  function toBinary(u8) {
    let s = '';
    for (let i = 0; i < u8.length; i += 8192) s += String.fromCharCode.apply(null, u8.subarray(i, i + 8192));
    return s;
  }
  function fromBinary(s) {
    const b = Buffer.allocUnsafe(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    return b;
  }
  const ENCODINGS = ['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'ucs2', 'ucs-2', 'utf16le', 'utf-16le'];
  function normEnc(enc) {
    if (enc === undefined || enc === null) return 'utf8';
    const e = String(enc).toLowerCase();
    if (!ENCODINGS.includes(e)) {
      const err = new TypeError('Unknown encoding: ' + enc);
      err.code = 'ERR_UNKNOWN_ENCODING';
      throw err;
    }
    return e === 'utf-8' ? 'utf8' : e === 'binary' ? 'latin1' : e;
  }
  class Buffer extends Uint8Array {
    static from(value, enc, len) {
      if (typeof value === 'string') return fromBinary(H('encode', value, normEnc(enc)));
      if (value instanceof ArrayBuffer) return new Buffer(value, enc || 0, len === undefined ? value.byteLength - (enc || 0) : len);
      if (ArrayBuffer.isView(value) || Array.isArray(value)) {
        const b = Buffer.allocUnsafe(value.length);
        for (let i = 0; i < value.length; i++) b[i] = value[i] & 255;
        return b;
      }
      if (value && value.type === 'Buffer' && Array.isArray(value.data)) return Buffer.from(value.data);
      const err = new TypeError('The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received ' + N.describe(value));
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    static alloc(n, fill, enc) {
      const b = new Buffer(n);
      if (fill !== undefined && fill !== 0) b.fill(fill, 0, n, enc);
      return b;
    }
    static allocUnsafe(n) { return new Buffer(n); }
    static allocUnsafeSlow(n) { return new Buffer(n); }
    static isBuffer(b) { return b instanceof Buffer; }
    static isEncoding(e) { return typeof e === 'string' && ENCODINGS.includes(e.toLowerCase()); }
    static byteLength(s, enc) {
      if (typeof s !== 'string') return s.byteLength;
      return H('encode', s, normEnc(enc)).length;
    }
    static concat(list, total) {
      if (total === undefined) total = list.reduce((n, b) => n + b.length, 0);
      const out = Buffer.alloc(total);
      let pos = 0;
      for (const b of list) {
        if (pos >= total) break;
        const part = b.length > total - pos ? b.subarray(0, total - pos) : b;
        out.set(part, pos);
        pos += part.length;
      }
      return out;
    }
    static compare(a, b) { return a.compare(b); }
    toString(enc, start, end) {
      start = start === undefined ? 0 : Math.max(0, start | 0);
      end = end === undefined ? this.length : Math.min(this.length, end | 0);
      if (end <= start) return '';
      return H('decode', toBinary(this.subarray(start, end)), normEnc(enc));
    }
    toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
    equals(o) { return this.compare(o) === 0; }
    compare(o) {
      const n = Math.min(this.length, o.length);
      for (let i = 0; i < n; i++) if (this[i] !== o[i]) return this[i] < o[i] ? -1 : 1;
      return this.length === o.length ? 0 : this.length < o.length ? -1 : 1;
    }
    slice(s, e) { return this.subarray(s, e); }
    write(str, offset, length, enc) {
      if (typeof offset === 'string') { enc = offset; offset = 0; length = undefined; }
      else if (typeof length === 'string') { enc = length; length = undefined; }
      offset = offset || 0;
      const bytes = Buffer.from(str, enc);
      const n = Math.min(bytes.length, this.length - offset, length === undefined ? Infinity : length);
      this.set(bytes.subarray(0, n), offset);
      return n;
    }
    fill(v, s, e, enc) {
      if (typeof s === 'string') { enc = s; s = 0; e = this.length; }
      s = s || 0; e = e === undefined ? this.length : e;
      if (typeof v === 'string') {
        const bytes = Buffer.from(v, enc);
        if (bytes.length === 0) return Uint8Array.prototype.fill.call(this, 0, s, e);
        for (let i = s, j = 0; i < e; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
        return this;
      }
      return Uint8Array.prototype.fill.call(this, v, s, e);
    }
    copy(target, ts, ss, se) {
      ts = ts || 0; ss = ss || 0; se = se === undefined ? this.length : se;
      const part = this.subarray(ss, Math.min(se, ss + target.length - ts));
      target.set(part, ts);
      return part.length;
    }
    indexOf(v, from, enc) {
      if (typeof v === 'number') return Uint8Array.prototype.indexOf.call(this, v, from);
      const needle = typeof v === 'string' ? Buffer.from(v, enc) : v;
      outer: for (let i = from || 0; i <= this.length - needle.length; i++) {
        for (let j = 0; j < needle.length; j++) if (this[i + j] !== needle[j]) continue outer;
        return i;
      }
      return -1;
    }
    includes(v, from, enc) { return this.indexOf(v, from, enc) !== -1; }
    readUInt8(o) { return this[o || 0]; }
    readUInt16BE(o) { o = o || 0; return (this[o] << 8) | this[o + 1]; }
    readUInt16LE(o) { o = o || 0; return this[o] | (this[o + 1] << 8); }
    readUInt32BE(o) { o = o || 0; return ((this[o] << 24) >>> 0) + ((this[o + 1] << 16) | (this[o + 2] << 8) | this[o + 3]); }
    readUInt32LE(o) { o = o || 0; return ((this[o + 3] << 24) >>> 0) + ((this[o + 2] << 16) | (this[o + 1] << 8) | this[o]); }
    readInt8(o) { const v = this[o || 0]; return v > 127 ? v - 256 : v; }
    writeUInt8(v, o) { this[o || 0] = v; return (o || 0) + 1; }
    writeUInt16BE(v, o) { o = o || 0; this[o] = v >>> 8; this[o + 1] = v; return o + 2; }
    writeUInt32BE(v, o) { o = o || 0; this[o] = v >>> 24; this[o + 1] = v >>> 16; this[o + 2] = v >>> 8; this[o + 3] = v; return o + 4; }
  }
  Buffer.poolSize = 8192;
  N.Buffer = Buffer;
  N.toBinary = toBinary;
  N.fromBinary = fromBinary;
  N.normEnc = normEnc;
  G.Buffer = Buffer;
  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(s) { const b = Buffer.from(String(s === undefined ? '' : s), 'utf8'); return new Uint8Array(b.buffer, b.byteOffset, b.length); }
  }
  class TextDecoder {
    constructor(enc) { this.encoding = (enc || 'utf-8').toLowerCase(); }
    decode(u8) { if (!u8) return ''; return H('decode', toBinary(u8 instanceof ArrayBuffer ? new Uint8Array(u8) : u8), 'utf8'); }
  }
  G.TextEncoder = TextEncoder;
  G.TextDecoder = TextDecoder;
  N.builtins.buffer = function (module) {
    module.exports = { Buffer, constants: { MAX_LENGTH: 4294967296 }, kMaxLength: 4294967296 };
  };
  N.builtins.string_decoder = function (module) {
    class StringDecoder {
      constructor(enc) { this.encoding = normEnc(enc); this.pending = Buffer.alloc(0); }
      write(b) {
        if (typeof b === 'string') return b;
        let buf = Buffer.concat([this.pending, b]);
        if (this.encoding !== 'utf8') { this.pending = Buffer.alloc(0); return buf.toString(this.encoding); }
        let cut = buf.length;
        for (let i = Math.max(0, buf.length - 3); i < buf.length; i++) {
          const c = buf[i];
          const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
          if (need > 1 && i + need > buf.length) { cut = i; break; }
        }
        this.pending = buf.subarray(cut);
        return buf.subarray(0, cut).toString('utf8');
      }
      end(b) { let s = b ? this.write(b) : ''; if (this.pending.length) s += this.pending.toString(this.encoding); this.pending = Buffer.alloc(0); return s; }
    }
    module.exports = { StringDecoder };
  };
})(globalThis, globalThis.__node);
"""

PROCESS = r"""
(function (G, N) {
  'use strict';
  const H = N.H;
  const EventEmitter = N.EventEmitter;
  const info = H('processInfo');
  N.version = 'v' + info.version;
  const process = new EventEmitter();
  Object.defineProperty(process, Symbol.toStringTag, { value: 'process', enumerable: false });
  process.title = 'node';
  process.version = N.version;
  process.versions = Object.assign({ node: info.version }, info.versions);
  process.arch = info.arch;
  process.platform = 'linux';
  process.release = { name: 'node', lts: info.lts || undefined, sourceUrl: '', headersUrl: '' };
  process.env = info.env;
  process.argv = info.argv;
  process.argv0 = info.argv0;
  process.execArgv = info.execArgv;
  process.execPath = info.execPath;
  process.pid = info.pid;
  process.ppid = info.ppid;
  process.exitCode = undefined;
  process.features = {};
  process.config = { variables: {} };
  process.cwd = function cwd() { return H('cwd'); };
  process.chdir = function chdir(d) { H('chdir', String(d)); };
  process.umask = function umask(m) { return H('umask', m === undefined ? null : Number(m)); };
  process.getuid = () => info.uid;
  process.geteuid = () => info.uid;
  process.getgid = () => info.gid;
  process.getegid = () => info.gid;
  process.uptime = function uptime() { return (H('monotonic') - N.startMono) / 1000; };
  function hrtime(prev) {
    const ns = BigInt(Math.round(H('monotonic') * 1e6));
    let s = Number(ns / 1000000000n), n = Number(ns % 1000000000n);
    if (prev) { s -= prev[0]; n -= prev[1]; if (n < 0) { s -= 1; n += 1e9; } }
    return [s, n];
  }
  hrtime.bigint = function () { return BigInt(Math.round(H('monotonic') * 1e6)); };
  process.hrtime = hrtime;
  process.memoryUsage = function memoryUsage() { return H('memoryUsage'); };
  process.memoryUsage.rss = () => H('memoryUsage').rss;
  process.cpuUsage = function () { const t = Math.round((H('monotonic') - N.startMono) * 1000); return { user: t, system: 0 }; };
  process.nextTick = N.nextTick;
  process.emitWarning = function (w, type) {
    const name = typeof type === 'string' ? type : (w && w.name) || 'Warning';
    const msg = typeof w === 'string' ? w : w.message;
    N.warn(name + ': ' + msg);
  };
  N.warn = function (text) {
    H('write', 2, '(node:' + info.pid + ') ' + text + '\n(Use `node --trace-warnings ...` to show where the warning was created)\n');
  };
  process.exit = function exit(code) {
    if (code !== undefined) process.exitCode = code;
    if (!N.exiting) {
      N.exiting = true;
      try { process.emit('exit', process.exitCode === undefined ? 0 : process.exitCode | 0); } catch (e) { /* node reports and exits */ }
    }
    H('exit', process.exitCode === undefined ? 0 : process.exitCode | 0);
    throw N.EXIT;
  };
  process.reallyExit = process.exit;
  process.abort = function () { H('exit', 134); throw N.EXIT; };
  process.kill = function kill(pid, sig) { H('kill', Number(pid), sig === undefined ? 'SIGTERM' : sig); return true; };
  const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGTERM', 'SIGPIPE', 'SIGALRM', 'SIGCHLD', 'SIGWINCH', 'SIGCONT', 'SIGTSTP', 'SIGBREAK'];
  process.on('newListener', function (type) {
    if (SIGNALS.includes(type) && process.listenerCount(type) === 0) H('signal', type, true);
  });
  process.on('removeListener', function (type) {
    if (SIGNALS.includes(type) && process.listenerCount(type) === 0) H('signal', type, false);
  });
  N.onSignal = function (name) { process.emit(name, name); };
  N.emitExit = function () {
    if (N.exiting) return;
    N.exiting = true;
    process.emit('exit', process.exitCode === undefined ? 0 : process.exitCode | 0);
  };
  N.emitBeforeExit = function () {
    if (process.listenerCount('beforeExit') === 0) return false;
    process.emit('beforeExit', process.exitCode === undefined ? 0 : process.exitCode | 0);
    return true;
  };
  N.exitCode = function () {
    const c = process.exitCode;
    return c === undefined || c === null ? 0 : Number(c) | 0;
  };

  function makeStream(fd) {
    const s = new EventEmitter();
    s.fd = fd;
    s.writable = true;
    s.isTTY = H('isatty', fd) || undefined;
    s.columns = s.isTTY ? 80 : undefined;
    s.rows = s.isTTY ? 24 : undefined;
    s._writableState = {};
    s.write = function write(chunk, enc, cb) {
      if (typeof enc === 'function') { cb = enc; enc = undefined; }
      if (typeof chunk === 'string') H('write', fd, chunk, N.normEnc(enc));
      else if (chunk instanceof Uint8Array) H('writeBinary', fd, N.toBinary(chunk));
      else {
        const e = new TypeError('The "chunk" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ' + N.describe(chunk));
        e.code = 'ERR_INVALID_ARG_TYPE';
        throw e;
      }
      if (cb) N.nextTick(cb);
      return true;
    };
    s.end = function (chunk, enc, cb) { if (typeof chunk === 'function') { cb = chunk; chunk = undefined; } if (chunk !== undefined) s.write(chunk, enc); if (cb) N.nextTick(cb); return s; };
    s.cork = s.uncork = function () {};
    s.setDefaultEncoding = function () { return s; };
    s.getColorDepth = () => 1;
    s.hasColors = () => false;
    return s;
  }
  process.stdout = makeStream(1);
  process.stderr = makeStream(2);
  const stdin = new EventEmitter();
  stdin.fd = 0;
  stdin.isTTY = H('isatty', 0) || undefined;
  stdin.setEncoding = function (e) { stdin._enc = e; return stdin; };
  stdin.resume = stdin.pause = function () { return stdin; };
  stdin.setRawMode = function () { return stdin; };
  process.stdin = stdin;
  G.process = process;
  N.builtins.process = function (module) { module.exports = process; };

  // -- console
  const counts = new Map();
  const timersLabels = new Map();
  let groupIndent = '';
  function out(fd, args) {
    let text = N.formatWithOptions(undefined, ...args);
    if (groupIndent) text = groupIndent + text.replace(/\n/g, '\n' + groupIndent);
    H('write', fd, text + '\n');
  }
  const console = {
    log(...a) { out(1, a); }, info(...a) { out(1, a); }, debug(...a) { out(1, a); },
    error(...a) { out(2, a); }, warn(...a) { out(2, a); },
    dir(o, opts) { H('write', 1, groupIndent + N.inspect(o, Object.assign({ customInspect: false }, opts)) + '\n'); },
    trace(...a) {
      const e = new Error(N.format(...a));
      e.name = 'Trace';
      const lines = e.stack.split('\n');
      lines.splice(1, 1);
      H('write', 2, lines.join('\n') + '\n');
    },
    assert(ok, ...a) { if (!ok) { a[0] = 'Assertion failed' + (a.length ? ': ' + a[0] : ''); if (a[0] === 'Assertion failed: undefined') a.length = 1, a[0] = 'Assertion failed'; out(2, a); } },
    count(label) { label = label === undefined ? 'default' : String(label); const n = (counts.get(label) || 0) + 1; counts.set(label, n); out(1, [label + ': ' + n]); },
    countReset(label) { counts.delete(label === undefined ? 'default' : String(label)); },
    time(label) { timersLabels.set(label === undefined ? 'default' : String(label), H('monotonic')); },
    timeEnd(label) { label = label === undefined ? 'default' : String(label); const t = timersLabels.get(label); if (t === undefined) return; timersLabels.delete(label); out(1, [label + ': ' + fmtMs(H('monotonic') - t)]); },
    timeLog(label, ...a) { label = label === undefined ? 'default' : String(label); const t = timersLabels.get(label); if (t === undefined) return; out(1, [label + ': ' + fmtMs(H('monotonic') - t), ...a]); },
    group(...a) { if (a.length) out(1, a); groupIndent += '  '; },
    groupEnd() { groupIndent = groupIndent.slice(2); },
    table(d) { out(1, [d]); },
  };
  console.groupCollapsed = console.group;
  function fmtMs(ms) {
    if (ms >= 1000) return (ms / 1000).toFixed(3) + 's';
    return ms.toFixed(3) + 'ms';
  }
  G.console = console;
  N.builtins.console = function (module) { module.exports = console; };
})(globalThis, globalThis.__node);
"""

PATH = r"""
(function (G, N) {
  'use strict';
  function normalizeString(path, allowAboveRoot) {
    let res = '', lastSegmentLength = 0, lastSlash = -1, dots = 0, code;
    for (let i = 0; i <= path.length; ++i) {
      if (i < path.length) code = path.charCodeAt(i);
      else if (code === 47) break;
      else code = 47;
      if (code === 47) {
        if (lastSlash === i - 1 || dots === 1) {
        } else if (dots === 2) {
          if (res.length < 2 || lastSegmentLength !== 2 || res.charCodeAt(res.length - 1) !== 46 || res.charCodeAt(res.length - 2) !== 46) {
            if (res.length > 2) {
              const idx = res.lastIndexOf('/');
              if (idx === -1) { res = ''; lastSegmentLength = 0; }
              else { res = res.slice(0, idx); lastSegmentLength = res.length - 1 - res.lastIndexOf('/'); }
              lastSlash = i; dots = 0; continue;
            } else if (res.length !== 0) {
              res = ''; lastSegmentLength = 0; lastSlash = i; dots = 0; continue;
            }
          }
          if (allowAboveRoot) { res += res.length > 0 ? '/..' : '..'; lastSegmentLength = 2; }
        } else {
          if (res.length > 0) res += '/' + path.slice(lastSlash + 1, i);
          else res = path.slice(lastSlash + 1, i);
          lastSegmentLength = i - lastSlash - 1;
        }
        lastSlash = i; dots = 0;
      } else if (code === 46 && dots !== -1) ++dots;
      else dots = -1;
    }
    return res;
  }
  function check(p, name) {
    if (typeof p !== 'string') {
      const e = new TypeError('The "' + (name || 'path') + '" argument must be of type string. Received ' + N.describe(p));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
  }
  const path = {
    sep: '/', delimiter: ':',
    resolve(...args) {
      let resolved = '', abs = false;
      for (let i = args.length - 1; i >= -1 && !abs; i--) {
        const p = i >= 0 ? args[i] : G.process.cwd();
        check(p, 'paths[' + i + ']');
        if (p.length === 0) continue;
        resolved = p + '/' + resolved;
        abs = p.charCodeAt(0) === 47;
      }
      resolved = normalizeString(resolved, !abs);
      if (abs) return '/' + resolved;
      return resolved.length > 0 ? resolved : '.';
    },
    normalize(p) {
      check(p);
      if (p.length === 0) return '.';
      const abs = p.charCodeAt(0) === 47;
      const trailing = p.charCodeAt(p.length - 1) === 47;
      p = normalizeString(p, !abs);
      if (p.length === 0) { if (abs) return '/'; return trailing ? './' : '.'; }
      if (trailing) p += '/';
      return abs ? '/' + p : p;
    },
    isAbsolute(p) { check(p); return p.length > 0 && p.charCodeAt(0) === 47; },
    join(...args) {
      if (args.length === 0) return '.';
      let joined;
      for (const a of args) { check(a); if (a.length > 0) joined = joined === undefined ? a : joined + '/' + a; }
      return joined === undefined ? '.' : path.normalize(joined);
    },
    relative(from, to) {
      check(from, 'from'); check(to, 'to');
      if (from === to) return '';
      from = path.resolve(from); to = path.resolve(to);
      if (from === to) return '';
      const f = from === '/' ? [] : from.slice(1).split('/');
      const t = to === '/' ? [] : to.slice(1).split('/');
      let i = 0;
      while (i < f.length && i < t.length && f[i] === t[i]) i++;
      return [...Array(f.length - i).fill('..'), ...t.slice(i)].join('/');
    },
    dirname(p) {
      check(p);
      if (p.length === 0) return '.';
      const hasRoot = p.charCodeAt(0) === 47;
      let end = -1, matched = true;
      for (let i = p.length - 1; i >= 1; --i) {
        if (p.charCodeAt(i) === 47) { if (!matched) { end = i; break; } }
        else matched = false;
      }
      if (end === -1) return hasRoot ? '/' : '.';
      if (hasRoot && end === 1) return '//';
      return p.slice(0, end);
    },
    basename(p, ext) {
      check(p);
      let end = p.length;
      while (end > 0 && p.charCodeAt(end - 1) === 47) end--;
      if (end === 0) return '';
      const start = p.lastIndexOf('/', end - 1) + 1;
      let base = p.slice(start, end);
      if (ext !== undefined && base !== ext && base.endsWith(ext)) base = base.slice(0, base.length - ext.length);
      return base;
    },
    extname(p) {
      check(p);
      const base = path.basename(p);
      const dot = base.lastIndexOf('.');
      if (dot <= 0) return '';
      return base.slice(dot);
    },
    parse(p) {
      check(p);
      const root = p.startsWith('/') ? '/' : '';
      const base = path.basename(p);
      const ext = path.extname(p);
      let dir = path.dirname(p);
      if (dir === '.' && !p.includes('/')) dir = '';
      return { root, dir, base, ext, name: ext ? base.slice(0, base.length - ext.length) : base };
    },
    format(o) {
      const dir = o.dir || o.root;
      const base = o.base || ((o.name || '') + (o.ext ? (o.ext[0] === '.' ? '' : '.') + o.ext : ''));
      if (!dir) return base;
      return dir === o.root ? dir + base : dir + '/' + base;
    },
    toNamespacedPath(p) { return p; },
  };
  path.posix = path;
  path.win32 = path;
  N.path = path;
  N.builtins.path = function (module) { module.exports = path; };
})(globalThis, globalThis.__node);
"""

OS = r"""
(function (G, N) {
  'use strict';
  const H = N.H;
  const os = {
    EOL: '\n',
    devNull: '/dev/null',
    hostname() { return H('hostname'); },
    type() { return 'Linux'; },
    platform() { return 'linux'; },
    release() { return H('uname').release; },
    version() { return H('uname').version; },
    machine() { return H('uname').machine; },
    arch() { return G.process.arch; },
    endianness() { return 'LE'; },
    uptime() { return H('sysinfo').uptime; },
    loadavg() { return H('sysinfo').loadavg; },
    totalmem() { return H('sysinfo').totalmem; },
    freemem() { return H('sysinfo').freemem; },
    availableParallelism() { return H('sysinfo').ncpu; },
    cpus() {
      const n = H('sysinfo').ncpu;
      const out = [];
      for (let i = 0; i < n; i++) out.push({ model: 'Simulated CPU', speed: 2400, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } });
      return out;
    },
    networkInterfaces() { return H('interfaces'); },
    tmpdir() {
      const e = G.process.env;
      let p = e.TMPDIR || e.TMP || e.TEMP || '/tmp';
      if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
      return p;
    },
    homedir() { return G.process.env.HOME || H('userInfo').homedir; },
    userInfo() { return H('userInfo'); },
    constants: { signals: { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15 }, errno: {} },
  };
  N.builtins.os = function (module) { module.exports = os; };
})(globalThis, globalThis.__node);
"""

FS = r"""
(function (G, N) {
  'use strict';
  const H = N.H;
  const Buffer = N.Buffer;
  function pathArg(p) {
    if (p instanceof Uint8Array) return p.toString();
    if (p && typeof p === 'object' && p.href !== undefined) return p.pathname;
    if (typeof p !== 'string') {
      const e = new TypeError('The "path" argument must be of type string or an instance of Buffer or URL. Received ' + N.describe(p));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    return p;
  }
  function encOf(opts, dflt) {
    if (typeof opts === 'string') return opts;
    if (opts && typeof opts === 'object' && opts.encoding !== undefined) return opts.encoding;
    return dflt;
  }
  function call(op, syscall, p, ...args) {
    try { return H(op, ...args); } catch (e) {
      if (e.errno !== undefined && e.syscall === undefined) {
        const err = new Error(e.code + ': ' + e.message.split(': ').slice(1).join(': ') + ', ' + syscall + (p !== undefined ? " '" + p + "'" : ''));
        err.errno = e.errno; err.code = e.code; err.syscall = syscall;
        if (p !== undefined) err.path = p;
        throw err;
      }
      throw e;
    }
  }
  class Stats {
    constructor(s) { Object.assign(this, s); this.atime = new Date(s.atimeMs); this.mtime = new Date(s.mtimeMs); this.ctime = new Date(s.ctimeMs); this.birthtime = new Date(s.birthtimeMs); }
    isFile() { return (this.mode & 0o170000) === 0o100000; }
    isDirectory() { return (this.mode & 0o170000) === 0o040000; }
    isSymbolicLink() { return (this.mode & 0o170000) === 0o120000; }
    isFIFO() { return (this.mode & 0o170000) === 0o010000; }
    isSocket() { return (this.mode & 0o170000) === 0o140000; }
    isCharacterDevice() { return (this.mode & 0o170000) === 0o020000; }
    isBlockDevice() { return (this.mode & 0o170000) === 0o060000; }
  }
  class Dirent {
    constructor(name, type, dir) { this.name = name; this.parentPath = dir; this.path = dir; this._t = type; }
    isFile() { return this._t === 'file'; }
    isDirectory() { return this._t === 'dir'; }
    isSymbolicLink() { return this._t === 'link'; }
    isFIFO() { return this._t === 'fifo'; }
    isSocket() { return this._t === 'sock'; }
    isCharacterDevice() { return this._t === 'chr'; }
    isBlockDevice() { return this._t === 'blk'; }
  }
  const fs = {
    constants: { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 64, O_EXCL: 128, O_TRUNC: 512, O_APPEND: 1024, S_IFMT: 0o170000, S_IFREG: 0o100000, S_IFDIR: 0o040000, S_IFLNK: 0o120000 },
    Stats, Dirent,
    readFileSync(p, opts) {
      if (typeof p === 'number') p = '/proc/self/fd/' + p;
      p = pathArg(p);
      const data = N.fromBinary(call('readFile', 'open', p, p));
      const enc = encOf(opts, null);
      return enc ? data.toString(enc) : data;
    },
    writeFileSync(p, data, opts) {
      p = pathArg(p);
      const flag = (opts && typeof opts === 'object' && opts.flag) || 'w';
      call('writeFile', 'open', p, p, toBin(data, encOf(opts, 'utf8')), flag.startsWith('a'), modeOf(opts));
    },
    appendFileSync(p, data, opts) {
      p = pathArg(p);
      call('writeFile', 'open', p, p, toBin(data, encOf(opts, 'utf8')), true, modeOf(opts));
    },
    existsSync(p) {
      try { H('stat', pathArg(p), true); return true; } catch (e) { return false; }
    },
    accessSync(p, mode) { p = pathArg(p); call('access', 'access', p, p, mode === undefined ? 0 : mode); },
    statSync(p, opts) {
      p = pathArg(p);
      try { return new Stats(call('stat', 'stat', p, p, true)); } catch (e) {
        if (opts && opts.throwIfNoEntry === false && e.code === 'ENOENT') return undefined;
        throw e;
      }
    },
    lstatSync(p, opts) {
      p = pathArg(p);
      try { return new Stats(call('stat', 'lstat', p, p, false)); } catch (e) {
        if (opts && opts.throwIfNoEntry === false && e.code === 'ENOENT') return undefined;
        throw e;
      }
    },
    readdirSync(p, opts) {
      p = pathArg(p);
      const entries = call('readdir', 'scandir', p, p);
      if (opts && typeof opts === 'object' && opts.withFileTypes) return entries.map((e) => new Dirent(e[0], e[1], p));
      return entries.map((e) => e[0]);
    },
    mkdirSync(p, opts) {
      p = pathArg(p);
      const recursive = opts && typeof opts === 'object' && opts.recursive;
      const mode = typeof opts === 'number' ? opts : (opts && opts.mode !== undefined ? opts.mode : 0o777);
      if (!recursive) { call('mkdir', 'mkdir', p, p, mode); return undefined; }
      const abs = N.path.resolve(p);
      const parts = abs.split('/').filter(Boolean);
      let cur = '', first;
      for (const part of parts) {
        cur += '/' + part;
        let st = null;
        try { st = H('stat', cur, true); } catch (e) { st = null; }
        if (st === null) { call('mkdir', 'mkdir', p, cur, mode); if (first === undefined) first = cur; }
        else if ((st.mode & 0o170000) !== 0o040000) {
          const err = new Error("EEXIST: file already exists, mkdir '" + p + "'");
          err.errno = -17; err.code = 'EEXIST'; err.syscall = 'mkdir'; err.path = p;
          throw err;
        }
      }
      return first;
    },
    rmdirSync(p) { p = pathArg(p); call('rmdir', 'rmdir', p, p); },
    rmSync(p, opts) {
      p = pathArg(p);
      let st;
      try { st = call('stat', 'lstat', p, p, false); } catch (e) { if (opts && opts.force && e.code === 'ENOENT') return; throw e; }
      if ((st.mode & 0o170000) === 0o040000) {
        if (!(opts && opts.recursive)) {
          const err = new Error('Path is a directory: rm returned EISDIR (is a directory) ' + p);
          err.code = 'ERR_FS_EISDIR';
          throw err;
        }
        for (const name of fs.readdirSync(p)) fs.rmSync(p + '/' + name, opts);
        call('rmdir', 'rmdir', p, p);
      } else call('unlink', 'unlink', p, p);
    },
    unlinkSync(p) { p = pathArg(p); call('unlink', 'unlink', p, p); },
    renameSync(a, b) { a = pathArg(a); b = pathArg(b); try { H('rename', a, b); } catch (e) { throw N.sysErr([e.code, -e.errno, e.message.split(': ').slice(1).join(': ')], 'rename', a, b); } },
    copyFileSync(a, b) { fs.writeFileSync(b, fs.readFileSync(a)); },
    symlinkSync(target, p) { p = pathArg(p); call('symlink', 'symlink', p, target, p); },
    readlinkSync(p) { p = pathArg(p); return call('readlink', 'readlink', p, p); },
    realpathSync(p) { p = pathArg(p); return call('realpath', 'realpath', p, p); },
    chmodSync(p, mode) { p = pathArg(p); call('chmod', 'chmod', p, p, typeof mode === 'string' ? parseInt(mode, 8) : mode); },
    chownSync(p, uid, gid) { p = pathArg(p); call('chown', 'chown', p, p, uid, gid); },
    utimesSync(p, atime, mtime) { p = pathArg(p); call('utime', 'utime', p, p, typeof mtime === 'object' ? mtime.getTime() / 1000 : Number(mtime)); },
    mkdtempSync(prefix) {
      const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
      for (;;) {
        let s = '';
        for (let i = 0; i < 6; i++) s += chars[Math.floor(Math.random() * chars.length)];
        const p = prefix + s;
        if (!fs.existsSync(p)) { fs.mkdirSync(p, 0o700); return p; }
      }
    },
    openSync(p, flags, mode) { p = pathArg(p); return call('open', 'open', p, p, flags === undefined ? 'r' : flags, mode === undefined ? 0o666 : mode); },
    closeSync(fd) { call('close', 'close', undefined, fd); },
    writeSync(fd, data, a, b) {
      const bin = typeof data === 'string' ? H('encode', data, N.normEnc(typeof b === 'string' ? b : 'utf8')) : N.toBinary(data.subarray(a || 0, b === undefined ? data.length : (a || 0) + b));
      return call('fdWrite', 'write', undefined, fd, bin);
    },
    readSync(fd, buf, off, len, pos) {
      if (off && typeof off === 'object') { len = off.length; pos = off.position; off = off.offset; }
      off = off || 0; len = len === undefined ? buf.length - off : len;
      const s = call('fdRead', 'read', undefined, fd, len, pos === undefined || pos === null ? -1 : pos);
      for (let i = 0; i < s.length; i++) buf[off + i] = s.charCodeAt(i);
      return s.length;
    },
    fstatSync(fd) { return new Stats(call('fstat', 'fstat', undefined, fd)); },
    watch() { const e = new N.EventEmitter(); e.close = () => {}; return e; },
    watchFile() {}, unwatchFile() {},
    createWriteStream(p, opts) {
      const s = new N.EventEmitter();
      const flags = (opts && opts.flags) || 'w';
      p = pathArg(p);
      if (!flags.startsWith('a')) fs.writeFileSync(p, '');
      s.path = p; s.bytesWritten = 0;
      s.write = function (chunk, enc, cb) { if (typeof enc === 'function') { cb = enc; enc = undefined; } fs.appendFileSync(p, chunk, enc); s.bytesWritten += Buffer.byteLength(chunk); if (cb) N.nextTick(cb); return true; };
      s.end = function (chunk, enc, cb) { if (typeof chunk === 'function') { cb = chunk; chunk = undefined; } if (chunk !== undefined) s.write(chunk, enc); N.nextTick(() => { s.emit('finish'); s.emit('close'); if (cb) cb(); }); return s; };
      s.close = (cb) => { if (cb) N.nextTick(cb); };
      N.nextTick(() => s.emit('open'));
      return s;
    },
    createReadStream(p, opts) {
      const s = new N.EventEmitter();
      p = pathArg(p);
      s.path = p;
      s.pipe = function (dest) { s.on('data', (c) => dest.write(c)); s.on('end', () => { if (dest !== G.process.stdout && dest !== G.process.stderr) dest.end(); }); return dest; };
      s.setEncoding = function (e) { s._enc = e; return s; };
      G.setImmediate(() => {
        let data;
        try { data = fs.readFileSync(p); } catch (e) { s.emit('error', e); return; }
        s.emit('open');
        const enc = encOf(opts, s._enc);
        if (data.length) s.emit('data', enc ? data.toString(enc) : data);
        s.emit('end');
        s.emit('close');
      });
      return s;
    },
  };
  function toBin(data, enc) {
    if (typeof data === 'string') return H('encode', data, N.normEnc(enc));
    if (data instanceof Uint8Array) return N.toBinary(data);
    if (ArrayBuffer.isView(data)) return N.toBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return H('encode', String(data), 'utf8');
  }
  function modeOf(opts) { return opts && typeof opts === 'object' && opts.mode !== undefined ? opts.mode : 0o666; }
  // The callback and promise forms run the synchronous call (all of the
  // filesystem is in memory) and report on the next tick.
  const promises = {};
  for (const name of Object.keys(fs)) {
    if (!name.endsWith('Sync')) continue;
    const base = name.slice(0, -4);
    const sync = fs[name];
    if (base === 'exists') {
      fs.exists = function exists(p, cb) { const r = sync(p); N.queueIO(cb, r); };
      continue;
    }
    fs[base] = function (...args) {
      const cb = args.pop();
      if (typeof cb !== 'function') {
        const e = new TypeError('The "cb" argument must be of type function. Received ' + N.describe(cb));
        e.code = 'ERR_INVALID_ARG_TYPE';
        throw e;
      }
      let r;
      try { r = sync(...args); } catch (e) { N.queueIO(cb, e); return; }
      N.queueIO(cb, null, r);
    };
    Object.defineProperty(fs[base], 'name', { value: base });
    promises[base] = function (...args) {
      return new Promise((resolve, reject) => {
        N.queueIO(() => { try { resolve(sync(...args)); } catch (e) { reject(e); } });
      });
    };
  }
  fs.promises = promises;
  N.fs = fs;
  N.builtins.fs = function (module) { module.exports = fs; };
  N.builtins['fs/promises'] = function (module) { module.exports = promises; };
})(globalThis, globalThis.__node);
"""

MODULES = r"""
(function (G, N) {
  'use strict';
  const H = N.H;
  const path = N.path;
  const fs = N.fs;
  const cache = Object.create(null);
  const builtinCache = Object.create(null);
  const BUILTIN_NAMES = Object.keys(N.builtins);
  function loadBuiltin(name) {
    if (builtinCache[name]) return builtinCache[name].exports;
    const m = { exports: {} };
    builtinCache[name] = m;
    N.builtins[name](m, m.exports, makeRequire(null));
    return m.exports;
  }
  N.loadBuiltin = loadBuiltin;
  class Module {
    constructor(id, parent) {
      this.id = id; this.path = path.dirname(id); this.exports = {}; this.filename = null;
      this.loaded = false; this.children = []; this.paths = [];
      this.parent = parent;
      if (parent) parent.children.push(this);
    }
    require(id) { return makeRequire(this)(id); }
  }
  Module.builtinModules = BUILTIN_NAMES.slice();
  Module._cache = cache;
  Module.wrapper = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];
  function isFile(p) { try { const s = H('stat', p, true); return (s.mode & 0o170000) !== 0o040000; } catch (e) { return false; } }
  function isDir(p) { try { const s = H('stat', p, true); return (s.mode & 0o170000) === 0o040000; } catch (e) { return false; } }
  const EXTS = ['.js', '.json', '.node', '.cjs'];
  function tryFile(p) {
    if (isFile(p)) return p;
    for (const e of EXTS) if (isFile(p + e)) return p + e;
    return null;
  }
  function tryDir(p) {
    const pj = p + '/package.json';
    if (isFile(pj)) {
      let main;
      try { main = JSON.parse(fs.readFileSync(pj, 'utf8')).main; } catch (e) { main = undefined; }
      if (main) {
        const r = tryFile(path.resolve(p, main)) || tryIndex(path.resolve(p, main));
        if (r) return r;
      }
    }
    return tryIndex(p);
  }
  function tryIndex(p) {
    for (const e of EXTS) if (isFile(p + '/index' + e)) return p + '/index' + e;
    return null;
  }
  function nodeModulePaths(from) {
    const out = [];
    let dir = path.resolve(from);
    for (;;) {
      if (path.basename(dir) !== 'node_modules') out.push((dir === '/' ? '' : dir) + '/node_modules');
      if (dir === '/') break;
      dir = path.dirname(dir);
    }
    return out;
  }
  function resolveFilename(request, parent) {
    if (request.startsWith('node:')) {
      const name = request.slice(5);
      if (N.builtins[name]) return request;
      const e = new Error('No such built-in module: ' + request);
      e.code = 'ERR_UNKNOWN_BUILTIN_MODULE';
      throw e;
    }
    if (N.builtins[request]) return request;
    const base = parent && parent.filename ? path.dirname(parent.filename) : G.process.cwd();
    let found = null;
    if (request.startsWith('./') || request.startsWith('../') || request.startsWith('/') || request === '.' || request === '..') {
      const p = path.resolve(base, request);
      found = tryFile(p) || tryDir(p);
    } else {
      for (const dir of nodeModulePaths(base)) {
        const p = dir + '/' + request;
        found = tryFile(p) || tryDir(p);
        if (found) break;
      }
    }
    if (found) {
      try { return H('realpath', found); } catch (e) { return found; }
    }
    const stack = [];
    for (let m = parent; m; m = m.parent) if (m.filename) stack.push(m.filename);
    const err = new Error("Cannot find module '" + request + "'" + (stack.length ? '\nRequire stack:\n- ' + stack.join('\n- ') : ''));
    err.code = 'MODULE_NOT_FOUND';
    err.requireStack = stack;
    throw err;
  }
  function loadModule(request, parent, isMain) {
    const filename = resolveFilename(request, parent);
    if (!filename.startsWith('/')) return loadBuiltin(filename.replace(/^node:/, ''));
    if (cache[filename]) return cache[filename].exports;
    const module = new Module(filename, parent);
    module.filename = filename;
    module.paths = nodeModulePaths(path.dirname(filename));
    if (isMain) { N.mainModule = module; module.id = '.'; }
    cache[filename] = module;
    let ok = false;
    try {
      if (filename.endsWith('.json')) {
        const text = fs.readFileSync(filename, 'utf8');
        try { module.exports = JSON.parse(stripBOM(text)); } catch (e) { e.message = filename + ': ' + e.message; throw e; }
      } else {
        compile(module, fs.readFileSync(filename, 'utf8'), filename);
      }
      ok = true;
    } finally {
      if (!ok) delete cache[filename];
    }
    module.loaded = true;
    return module.exports;
  }
  function stripBOM(s) { return s.charCodeAt(0) === 0xFEFF ? s.slice(1) : s; }
  function compile(module, text, filename) {
    text = stripBOM(text);
    if (text.startsWith('#!')) text = '//' + text.slice(2);
    const fn = N.evalSource(text, filename, N.WRAPPER + '\n', '\n})');
    const require = makeRequire(module);
    return fn.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
  }
  N.compileModule = compile;
  N.Module = Module;
  function makeRequire(module) {
    function require(id) {
      if (typeof id !== 'string') {
        const e = new TypeError('The "id" argument must be of type string. Received ' + N.describe(id));
        e.code = 'ERR_INVALID_ARG_TYPE';
        throw e;
      }
      if (id === '') {
        const e = new TypeError("The argument 'id' must be a non-empty string. Received ''");
        e.code = 'ERR_INVALID_ARG_VALUE';
        throw e;
      }
      return loadModule(id, module, false);
    }
    require.resolve = (id) => resolveFilename(id, module);
    require.cache = cache;
    require.main = N.mainModule;
    Object.defineProperty(require, 'main', { get: () => N.mainModule, enumerable: true });
    return require;
  }
  N.makeRequire = makeRequire;
  N.runMain = function (file) {
    try { loadModule(path.resolve(file), null, true); } catch (e) { N.uncaught(e); }
  };
  N.builtins.module = function (module) {
    Module.createRequire = (f) => { const m = new Module(f, null); m.filename = f; return makeRequire(m); };
    Module.isBuiltin = (n) => !!N.builtins[n.replace(/^node:/, '')];
    module.exports = Module;
  };
  BUILTIN_NAMES.push('module');
  Module.builtinModules = BUILTIN_NAMES.slice().sort();
})(globalThis, globalThis.__node);
"""

URL = r"""
(function (G, N) {
  'use strict';
  const DEFAULT_PORTS = { 'http:': '80', 'https:': '443', 'ftp:': '21', 'ws:': '80', 'wss:': '443' };
  class URLSearchParams {
    constructor(init) {
      this._list = [];
      if (typeof init === 'string') this._parse(init);
      else if (init && typeof init === 'object') {
        for (const [k, v] of (Symbol.iterator in init ? init : Object.entries(init))) this._list.push([String(k), String(v)]);
      }
    }
    _parse(s) {
      this._list = [];
      if (s.startsWith('?')) s = s.slice(1);
      for (const part of s.split('&')) {
        if (!part) continue;
        const i = part.indexOf('=');
        const dec = (x) => { try { return decodeURIComponent(x.replace(/\+/g, ' ')); } catch (e) { return x; } };
        this._list.push(i < 0 ? [dec(part), ''] : [dec(part.slice(0, i)), dec(part.slice(i + 1))]);
      }
    }
    get(k) { const e = this._list.find((x) => x[0] === k); return e ? e[1] : null; }
    getAll(k) { return this._list.filter((x) => x[0] === k).map((x) => x[1]); }
    has(k) { return this._list.some((x) => x[0] === k); }
    set(k, v) { const i = this._list.findIndex((x) => x[0] === k); if (i < 0) this._list.push([k, String(v)]); else { this._list[i][1] = String(v); this._list = this._list.filter((x, j) => x[0] !== k || j === i); } this._update(); }
    append(k, v) { this._list.push([k, String(v)]); this._update(); }
    delete(k) { this._list = this._list.filter((x) => x[0] !== k); this._update(); }
    forEach(fn) { for (const [k, v] of this._list) fn(v, k, this); }
    keys() { return this._list.map((x) => x[0])[Symbol.iterator](); }
    values() { return this._list.map((x) => x[1])[Symbol.iterator](); }
    entries() { return this._list.map((x) => [x[0], x[1]])[Symbol.iterator](); }
    [Symbol.iterator]() { return this.entries(); }
    get size() { return this._list.length; }
    toString() {
      const enc = (x) => encodeURIComponent(x).replace(/%20/g, '+');
      return this._list.map(([k, v]) => enc(k) + '=' + enc(v)).join('&');
    }
    _update() { if (this._url) { const s = this.toString(); this._url._search = s ? '?' + s : ''; } }
  }
  class URL {
    constructor(input, base) {
      input = String(input).trim();
      let m = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(.*)$/.exec(input);
      if (!m) {
        if (base === undefined) { const e = new TypeError('Invalid URL'); e.code = 'ERR_INVALID_URL'; e.input = input; throw e; }
        const b = new URL(base);
        if (input.startsWith('//')) return new URL(b.protocol + input);
        let path = input, rest = '';
        const q = path.search(/[?#]/);
        if (q >= 0) { rest = path.slice(q); path = path.slice(0, q); }
        if (!path) path = b.pathname + (rest.startsWith('#') ? b.search : '');
        else if (!path.startsWith('/')) path = b.pathname.replace(/[^/]*$/, '') + path;
        return new URL(b.protocol + '//' + b.host + N.path.normalize(path).replace(/^\/*/, '/') + rest);
      }
      this._protocol = m[1].toLowerCase();
      let rest = m[2];
      this._hash = ''; this._search = '';
      const h = rest.indexOf('#');
      if (h >= 0) { this._hash = rest.slice(h); rest = rest.slice(0, h); if (this._hash === '#') this._hash = ''; }
      const q = rest.indexOf('?');
      if (q >= 0) { this._search = rest.slice(q); rest = rest.slice(0, q); if (this._search === '?') this._search = ''; }
      this._username = ''; this._password = ''; this._hostname = ''; this._port = '';
      if (rest.startsWith('//')) {
        rest = rest.slice(2);
        const slash = rest.indexOf('/');
        let auth = slash < 0 ? rest : rest.slice(0, slash);
        rest = slash < 0 ? '' : rest.slice(slash);
        const at = auth.lastIndexOf('@');
        if (at >= 0) {
          const cred = auth.slice(0, at); auth = auth.slice(at + 1);
          const c = cred.indexOf(':');
          this._username = c < 0 ? cred : cred.slice(0, c);
          this._password = c < 0 ? '' : cred.slice(c + 1);
        }
        const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(auth);
        if (!pm) { const e = new TypeError('Invalid URL'); e.code = 'ERR_INVALID_URL'; e.input = input; throw e; }
        this._hostname = pm[1].toLowerCase();
        this._port = pm[2] || '';
        if (DEFAULT_PORTS[this._protocol] === this._port) this._port = '';
        this._pathname = N.path.normalize(rest || '/');
        if (rest.endsWith('/') && !this._pathname.endsWith('/')) this._pathname += '/';
        this._special = true;
      } else {
        this._pathname = rest;
      }
      this.searchParams = new URLSearchParams(this._search);
      this.searchParams._url = this;
    }
    get protocol() { return this._protocol; }
    get username() { return this._username; }
    get password() { return this._password; }
    get hostname() { return this._hostname; }
    get port() { return this._port; }
    get host() { return this._hostname + (this._port ? ':' + this._port : ''); }
    get origin() { return this._special ? this._protocol + '//' + this.host : 'null'; }
    get pathname() { return this._pathname; }
    get search() { return this._search; }
    set search(v) { v = String(v); this._search = v ? (v.startsWith('?') ? v : '?' + v) : ''; this.searchParams._parse(this._search); }
    get hash() { return this._hash; }
    get href() {
      const auth = this._username ? this._username + (this._password ? ':' + this._password : '') + '@' : '';
      return this._protocol + (this._special ? '//' + auth + this.host : '') + this._pathname + this._search + this._hash;
    }
    toString() { return this.href; }
    toJSON() { return this.href; }
    static canParse(u, b) { try { new URL(u, b); return true; } catch (e) { return false; } }
  }
  G.URL = URL;
  G.URLSearchParams = URLSearchParams;
  N.builtins.url = function (module) {
    function parse(s, parseQuery) {
      let u;
      try { u = new URL(s, 'http://x'); } catch (e) { u = null; }
      const abs = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s);
      const out = {
        protocol: abs ? u.protocol : null, slashes: abs ? true : null, auth: abs && u.username ? u.username + (u.password ? ':' + u.password : '') : null,
        host: abs ? u.host : null, port: abs ? (u.port || null) : null, hostname: abs ? u.hostname : null,
        hash: u && u.hash ? u.hash : null, search: u && u.search ? u.search : null,
        query: u && u.search ? u.search.slice(1) : null, pathname: u ? u.pathname : s, path: null, href: s,
      };
      if (parseQuery) out.query = Object.fromEntries(u ? u.searchParams : []);
      if (!abs && s.startsWith('?')) out.pathname = null;
      out.path = (out.pathname || '') + (out.search || '');
      if (out.path === '') out.path = null;
      return out;
    }
    function format(u) { return typeof u === 'string' ? u : u.href || ((u.protocol ? u.protocol + '//' : '') + (u.host || u.hostname || '') + (u.pathname || '') + (u.search || '')); }
    module.exports = { URL, URLSearchParams, parse, format, resolve: (from, to) => new URL(to, new URL(from, 'resolve://')).href.replace(/^resolve:\/\//, ''),
      fileURLToPath: (u) => decodeURIComponent(new URL(String(u)).pathname), pathToFileURL: (p) => new URL('file://' + N.path.resolve(p)) };
  };
  N.builtins.querystring = function (module) {
    module.exports = {
      parse: (s) => { const o = {}; for (const [k, v] of new URLSearchParams(s)) { if (k in o) o[k] = [].concat(o[k], v); else o[k] = v; } return o; },
      stringify: (o) => Object.entries(o).map(([k, v]) => [].concat(v).map((x) => encodeURIComponent(k) + '=' + encodeURIComponent(x)).join('&')).join('&'),
      escape: encodeURIComponent, unescape: decodeURIComponent,
    };
  };
})(globalThis, globalThis.__node);
"""

EXTRAS = r"""
(function (G, N) {
  'use strict';
  const H = N.H;
  const Buffer = N.Buffer;
  N.builtins.timers = function (module) {
    module.exports = { setTimeout: G.setTimeout, setInterval: G.setInterval, setImmediate: G.setImmediate,
      clearTimeout: G.clearTimeout, clearInterval: G.clearInterval, clearImmediate: G.clearImmediate };
  };
  N.builtins['timers/promises'] = function (module) {
    module.exports = {
      setTimeout: (ms, value) => new Promise((resolve) => G.setTimeout(resolve, ms, value)),
      setImmediate: (value) => new Promise((resolve) => G.setImmediate(resolve, value)),
    };
  };
  N.builtins['util/types'] = function (module) { module.exports = N.loadBuiltin('util').types; };

  // -- crypto: hashes and HMACs by the host's hashlib; randomness from the
  // kernel's seeded source (deterministic like Math.random)
  function randomBytes(n, cb) {
    const b = N.fromBinary(H('randomBytes', n));
    if (cb) { N.queueIO(cb, null, b); return undefined; }
    return b;
  }
  class Hash {
    constructor(kind, alg, key) { this._kind = kind; this._alg = String(alg).toLowerCase(); this._key = key; this._parts = []; H('hashCheck', this._alg); }
    update(data, enc) { this._parts.push(typeof data === 'string' ? H('encode', data, N.normEnc(enc)) : N.toBinary(data)); return this; }
    digest(enc) {
      const bin = H('digest', this._alg, this._parts.join(''), this._kind === 'hmac' ? this._key : null);
      const b = N.fromBinary(bin);
      return enc ? b.toString(enc) : b;
    }
    copy() { const h = new Hash(this._kind, this._alg, this._key); h._parts = this._parts.slice(); return h; }
  }
  function keyBin(k) { return typeof k === 'string' ? H('encode', k, 'utf8') : N.toBinary(k); }
  N.builtins.crypto = function (module) {
    module.exports = {
      randomBytes,
      randomUUID() {
        const b = randomBytes(16);
        b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
        const h = b.toString('hex');
        return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
      },
      randomInt(min, max) { if (max === undefined) { max = min; min = 0; } return min + Math.floor(Math.random() * (max - min)); },
      createHash: (alg) => new Hash('hash', alg),
      createHmac: (alg, key) => new Hash('hmac', alg, keyBin(key)),
      getHashes: () => ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'],
      timingSafeEqual: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
      webcrypto: {},
    };
  };
  G.crypto = { randomUUID: () => N.loadBuiltin('crypto').randomUUID(),
    getRandomValues: (arr) => { const b = randomBytes(arr.byteLength); new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength).set(b); return arr; } };

  // -- assert
  function deepEqual(a, b, strict) {
    if (strict ? Object.is(a, b) : (a == b || (a !== a && b !== b))) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (a instanceof Map && b instanceof Map) {
      if (a.size !== b.size) return false;
      for (const [k, v] of a) if (!b.has(k) || !deepEqual(v, b.get(k), strict)) return false;
      return true;
    }
    if (a instanceof Set && b instanceof Set) {
      if (a.size !== b.size) return false;
      for (const v of a) if (!b.has(v)) return false;
      return true;
    }
    const ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k], strict)) return false;
    return true;
  }
  N.deepEqual = deepEqual;
  class AssertionError extends Error {
    constructor(o) {
      super(o.message);
      const stack = this.stack;
      this.stack = 'AssertionError [ERR_ASSERTION]: ' + o.message + stack.slice(stack.indexOf('\n    at'));
      this.generatedMessage = !o.userMessage;
      this.code = 'ERR_ASSERTION';
      this.actual = o.actual; this.expected = o.expected; this.operator = o.operator;
    }
  }
  Object.defineProperty(AssertionError.prototype, 'name', { value: 'AssertionError', writable: true, configurable: true });
  function fail(actual, expected, message, operator, dflt) {
    if (message instanceof Error) throw message;
    throw new AssertionError({ message: message !== undefined ? message : dflt(), userMessage: message !== undefined, actual, expected, operator });
  }
  const ins = (v) => N.inspect(v);
  function ok(value, message) {
    if (!value) fail(value, true, message, '==', () => arguments.length === 0 ? 'No value argument passed to `assert.ok()`' : 'The expression evaluated to a falsy value:\n\n  assert(' + ins(value) + ')\n');
  }
  function assert(value, message) { if (!value) fail(value, true, message, '==', () => 'The expression evaluated to a falsy value:\n\n  assert(' + ins(value) + ')\n'); }
  assert.ok = ok;
  assert.AssertionError = AssertionError;
  assert.fail = (message) => fail(undefined, undefined, message === undefined ? 'Failed' : message, 'fail', () => 'Failed');
  assert.equal = (a, b, m) => { if (!(a == b || (a !== a && b !== b))) fail(a, b, m, '==', () => ins(a) + ' == ' + ins(b)); };
  assert.notEqual = (a, b, m) => { if (a == b) fail(a, b, m, '!=', () => ins(a) + ' != ' + ins(b)); };
  assert.strictEqual = (a, b, m) => { if (!Object.is(a, b)) fail(a, b, m, 'strictEqual', () => 'Expected values to be strictly equal:\n\n' + ins(a) + ' !== ' + ins(b) + '\n'); };
  assert.notStrictEqual = (a, b, m) => { if (Object.is(a, b)) fail(a, b, m, 'notStrictEqual', () => 'Expected "actual" to be strictly unequal to: ' + ins(b)); };
  assert.deepEqual = (a, b, m) => { if (!deepEqual(a, b, false)) fail(a, b, m, 'deepEqual', () => 'Expected values to be loosely deep-equal:\n\n' + ins(a) + '\n\nshould loosely deep-equal\n\n' + ins(b)); };
  assert.deepStrictEqual = (a, b, m) => { if (!deepEqual(a, b, true)) fail(a, b, m, 'deepStrictEqual', () => 'Expected values to be strictly deep-equal:\n' + ins(a) + '\n\nshould equal\n\n' + ins(b)); };
  assert.notDeepStrictEqual = (a, b, m) => { if (deepEqual(a, b, true)) fail(a, b, m, 'notDeepStrictEqual', () => 'Expected "actual" not to be strictly deep-equal to: ' + ins(b)); };
  assert.throws = (fn, expected, m) => {
    try { fn(); } catch (e) {
      if (typeof expected === 'function' && expected.prototype !== undefined && !(e instanceof expected)) throw e;
      if (expected instanceof RegExp && !expected.test(String(e))) throw e;
      return;
    }
    fail(undefined, expected, typeof expected === 'string' ? expected : m, 'throws', () => 'Missing expected exception.');
  };
  assert.doesNotThrow = (fn) => { fn(); };
  assert.rejects = async (p, expected) => { try { await (typeof p === 'function' ? p() : p); } catch (e) { return; } fail(undefined, expected, undefined, 'rejects', () => 'Missing expected rejection.'); };
  assert.match = (s, re, m) => { if (!re.test(s)) fail(s, re, m, 'match', () => 'The input did not match the regular expression ' + re + '. Input:\n\n' + ins(s) + '\n'); };
  assert.strict = assert;
  N.builtins.assert = function (module) { module.exports = assert; };
  N.builtins['assert/strict'] = function (module) { module.exports = assert; };
})(globalThis, globalThis.__node);
"""
