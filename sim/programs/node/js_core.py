"""node's bootstrap, in JavaScript: the host bridge, the kernel's clock and
random source in place of the engine's, timers, the module loader,
``process``, ``console`` and the uncaught-exception report.

Kept as a string (sim does no host I/O, so no package data files).  The
runtime evaluates it once per process, before any user code; see
`sim.programs.node.runtime`.  Names starting with ``__`` are the bridge
to the Python side.
"""

CORE = r"""
'use strict';
(function (G) {
  const hostCall = G.__host;
  delete G.__host;
  const N = { builtins: {} };        // the runtime's private namespace
  Object.defineProperty(G, '__node', { value: N, enumerable: false });

  // -- the host bridge: every call answers JSON {v: value} or {e: [code, errno, message]}
  function sysErr(e, syscall, path, dest) {
    const code = e[0], errno = e[1], msg = e[2];
    let text = code + ': ' + msg + (syscall ? ', ' + syscall : '');
    if (path !== undefined) text += " '" + path + "'";
    if (dest !== undefined) text += " -> '" + dest + "'";
    const err = new Error(text);
    err.errno = -errno; err.code = code;
    if (syscall) err.syscall = syscall;
    if (path !== undefined) err.path = path;
    if (dest !== undefined) err.dest = dest;
    return err;
  }
  function H(op, ...args) {
    // Arguments cross as one JSON text: the binding cuts strings at NUL
    // (binary data) and cannot convert some of the engine's rope strings.
    const r = JSON.parse(hostCall(op, JSON.stringify(args)));
    if (r.e) {
      if (r.e[0] === 'ERR_INTERNAL') throw new Error(r.e[2]);
      throw sysErr(r.e, r.s, r.p, r.d);
    }
    return r.v;
  }
  N.H = H;
  N.sysErr = sysErr;

  // -- time and randomness come from the kernel
  const RealDate = Date;
  const nowMs = () => H('now');
  N.nowMs = nowMs;
  function SimDate(...a) {
    if (!new.target) return new RealDate(nowMs()).toString();
    if (a.length === 0) return Reflect.construct(RealDate, [nowMs()], new.target);
    return Reflect.construct(RealDate, a, new.target);
  }
  SimDate.prototype = RealDate.prototype;
  Object.setPrototypeOf(SimDate, RealDate);
  SimDate.now = nowMs;
  SimDate.parse = RealDate.parse;
  SimDate.UTC = RealDate.UTC;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: SimDate, writable: true, configurable: true });
  // A container without TZ runs in UTC: local time is UTC whatever the host's zone.
  const P = RealDate.prototype;
  for (const m of ['FullYear', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds']) {
    P['get' + m] = P['getUTC' + m];
    if (m !== 'Day') P['set' + m] = P['setUTC' + m];
  }
  P.getYear = function () { return this.getUTCFullYear() - 1900; };
  P.getTimezoneOffset = function () { return 0; };
  const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n) => String(n).padStart(2, '0');
  P.toDateString = function () {
    if (isNaN(this.getTime())) return 'Invalid Date';
    return DAYS[this.getUTCDay()] + ' ' + MONTHS[this.getUTCMonth()] + ' ' + p2(this.getUTCDate()) + ' ' +
      String(this.getUTCFullYear()).padStart(4, '0');
  };
  P.toTimeString = function () {
    if (isNaN(this.getTime())) return 'Invalid Date';
    return p2(this.getUTCHours()) + ':' + p2(this.getUTCMinutes()) + ':' + p2(this.getUTCSeconds()) +
      ' GMT+0000 (Coordinated Universal Time)';
  };
  P.toString = function () {
    if (isNaN(this.getTime())) return 'Invalid Date';
    return this.toDateString() + ' ' + this.toTimeString();
  };
  P.toLocaleString = function () {
    if (isNaN(this.getTime())) return 'Invalid Date';
    const h = this.getUTCHours();
    return (this.getUTCMonth() + 1) + '/' + this.getUTCDate() + '/' + this.getUTCFullYear() + ', ' +
      ((h % 12) || 12) + ':' + p2(this.getUTCMinutes()) + ':' + p2(this.getUTCSeconds()) + (h < 12 ? ' AM' : ' PM');
  };
  P.toLocaleDateString = function () {
    return (this.getUTCMonth() + 1) + '/' + this.getUTCDate() + '/' + this.getUTCFullYear();
  };
  P.toLocaleTimeString = function () { return this.toLocaleString().split(', ')[1]; };
  G.Date = SimDate;
  Math.random = function () { return H('random'); };
  const perf = {
    timeOrigin: 0,
    now() { return H('monotonic') - N.startMono; },
    mark() {}, measure() {},
  };
  N.startMono = H('monotonic');
  perf.timeOrigin = nowMs();
  Object.defineProperty(G, 'performance', { value: perf, writable: true, configurable: true, enumerable: true });

  // -- source registry: every evaluated chunk starts at its own line so a
  // stack frame's line (the engine names every chunk <input>) tells its file.
  const sources = [];          // {start, end, file, text}
  N.sources = sources;
  let nextLine = 1000000;
  N.evalSource = function (text, file, header, footer) {
    header = header || ''; footer = footer || '';
    const lines = text.split('\n').length;
    const start = nextLine;          // the engine's line of the text's first line
    nextLine += lines + 10;
    sources.push({ start: start, end: start + lines, file: file, text: text });
    const headerLines = header.split('\n').length - 1;
    return (0, eval)('\n'.repeat(start - 1 - headerLines) + header + text + footer);
  };
  N.registerBuiltin = function (start, text, file) {
    sources.push({ start: start, end: start + text.split('\n').length, file: file, text: text });
  };
  function locate(line) {
    for (let i = sources.length - 1; i >= 0; i--) {
      const s = sources[i];
      if (line >= s.start && line < s.end) return s;
    }
    return null;
  }
  N.locate = locate;
  const WRAPPER = '__node_module__';
  N.WRAPPER = '(function ' + WRAPPER + '(exports, require, module, __filename, __dirname) {';
  function frameText(c) {
    let name = c.getFunctionName();
    const native = c.isNative();
    let where;
    if (native) where = 'native';
    else {
      const line = c.getLineNumber(), col = c.getColumnNumber();
      const s = locate(line);
      if (s) where = s.file + ':' + (line - s.start + 1) + ':' + col;
      else where = (c.getFileName() || '<anonymous>') + ':' + line + ':' + col;
      if (s && s.file === '[eval]' && (name === '<eval>' || name === WRAPPER)) return where;
    }
    if (name === WRAPPER) name = 'Object.<anonymous>';
    if (!name || name === '<eval>' || name === '<anonymous>') return where;
    return name + ' (' + where + ')';
  }
  Error.stackTraceLimit = 10;
  // QuickJS's words for the common engine errors, in V8's.
  const V8_WORDS = [
    [/^cannot read property '(.*)' of (null|undefined)$/, "Cannot read properties of $2 (reading '$1')"],
    [/^cannot set property '(.*)' of (null|undefined)$/, "Cannot set properties of $2 (setting '$1')"],
    [/^'(.*)' is read-only$/, 'Assignment to constant variable.'],
    [/^invalid array length$/, 'Invalid array length'],
    [/^cannot convert symbol to string$/, 'Cannot convert a Symbol value to a string'],
    [/^cannot convert BigInt to number$/, 'Cannot mix BigInt and other types, use explicit conversions'],
    [/^(.*) is not a constructor$/, '$1 is not a constructor'],
  ];
  function v8Words(err, calls) {
    if (!(err instanceof Error) || typeof err.message !== 'string') return;
    const own = Object.getOwnPropertyDescriptor(err, 'message');
    if (!own || !own.writable) return;
    let msg = err.message;
    for (const [re, to] of V8_WORDS) if (re.test(msg)) { msg = msg.replace(re, to); break; }
    if (msg === 'not a function' && calls.length) {
      // V8 names the callee: read it from the source at the call.
      try {
        const c = calls[0], s = locate(c.getLineNumber());
        if (s) {
          const text = s.text.split('\n')[c.getLineNumber() - s.start] || '';
          const m = /^([\w$.]*[\w$])\s*\(/.exec(text.slice(c.getColumnNumber() - 1));
          const before = /[\w$.]*$/.exec(text.slice(0, c.getColumnNumber() - 1))[0];
          if (m) msg = before + m[1] + ' is not a function';
        }
      } catch (e) { /* keep QuickJS's words */ }
    }
    if (msg !== err.message) err.message = msg;
  }
  Error.prepareStackTrace = function (err, calls) {
    try { v8Words(err, calls); } catch (e) { /* never fail an error */ }
    let head;
    try { head = Error.prototype.toString.call(err); } catch (e) { head = 'Error'; }
    const frames = [];
    for (const c of calls) {
      try { frames.push('    at ' + frameText(c)); } catch (e) { /* skip */ }
    }
    N.lastFrames = calls;
    return frames.length ? head + '\n' + frames.join('\n') : head;
  };
  // Where an error was thrown: the first frame in user code, for the
  // "file:line / source / caret" header of node's uncaught report.
  N.origin = function (err) {
    if (err === null || typeof err !== 'object') return null;
    let stack;
    try { stack = err.stack; } catch (e) { return null; }
    if (typeof stack !== 'string') return null;
    const m = /\n    at (?:.*? \()?([^\s()]+):(\d+):(\d+)\)?/.exec(stack);
    if (!m) return null;
    const file = m[1], line = +m[2], col = +m[3];
    const s = sources.find((x) => x.file === file);
    if (!s || file.startsWith('node:')) return null;
    const text = s.text.split('\n')[line - 1];
    if (text === undefined) return null;
    // V8 points at the throw statement; QuickJS at the error's construction.
    let c = col;
    const before = text.slice(0, col - 1);
    const t = /throw\s+(?:new\s+)?$/.exec(before);
    if (t) c = t.index + 1;
    // ... and at the property a null or undefined was read for.
    const r = /\((?:reading|setting) '(.*)'\)$/.exec(err.message || '');
    if (r) { const i = text.indexOf('.' + r[1], col - 1); if (i >= 0) c = i + 2; }
    return { file: file, line: line, col: c, text: text };
  };

  // -- the loop's queues (timers live here; the Python side asks for the next deadline)
  const timers = new Map();   // id -> Timeout
  let timerSeq = 0;
  let seq = 0;
  const immediates = [];
  const ticks = [];
  class Timeout {
    constructor(fn, ms, args, repeat) {
      ms = Number(ms);
      if (!(ms >= 1 && ms <= 2147483647)) ms = 1;
      this._idleTimeout = ms; this._onTimeout = fn; this._args = args; this._repeat = repeat ? ms : null;
      this._id = ++timerSeq; this._ref = true; this._when = nowMs() + ms; this._seq = ++seq; this._destroyed = false;
      timers.set(this._id, this);
    }
    ref() { this._ref = true; return this; }
    unref() { this._ref = false; return this; }
    hasRef() { return this._ref; }
    refresh() { this._when = nowMs() + this._idleTimeout; this._seq = ++seq; return this; }
    close() { clearTimeout(this); return this; }
    [Symbol.toPrimitive]() { return this._id; }
  }
  N.Timeout = Timeout;
  class Immediate {
    constructor(fn, args) { this._onImmediate = fn; this._args = args; this._ref = true; this._destroyed = false; }
    ref() { this._ref = true; return this; }
    unref() { this._ref = false; return this; }
    hasRef() { return this._ref; }
  }
  function checkCb(fn) {
    if (typeof fn !== 'function') {
      const e = new TypeError('The "callback" argument must be of type function. Received ' + N.describe(fn));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
  }
  G.setTimeout = function setTimeout(fn, ms, ...args) { checkCb(fn); return new Timeout(fn, ms, args, false); };
  G.setInterval = function setInterval(fn, ms, ...args) { checkCb(fn); return new Timeout(fn, ms, args, true); };
  G.clearTimeout = G.clearInterval = function clearTimeout(t) {
    if (t == null) return;
    const id = typeof t === 'object' ? t._id : Number(t);
    const tm = timers.get(id);
    if (tm) { tm._destroyed = true; timers.delete(id); }
  };
  G.setImmediate = function setImmediate(fn, ...args) { checkCb(fn); const im = new Immediate(fn, args); immediates.push(im); return im; };
  G.clearImmediate = function clearImmediate(im) { if (im) im._destroyed = true; };
  G.queueMicrotask = G.queueMicrotask || function (fn) { Promise.resolve().then(fn); };
  N.nextTick = function (fn, ...args) { checkCb(fn); ticks.push([fn, args]); };

  // The Python side's view of the loop: the next timer (ms since epoch,
  // null for none) and whether refed timers/immediates keep node alive.
  N.loopState = function () {
    let next = null, refed = false;
    for (const t of timers.values()) {
      if (next === null || t._when < next) next = t._when;
      if (t._ref) refed = true;
    }
    let imm = false;
    for (const im of immediates) if (!im._destroyed) { imm = true; if (im._ref) refed = true; }
    if (ioDone.length) { imm = true; refed = true; }
    return JSON.stringify({ next: next, refed: refed, immediate: imm, ticks: ticks.length > 0 });
  };
  N.runTicks = function () {
    let ran = false;
    while (ticks.length) {
      const [fn, args] = ticks.shift();
      ran = true;
      N.guard(fn, undefined, args);
    }
    return ran;
  };
  // One callback per call: the Python side drains nextTicks and microtasks
  // between them (no re-entry into the engine from a host call).
  N.runDueTimer = function () {
    const now = nowMs();
    let best = null;
    for (const t of timers.values()) {
      if (t._when <= now && (best === null || t._when < best._when || (t._when === best._when && t._seq < best._seq))) best = t;
    }
    if (best === null) return false;
    if (best._repeat === null) { timers.delete(best._id); best._destroyed = true; }
    else { best._when = Math.max(best._when + best._repeat, now + 1); best._seq = ++seq; }
    N.guard(best._onTimeout, best, best._args);
    return true;
  };
  let immBatch = [];
  // Completed "I/O" (the fs callbacks: the filesystem is in memory) runs
  // in the poll phase, before the immediates of the check phase.
  const ioDone = [];
  N.queueIO = function (fn, ...args) { ioDone.push(new Immediate(fn, args)); };
  N.startImmediates = function () {
    immBatch = ioDone.splice(0, ioDone.length).concat(immediates.splice(0, immediates.length));
  };
  N.runImmediate = function () {
    while (immBatch.length) {
      const im = immBatch.shift();
      if (im._destroyed) continue;
      im._destroyed = true;
      N.guard(im._onImmediate, im, im._args);
      return true;
    }
    return false;
  };

  // -- uncaught exceptions
  N.exiting = false;
  const EXIT = { exit: true };
  N.EXIT = EXIT;
  N.guard = function (fn, self, args) {
    try {
      return fn.apply(self, args || []);
    } catch (err) {
      N.uncaught(err);
    }
  };
  N.uncaught = function (err) {
    if (err === EXIT || N.exiting) return;
    const proc = G.process;
    if (proc && proc.listenerCount && proc.listenerCount('uncaughtException') > 0) {
      try { proc.emit('uncaughtException', err, 'uncaughtException'); return; } catch (e2) { err = e2; }
      if (err === EXIT) return;
    }
    N.fatal(err);
  };
  N.fatal = function (err) {
    let out = '';
    const o = err === N.unhandledErrorEvent ? null : N.origin(err);
    if (err === N.unhandledErrorEvent) out += "node:events:497\n      throw er; // Unhandled 'error' event\n      ^\n\n";
    if (o) {
      out += o.file + ':' + o.line + '\n' + o.text + '\n' + ' '.repeat(Math.max(0, o.col - 1)) + '^\n\n';
    }
    let body;
    if (err instanceof Error || (err && typeof err === 'object' && typeof err.stack === 'string')) {
      body = N.inspect(err);
    } else {
      if (!o) out += 'Uncaught ';
      body = N.inspect(err);
      if (o) body = 'Uncaught ' + body;
    }
    if (o === null && (err instanceof Error)) {
      // node prints the throw site even without a source line
    }
    out += body + '\n';
    out += '\nNode.js ' + N.version + '\n';
    H('write', 2, out);
    N.exiting = true;
    H('exit', 1);
    throw EXIT;
  };
})(globalThis);
"""

