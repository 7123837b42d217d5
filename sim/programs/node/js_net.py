"""node's ``net`` (Server, Socket over the handles of
`sim.programs.node.netio`) and ``http`` (an HTTP/1.1 server with
keep-alive and node's default headers, and a client), in JavaScript."""

NET = r"""
(function (G, N) {
  'use strict';
  const H = N.H;
  const EventEmitter = N.EventEmitter;
  const Buffer = N.Buffer;
  const handles = new Map();
  const NH = (op, ...a) => H('net', op, ...a);

  N.netEvent = function (id, kind, payload) {
    const h = handles.get(id);
    if (h) N.guard(h._onEvent, h, [kind, payload]);
  };

  function errnoException(info, extra) {
    let text = info.syscall + ' ' + info.code + (info.message ? ': ' + info.message : '');
    if (extra) text += ' ' + extra;
    const e = new Error(text);
    e.errno = info.errno; e.code = info.code; e.syscall = info.syscall;
    if (info.address !== undefined) e.address = info.address;
    if (info.port !== undefined) e.port = info.port;
    return e;
  }
  N.errnoException = errnoException;
  function fromSys(e, syscall, address, port) {
    const msg = e.message.slice(e.message.indexOf(': ') + 2);
    const info = { code: e.code, errno: e.errno, syscall: syscall, message: msg, address: address, port: port };
    return errnoException(info, port !== undefined ? (address + ':' + port) : address);
  }
  function isIP(s) {
    if (typeof s !== 'string') return 0;
    if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(s)) return 4;
    if (/^[0-9a-fA-F:.]+$/.test(s) && s.includes(':')) return 6;
    return 0;
  }
  function toBin(chunk, enc) {
    if (typeof chunk === 'string') return H('encode', chunk, N.normEnc(enc));
    if (chunk instanceof Uint8Array) return N.toBinary(chunk);
    const e = new TypeError('The "chunk" argument must be of type string or an instance of Buffer or Uint8Array. Received ' + N.describe(chunk));
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  N.toBin = toBin;

  class Socket extends EventEmitter {
    constructor(options) {
      super();
      options = options || {};
      this._id = null;
      this.connecting = false;
      this.destroyed = false;
      this.readable = true;
      this.writable = true;
      this.allowHalfOpen = !!options.allowHalfOpen;
      this.bytesRead = 0;
      this.bytesWritten = 0;
      this._decoder = null;
      this._paused = false;
      this._held = [];
      this._readEnded = false;
      this._writeEnded = false;
      this._queued = [];
      this._timeoutMs = 0;
      this._timer = null;
      this._refed = true;
      this._closeEmitted = false;
      this.remoteAddress = undefined; this.remotePort = undefined; this.remoteFamily = undefined;
      this.localAddress = undefined; this.localPort = undefined;
    }
    _attach(id) { this._id = id; handles.set(id, this); if (!this._refed) NH('ref', id, false); }
    get readyState() {
      if (this.connecting) return 'opening';
      if (this.readable && this.writable) return 'open';
      if (this.readable) return 'readOnly';
      if (this.writable) return 'writeOnly';
      return 'closed';
    }
    get pending() { return this._id === null || this.connecting; }
    get bufferSize() { return this._id === null ? 0 : NH('buffered', this._id); }
    get writableLength() { return this.bufferSize; }
    get writableEnded() { return this._writeEnded; }
    get readableEnded() { return this._readEnded; }
    address() {
      if (this.localAddress === undefined) return {};
      return { address: this.localAddress, family: this.localAddress.includes(':') ? 'IPv6' : 'IPv4', port: this.localPort };
    }
    _activity() { if (this._timer) this._timer.refresh(); }
    setTimeout(ms, cb) {
      if (this._timer) { clearTimeout(this._timer); this._timer = null; }
      this._timeoutMs = ms;
      if (cb) { if (ms === 0) this.removeListener('timeout', cb); else this.once('timeout', cb); }
      if (ms > 0 && !this.destroyed) {
        this._timer = setTimeout(() => { this._timer = null; this.emit('timeout'); }, ms);
        this._timer.unref();
      }
      return this;
    }
    setNoDelay() { return this; }
    setKeepAlive() { return this; }
    ref() { this._refed = true; if (this._id !== null) NH('ref', this._id, true); return this; }
    unref() { this._refed = false; if (this._id !== null) NH('ref', this._id, false); return this; }
    setEncoding(enc) { this._decoder = new (N.loadBuiltin('string_decoder').StringDecoder)(enc); return this; }
    pause() { this._paused = true; if (this._id !== null) NH('reading', this._id, false); return this; }
    resume() {
      this._paused = false;
      if (this._id !== null && !this.destroyed) NH('reading', this._id, true);
      if (this._held.length) {
        const held = this._held; this._held = [];
        N.nextTick(() => { for (const c of held) this._deliver(c); });
      }
      return this;
    }
    isPaused() { return this._paused; }
    pipe(dest) {
      this.on('data', (c) => { if (dest.write(c) === false && this.pause) { this.pause(); dest.once('drain', () => this.resume()); } });
      this.on('end', () => { if (dest !== G.process.stdout && dest !== G.process.stderr) dest.end(); });
      return dest;
    }
    _deliver(bin) {
      const buf = N.fromBinary(bin);
      this.emit('data', this._decoder ? this._decoder.write(buf) : buf);
    }
    write(chunk, enc, cb) {
      if (typeof enc === 'function') { cb = enc; enc = undefined; }
      if (this._writeEnded || this.destroyed) {
        const e = new Error(this.destroyed ? 'Cannot call write after a stream was destroyed' : 'write after end');
        e.code = this.destroyed ? 'ERR_STREAM_DESTROYED' : 'ERR_STREAM_WRITE_AFTER_END';
        N.nextTick(() => { if (cb) cb(e); this.emit('error', e); });
        return false;
      }
      const bin = toBin(chunk, enc);
      this.bytesWritten += bin.length;
      this._activity();
      if (this._id === null || this.connecting) {
        this._queued.push(bin);
        if (cb) this.once('connect', () => N.nextTick(cb));
        return true;
      }
      let ok = true;
      if (bin.length) ok = NH('write', this._id, bin);
      if (cb) N.nextTick(cb, null);
      return ok;
    }
    end(chunk, enc, cb) {
      if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
      else if (typeof enc === 'function') { cb = enc; enc = undefined; }
      if (chunk !== undefined && chunk !== null) this.write(chunk, enc);
      if (this._writeEnded) { if (cb) N.nextTick(cb); return this; }
      this._writeEnded = true;
      this.writable = false;
      if (cb) this.once('finish', cb);
      const done = () => {
        if (this.destroyed) return;
        if (this._readEnded) { NH('close', this._id); this._closed(false); }
        else NH('end', this._id);
        this.emit('finish');
      };
      if (this._id === null || this.connecting) this.once('connect', () => N.nextTick(done));
      else N.nextTick(done);
      return this;
    }
    destroySoon() { this.end(); }
    destroy(err) {
      if (this.destroyed) return this;
      if (this._id !== null) NH('destroy', this._id);
      this._closed(err);
      return this;
    }
    resetAndDestroy() { return this.destroy(); }
    _closed(err) {
      if (this.destroyed) return;
      this.destroyed = true;
      this.readable = this.writable = false;
      if (this._id !== null) handles.delete(this._id);
      if (this._timer) { clearTimeout(this._timer); this._timer = null; }
      N.nextTick(() => {
        if (err) this.emit('error', err);
        this._closeEmitted = true;
        this.emit('close', !!err);
      });
    }
    _onEvent(kind, payload) {
      if (kind === 'data') {
        this.bytesRead += payload.length;
        this._activity();
        if (this._paused) this._held.push(payload);
        else this._deliver(payload);
      } else if (kind === 'end') {
        this._readEnded = true;
        this.readable = false;
        if (this._decoder) { const rest = this._decoder.end(); if (rest) this.emit('data', rest); }
        this.emit('end');
        if (this.destroyed) return;
        if (!this.allowHalfOpen && !this._writeEnded) this.end();
        else if (this._writeEnded) { NH('close', this._id); this._closed(false); }
      } else if (kind === 'error') {
        const info = JSON.parse(payload);
        if (info.syscall === 'connect') delete info.message;  // node: connect ECONNREFUSED host:port
        const extra = info.address !== undefined ? info.address + ':' + info.port : undefined;
        this._closed(errnoException(info, extra));
      } else if (kind === 'connect') {
        const info = JSON.parse(payload);
        this.connecting = false;
        this.localAddress = info.localAddress; this.localPort = info.localPort;
        const q = this._queued; this._queued = [];
        for (const bin of q) if (bin.length) NH('write', this._id, bin);
        this.emit('connect');
        this.emit('ready');
      } else if (kind === 'drain') {
        this.emit('drain');
      }
    }
    connect(...args) {
      let opts = {}, cb;
      if (typeof args[0] === 'object' && args[0] !== null) { opts = args[0]; cb = args[1]; }
      else {
        opts.port = args[0];
        if (typeof args[1] === 'string') { opts.host = args[1]; cb = args[2]; } else cb = args[1];
      }
      if (typeof cb === 'function') this.once('connect', cb);
      if (opts.path !== undefined) {
        const e = new Error('connect ENOENT ' + opts.path);
        e.code = 'ENOENT'; e.errno = -2; e.syscall = 'connect'; e.address = opts.path;
        N.nextTick(() => this.destroy(e));
        return this;
      }
      const host = opts.host || 'localhost';
      const port = Number(opts.port);
      this.connecting = true;
      let address = host;
      if (!isIP(host)) {
        try { address = NH('lookup', host)[0]; } catch (e) {
          const err = new Error('getaddrinfo ENOTFOUND ' + host);
          err.errno = -3008; err.code = 'ENOTFOUND'; err.syscall = 'getaddrinfo'; err.hostname = host;
          N.nextTick(() => this.destroy(err));
          return this;
        }
      }
      this.remoteAddress = address; this.remotePort = port; this.remoteFamily = address.includes(':') ? 'IPv6' : 'IPv4';
      this._attach(NH('connect', address, port));
      return this;
    }
  }
  Socket.prototype.setMaxListeners(0);

  class Server extends EventEmitter {
    constructor(options, listener) {
      super();
      if (typeof options === 'function') { listener = options; options = {}; }
      this._options = options || {};
      this._id = null;
      this._address = null;
      this._connections = 0;
      this._sockets = new Set();
      this.maxConnections = undefined;
      if (listener) this.on('connection', listener);
    }
    get listening() { return this._id !== null; }
    listen(...args) {
      let port = 0, host, backlog = 511, cb;
      if (typeof args[args.length - 1] === 'function') cb = args.pop();
      if (typeof args[0] === 'object' && args[0] !== null) {
        const o = args[0];
        port = o.port || 0; host = o.host; backlog = o.backlog || 511;
      } else {
        if (args.length) port = args[0];
        if (typeof args[1] === 'string') { host = args[1]; if (typeof args[2] === 'number') backlog = args[2]; }
        else if (typeof args[1] === 'number') backlog = args[1];
      }
      if (typeof port === 'string' && /^\d+$/.test(port)) port = Number(port);
      if (port === null || port === undefined) port = 0;
      if (typeof port !== 'number' || !(port >= 0 && port < 65536) || port % 1 !== 0) {
        const e = new RangeError('options.port should be >= 0 and < 65536. Received ' + N.describe(port) + '.');
        e.code = 'ERR_SOCKET_BAD_PORT';
        throw e;
      }
      if (cb) this.once('listening', cb);
      if (host && !isIP(host)) {
        try { host = NH('lookup', host)[0]; } catch (e) {
          const err = new Error('getaddrinfo ENOTFOUND ' + host);
          err.errno = -3008; err.code = 'ENOTFOUND'; err.syscall = 'getaddrinfo'; err.hostname = host;
          N.nextTick(() => this.emit('error', err));
          return this;
        }
      }
      let r;
      try { r = NH('listen', host || '', port, backlog); } catch (e) {
        const err = fromSys(e, 'listen', host || '::', port);
        N.nextTick(() => this.emit('error', err));
        return this;
      }
      this._id = r[0];
      this._address = { address: r[1], family: r[3], port: r[2] };
      handles.set(this._id, this);
      if (this._unref) NH('ref', this._id, false);
      N.nextTick(() => this.emit('listening'));
      return this;
    }
    address() { return this._address; }
    close(cb) {
      if (this._id === null) {
        const e = new Error('Server is not running.');
        e.code = 'ERR_SERVER_NOT_RUNNING';
        if (cb) N.nextTick(cb, e);
        return this;
      }
      NH('close', this._id);
      handles.delete(this._id);
      this._id = null;
      if (this._closeIdle) this._closeIdle();
      if (cb) this.once('close', cb);
      this._maybeClose();
      return this;
    }
    _maybeClose() {
      if (this._id === null && this._connections === 0 && !this._closeEmitted) {
        this._closeEmitted = true;
        N.nextTick(() => this.emit('close'));
      }
    }
    ref() { this._unref = false; if (this._id !== null) NH('ref', this._id, true); return this; }
    unref() { this._unref = true; if (this._id !== null) NH('ref', this._id, false); return this; }
    getConnections(cb) { N.nextTick(cb, null, this._connections); return this; }
    _onEvent(kind, payload) {
      if (kind !== 'connection') return;
      const info = JSON.parse(payload);
      const s = new Socket({ allowHalfOpen: this._options.allowHalfOpen });
      s._attach(info.id);
      s.remoteAddress = info.remoteAddress; s.remotePort = info.remotePort; s.remoteFamily = info.remoteFamily;
      s.localAddress = info.localAddress; s.localPort = info.localPort;
      s.server = this;
      this._connections++;
      this._sockets.add(s);
      s.on('close', () => { this._connections--; this._sockets.delete(s); this._maybeClose(); });
      this.emit('connection', s);
    }
  }

  // process.stdin: a socket on fd 0, reading from the first 'data'/'end'
  // listener, resume() or pipe() on (node's lazy stdin).
  (function () {
    const stdin = new Socket({ allowHalfOpen: true });
    stdin.fd = 0;
    stdin.isTTY = G.process.stdin.isTTY;
    stdin._writeEnded = true; stdin.writable = false;
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      try { stdin._attach(NH('stdin')); } catch (e) { N.nextTick(() => stdin.emit('end')); }
    };
    const on = stdin.on;
    stdin.on = stdin.addListener = function (ev, fn) {
      on.call(this, ev, fn);
      if (ev === 'data' || ev === 'readable' || ev === 'end') start();
      return this;
    };
    const resume = stdin.resume;
    stdin.resume = function () { start(); return resume.call(this); };
    const origOnEvent = stdin._onEvent;
    stdin._onEvent = function (kind, payload) {
      if (kind === 'end') { this._readEnded = true; this.readable = false; this.emit('end'); NH('destroy', this._id); this._closed(false); return; }
      origOnEvent.call(this, kind, payload);
    };
    stdin.setRawMode = function () { return this; };
    stdin.read = function () { return null; };
    G.process.stdin = stdin;
  })();

  function createServer(options, listener) { return new Server(options, listener); }
  function connect(...args) {
    const s = new Socket(typeof args[0] === 'object' ? args[0] : undefined);
    return s.connect(...args);
  }
  N.net = { Socket, Server, createServer, connect, createConnection: connect, isIP,
    isIPv4: (s) => isIP(s) === 4, isIPv6: (s) => isIP(s) === 6, Stream: Socket };
  N.builtins.net = function (module) { module.exports = N.net; };
  N.builtins.dns = function (module) {
    function lookup(host, opts, cb) {
      if (typeof opts === 'function') { cb = opts; opts = {}; }
      if (typeof opts === 'number') opts = { family: opts };
      opts = opts || {};
      N.queueIO(() => {
        if (isIP(host)) return opts.all ? cb(null, [{ address: host, family: isIP(host) }]) : cb(null, host, isIP(host));
        let addrs;
        try { addrs = NH('lookup', host === 'localhost' ? 'localhost' : host); } catch (e) {
          const err = new Error('getaddrinfo ENOTFOUND ' + host);
          err.errno = -3008; err.code = 'ENOTFOUND'; err.syscall = 'getaddrinfo'; err.hostname = host;
          return cb(err);
        }
        if (opts.all) cb(null, addrs.map((a) => ({ address: a, family: 4 })));
        else cb(null, addrs[0], 4);
      });
    }
    const promises = { lookup: (h, o) => new Promise((res, rej) => lookup(h, o || {}, (e, a, f) => e ? rej(e) : res(Array.isArray(a) ? a : { address: a, family: f }))) };
    module.exports = { lookup, promises };
  };
})(globalThis, globalThis.__node);
"""

HTTP = r"""
(function (G, N) {
  'use strict';
  const EventEmitter = N.EventEmitter;
  const Buffer = N.Buffer;
  const net = N.net;
  const STATUS_CODES = {
    100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
    200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content',
    205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
    300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
    305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
    400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
    405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
    409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Payload Too Large',
    414: 'URI Too Long', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed',
    418: "I'm a Teapot", 421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked',
    424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required',
    429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
    500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
    504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates',
    507: 'Insufficient Storage', 508: 'Loop Detected', 509: 'Bandwidth Limit Exceeded', 510: 'Not Extended',
    511: 'Network Authentication Required',
  };
  const METHODS = ['ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK',
    'M-SEARCH', 'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST',
    'PROPFIND', 'PROPPATCH', 'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE',
    'TRACE', 'UNBIND', 'UNLINK', 'UNLOCK', 'UNSUBSCRIBE'];
  // Headers node keeps only the first of (http's matchKnownFields).
  const SINGLE = new Set(['content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization',
    'proxy-authorization', 'if-modified-since', 'if-unmodified-since', 'from', 'location', 'max-forwards',
    'retry-after', 'etag', 'last-modified', 'server', 'age', 'expires']);

  function addHeader(headers, name, value) {
    const k = name.toLowerCase();
    if (!(k in headers)) { headers[k] = k === 'set-cookie' ? [value] : value; return; }
    if (SINGLE.has(k)) return;
    if (k === 'set-cookie') headers[k].push(value);
    else if (k === 'cookie') headers[k] += '; ' + value;
    else headers[k] += ', ' + value;
  }
  function decodeUtf8(bin) { return N.H('decode', bin, 'utf8'); }

  // -- incoming messages (a request on the server, a response on the client)
  class IncomingMessage extends EventEmitter {
    constructor(socket) {
      super();
      this.socket = socket;
      this.httpVersionMajor = 1; this.httpVersionMinor = 1; this.httpVersion = '1.1';
      this.complete = false; this.aborted = false;
      this.headers = {}; this.rawHeaders = []; this.trailers = {}; this.rawTrailers = [];
      this.headersDistinct = {};
      this.method = null; this.url = ''; this.statusCode = null; this.statusMessage = null;
      this.readable = true;
      this._chunks = []; this._ended = false; this._endEmitted = false; this._flowing = null;
      this._decoder = null; this._scheduled = false;
    }
    get connection() { return this.socket; }
    get readableEnded() { return this._endEmitted; }
    setEncoding(enc) { this._decoder = new (N.loadBuiltin('string_decoder').StringDecoder)(enc); return this; }
    setTimeout(ms, cb) { if (this.socket) this.socket.setTimeout(ms, cb); return this; }
    on(ev, fn) {
      super.on(ev, fn);
      if (ev === 'data' && this._flowing !== false) this.resume();
      if (ev === 'readable') this.resume();
      return this;
    }
    resume() { this._flowing = true; this._schedule(); return this; }
    pause() { this._flowing = false; return this; }
    isPaused() { return this._flowing === false; }
    read() {
      if (!this._chunks.length) { if (this._ended) this._schedule(); return null; }
      const bin = this._chunks.join(''); this._chunks = [];
      return this._decoder ? this._decoder.write(N.fromBinary(bin)) : N.fromBinary(bin);
    }
    pipe(dest) {
      this.on('data', (c) => dest.write(c));
      this.on('end', () => { if (dest !== G.process.stdout && dest !== G.process.stderr) dest.end(); });
      return dest;
    }
    destroy(err) { if (this.socket) this.socket.destroy(err); return this; }
    _push(bin) { if (bin === null) this._ended = true; else if (bin.length) this._chunks.push(bin); this._schedule(); }
    _schedule() {
      if (this._scheduled || !this._flowing) return;
      this._scheduled = true;
      N.nextTick(() => { this._scheduled = false; this._flow(); });
    }
    _flow() {
      while (this._flowing && this._chunks.length) {
        const buf = N.fromBinary(this._chunks.shift());
        this.emit('data', this._decoder ? this._decoder.write(buf) : buf);
      }
      if (this._flowing && this._ended && !this._chunks.length && !this._endEmitted) {
        this._endEmitted = true;
        this.complete = true;
        this.readable = false;
        this.emit('end');
        N.nextTick(() => this.emit('close'));
      }
    }
    _dump() { if (!this._endEmitted) { this._chunks = []; this.resume(); } }
    [Symbol.asyncIterator]() {
      const self = this;
      const queue = [];
      let waiting = null, done = false, error = null;
      this.on('data', (c) => { if (waiting) { const w = waiting; waiting = null; w.resolve({ value: c, done: false }); } else queue.push(c); });
      this.on('end', () => { done = true; if (waiting) { const w = waiting; waiting = null; w.resolve({ value: undefined, done: true }); } });
      this.on('error', (e) => { error = e; if (waiting) { const w = waiting; waiting = null; w.reject(e); } });
      return {
        next() {
          if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
          if (error) return Promise.reject(error);
          if (done) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve, reject) => { waiting = { resolve, reject }; });
        },
        return() { return Promise.resolve({ value: undefined, done: true }); },
        [Symbol.asyncIterator]() { return this; },
      };
    }
  }

  // -- an HTTP/1.x message parser over binary strings (head, then the body
  // by Content-Length, chunked, or until the connection ends)
  class Parser {
    constructor(kind, onHead, onBody, onDone) {
      this.kind = kind; this.buf = ''; this.state = 'head';
      this.onHead = onHead; this.onBody = onBody; this.onDone = onDone;
      this.remaining = 0; this.paused = false;
    }
    feed(bin) { this.buf += bin; this.run(); }
    run() {
      for (;;) {
        if (this.paused || this.failed) return;
        if (this.state === 'head') {
          while (this.buf.startsWith('\r\n')) this.buf = this.buf.slice(2);
          let end = this.buf.indexOf('\r\n\r\n'), skip = 4;
          if (end < 0) { end = this.buf.indexOf('\n\n'); skip = 2; }
          if (end < 0) {
            if (this.buf.length > 16384) this.fail('HPE_HEADER_OVERFLOW', 'Header overflow');
            return;
          }
          const head = this.buf.slice(0, end);
          this.buf = this.buf.slice(end + skip);
          const lines = head.split(/\r?\n/);
          const first = lines.shift();
          let m;
          const msg = {};
          if (this.kind === 'request') {
            m = /^([A-Z-]+) (\S+) HTTP\/(\d)\.(\d)$/.exec(first);
            if (!m || !METHODS.includes(m[1])) { this.fail(m ? 'HPE_INVALID_METHOD' : 'HPE_INVALID_CONSTANT', m ? 'Invalid method encountered' : 'Expected HTTP/'); return; }
            msg.method = m[1]; msg.url = m[2]; msg.major = +m[3]; msg.minor = +m[4];
          } else {
            m = /^HTTP\/(\d)\.(\d) (\d{3})(?: (.*))?$/.exec(first);
            if (!m) { this.fail('HPE_INVALID_CONSTANT', 'Expected HTTP/'); return; }
            msg.major = +m[1]; msg.minor = +m[2]; msg.status = +m[3]; msg.reason = m[4] || '';
          }
          msg.headers = {}; msg.raw = [];
          for (const line of lines) {
            const i = line.indexOf(':');
            if (i <= 0) { this.fail('HPE_INVALID_HEADER_TOKEN', 'Invalid header token'); return; }
            const name = line.slice(0, i).trim();
            const value = decodeUtf8(line.slice(i + 1).trim());
            msg.raw.push(name, value);
            addHeader(msg.headers, name, value);
          }
          const te = (msg.headers['transfer-encoding'] || '').toLowerCase();
          const cl = msg.headers['content-length'];
          const bodyless = this.kind === 'response' && (this.method === 'HEAD' || msg.status === 204 || msg.status === 304 || (msg.status >= 100 && msg.status < 200));
          if (bodyless) this.state = 'done';
          else if (te.includes('chunked')) this.state = 'chunk-size';
          else if (cl !== undefined) { this.remaining = parseInt(cl, 10) || 0; this.state = this.remaining ? 'body' : 'done'; }
          else if (this.kind === 'response') this.state = 'eof';
          else this.state = 'done';
          this.onHead(msg);
          continue;
        }
        if (this.state === 'body') {
          if (!this.buf.length) return;
          const take = this.buf.slice(0, this.remaining);
          this.buf = this.buf.slice(take.length);
          this.remaining -= take.length;
          this.onBody(take);
          if (this.remaining === 0) this.state = 'done';
          continue;
        }
        if (this.state === 'chunk-size') {
          const i = this.buf.indexOf('\r\n');
          if (i < 0) return;
          const size = parseInt(this.buf.slice(0, i).split(';')[0], 16);
          if (isNaN(size)) { this.fail('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size'); return; }
          this.buf = this.buf.slice(i + 2);
          if (size === 0) { this.state = 'trailers'; continue; }
          this.remaining = size; this.state = 'chunk-data';
          continue;
        }
        if (this.state === 'chunk-data') {
          if (!this.buf.length) return;
          if (this.remaining > 0) {
            const take = this.buf.slice(0, this.remaining);
            this.buf = this.buf.slice(take.length);
            this.remaining -= take.length;
            this.onBody(take);
            if (this.remaining > 0) return;
          }
          if (this.buf.length < 2) return;
          this.buf = this.buf.slice(2);
          this.state = 'chunk-size';
          continue;
        }
        if (this.state === 'trailers') {
          const i = this.buf.indexOf('\r\n');
          if (i < 0) return;
          const line = this.buf.slice(0, i);
          this.buf = this.buf.slice(i + 2);
          if (line === '') this.state = 'done';
          continue;
        }
        if (this.state === 'eof') { if (this.buf.length) { this.onBody(this.buf); this.buf = ''; } return; }
        if (this.state === 'done') {
          this.state = 'head';
          this.onDone();
          continue;
        }
        return;
      }
    }
    finish() { if (this.state === 'eof') { this.state = 'head'; this.onDone(); } }
    fail(code, reason) {
      this.failed = true;
      const e = new Error('Parse Error: ' + reason);
      e.code = code;
      e.bytesParsed = 0;
      e.rawPacket = N.fromBinary(this.buf);
      if (this.onError) this.onError(e);
    }
  }

  // -- outgoing messages
  class OutgoingMessage extends EventEmitter {
    constructor() {
      super();
      this._headers = new Map();
      this._header = null;
      this.headersSent = false;
      this.finished = false;
      this.writableEnded = false;
      this.writableFinished = false;
      this.sendDate = false;
      this.chunkedEncoding = false;
      this.useChunkedEncodingByDefault = true;
      this._hasBody = true;
      this._contentLength = null;
      this.destroyed = false;
    }
    get connection() { return this.socket; }
    setHeader(name, value) {
      if (this._header) {
        const e = new Error('Cannot set headers after they are sent to the client');
        e.code = 'ERR_HTTP_HEADERS_SENT';
        throw e;
      }
      if (value === undefined) {
        const e = new TypeError('Invalid value "undefined" for header "' + name + '"');
        e.code = 'ERR_HTTP_INVALID_HEADER_VALUE';
        throw e;
      }
      this._headers.set(String(name).toLowerCase(), [String(name), value]);
      return this;
    }
    appendHeader(name, value) {
      const k = String(name).toLowerCase();
      const old = this._headers.get(k);
      if (!old) return this.setHeader(name, value);
      old[1] = [].concat(old[1], value);
      return this;
    }
    setHeaders(h) { for (const [k, v] of (h instanceof Map ? h : Object.entries(h))) this.setHeader(k, v); return this; }
    getHeader(name) { const h = this._headers.get(String(name).toLowerCase()); return h ? h[1] : undefined; }
    getHeaders() { const o = Object.create(null); for (const [k, v] of this._headers) o[k] = v[1]; return o; }
    getHeaderNames() { return [...this._headers.keys()]; }
    getRawHeaderNames() { return [...this._headers.values()].map((v) => v[0]); }
    hasHeader(name) { return this._headers.has(String(name).toLowerCase()); }
    removeHeader(name) {
      if (this._header) {
        const e = new Error('Cannot remove headers after they are sent to the client');
        e.code = 'ERR_HTTP_HEADERS_SENT';
        throw e;
      }
      this._headers.delete(String(name).toLowerCase());
    }
    flushHeaders() { if (!this._header) this._implicitHeader(); this._send(''); }
    _storeHeader(firstLine) {
      let head = firstLine;
      let hasConnection = false, hasCL = false, hasTE = false, hasDate = false, hasKA = false;
      for (const [k, [name, value]] of this._headers) {
        const values = Array.isArray(value) ? value : [value];
        for (const v of values) head += name + ': ' + v + '\r\n';
        if (k === 'connection') { hasConnection = true; if (/close/i.test(String(value))) this._last = true; }
        else if (k === 'content-length') hasCL = true;
        else if (k === 'transfer-encoding') { hasTE = true; if (/chunked/i.test(String(value))) this.chunkedEncoding = true; }
        else if (k === 'date') hasDate = true;
        else if (k === 'keep-alive') hasKA = true;
      }
      if (this.sendDate && !hasDate) head += 'Date: ' + new Date().toUTCString() + '\r\n';
      if (!hasCL && !hasTE && this._hasBody && this._contentLength === null && !this.useChunkedEncodingByDefault) {
        this._last = true;  // no framing: the end of the connection ends the body
      }
      if (!hasConnection) {
        const keepAlive = this.shouldKeepAlive && !this._last;
        if (keepAlive) {
          head += 'Connection: keep-alive\r\n';
          if (this._keepAliveTimeout && !hasKA) head += 'Keep-Alive: timeout=' + Math.floor(this._keepAliveTimeout / 1000) + '\r\n';
        } else {
          this._last = true;
          head += 'Connection: close\r\n';
        }
      }
      if (!hasCL && !hasTE) {
        if (!this._hasBody) {
          if (this._bodylessCL) head += 'Content-Length: 0\r\n';
        } else if (this._contentLength !== null) head += 'Content-Length: ' + this._contentLength + '\r\n';
        else if (this.useChunkedEncodingByDefault) { head += 'Transfer-Encoding: chunked\r\n'; this.chunkedEncoding = true; }
      }
      this._header = head + '\r\n';
      this._headerPending = true;
    }
    _send(bin) {
      if (this._headerPending) { this._headerPending = false; this.headersSent = true; bin = this._header + bin; }
      if (bin.length) return this.socket.write(N.fromBinary(bin));
      return true;
    }
    write(chunk, enc, cb) {
      if (typeof enc === 'function') { cb = enc; enc = undefined; }
      if (this.finished) {
        const e = new Error('write after end');
        e.code = 'ERR_STREAM_WRITE_AFTER_END';
        N.nextTick(() => { if (cb) cb(e); this.emit('error', e); });
        return true;
      }
      if (!this._header) this._implicitHeader();
      if (chunk === undefined || chunk === null) {
        const e = new TypeError('The "chunk" argument must be of type string or an instance of Buffer or Uint8Array. Received ' + chunk);
        e.code = 'ERR_STREAM_NULL_VALUES';
        throw e;
      }
      const bin = N.toBin(chunk, enc);
      let ok = true;
      if (!this._hasBody) { /* HEAD, 204, 304: no body */ }
      else if (this.chunkedEncoding) { if (bin.length) ok = this._send(bin.length.toString(16) + '\r\n' + bin + '\r\n'); }
      else ok = this._send(bin);
      if (cb) N.nextTick(cb);
      return ok;
    }
    end(chunk, enc, cb) {
      if (typeof chunk === 'function') { cb = chunk; chunk = undefined; }
      else if (typeof enc === 'function') { cb = enc; enc = undefined; }
      if (this.finished) { if (cb) N.nextTick(cb); return this; }
      let bin = '';
      if (chunk !== undefined && chunk !== null) {
        bin = N.toBin(chunk, enc);
        if (!this._header) this._contentLength = bin.length;
      } else if (!this._header) this._contentLength = 0;
      if (!this._header) this._implicitHeader();
      let out = '';
      if (this._hasBody) {
        if (this.chunkedEncoding) out = (bin.length ? bin.length.toString(16) + '\r\n' + bin + '\r\n' : '') + '0\r\n\r\n';
        else out = bin;
      }
      this._send(out);
      this.finished = true;
      this.writableEnded = true;
      if (cb) this.once('finish', cb);
      N.nextTick(() => this._finish());
      return this;
    }
    _finish() {
      this.writableFinished = true;
      this.emit('finish');
      if (this._onFinish) this._onFinish();
    }
    destroy(err) { if (this.socket) this.socket.destroy(err); this.destroyed = true; return this; }
    setTimeout(ms, cb) { if (this.socket) this.socket.setTimeout(ms, cb); return this; }
  }

  class ServerResponse extends OutgoingMessage {
    constructor(req, server) {
      super();
      this.req = req;
      this.socket = req.socket;
      this.statusCode = 200;
      this.statusMessage = undefined;
      this.sendDate = true;
      this._keepAliveTimeout = server.keepAliveTimeout;
      this._hasBody = req.method !== 'HEAD';
      this._bodylessCL = false;
      if (req.httpVersionMajor < 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor < 1)) {
        this.useChunkedEncodingByDefault = /(?:^|\W)chunked(?:$|\W)/i.test(req.headers.te || '');
        this.shouldKeepAlive = /keep-alive/i.test(req.headers.connection || '');
      } else {
        this.shouldKeepAlive = !/close/i.test(req.headers.connection || '');
      }
    }
    writeHead(statusCode, reason, headers) {
      if (this._header) {
        const e = new Error('Cannot write headers after they are sent to the client');
        e.code = 'ERR_HTTP_HEADERS_SENT';
        throw e;
      }
      if (typeof reason !== 'string') { headers = reason; reason = undefined; }
      statusCode |= 0;
      if (statusCode < 100 || statusCode > 999) {
        const e = new RangeError('Invalid status code: ' + statusCode);
        e.code = 'ERR_HTTP_INVALID_STATUS_CODE';
        throw e;
      }
      this.statusCode = statusCode;
      if (reason !== undefined) this.statusMessage = reason;
      if (headers) {
        if (Array.isArray(headers)) {
          if (headers.length && Array.isArray(headers[0])) for (const [k, v] of headers) this.appendHeader(k, v);
          else for (let i = 0; i + 1 < headers.length; i += 2) this.appendHeader(headers[i], headers[i + 1]);
        } else {
          for (const k of Object.keys(headers)) if (headers[k] !== undefined) this.setHeader(k, headers[k]);
        }
      }
      this._writeHead();
      return this;
    }
    _writeHead() {
      const code = this.statusCode;
      if (this.statusMessage === undefined) this.statusMessage = STATUS_CODES[code] || 'unknown';
      if (code === 204 || code === 304 || (code >= 100 && code < 200)) this._hasBody = false;
      this._storeHeader('HTTP/1.1 ' + code + ' ' + this.statusMessage + '\r\n');
    }
    _implicitHeader() { this._writeHead(); }
    writeContinue(cb) { this.socket.write('HTTP/1.1 100 Continue\r\n\r\n', cb); }
    assignSocket(s) { this.socket = s; }
    detachSocket() {}
  }

  class Server extends net.Server {
    constructor(options, handler) {
      if (typeof options === 'function') { handler = options; options = {}; }
      super(options || {});
      this.keepAliveTimeout = 5000;
      this.headersTimeout = 60000;
      this.requestTimeout = 300000;
      this.timeout = 0;
      this.maxHeadersCount = null;
      this.maxRequestsPerSocket = 0;
      if (handler) this.on('request', handler);
      this.on('connection', (socket) => connectionListener(this, socket));
      this._idle = new Set();
    }
    setTimeout(ms, cb) { this.timeout = ms; if (cb) this.on('timeout', cb); return this; }
    closeIdleConnections() { for (const s of [...this._idle]) s.destroy(); }
    closeAllConnections() { for (const s of [...this._sockets]) s.destroy(); }
    _closeIdle() { this.closeIdleConnections(); }
  }

  function connectionListener(server, socket) {
    let current = null;      // the response in progress
    let idleTimer = null;
    const setIdle = (on) => {
      if (idleTimer) { clearTimeout(idleTimer); idleTimer = null; }
      if (on) {
        server._idle.add(socket);
        if (server.keepAliveTimeout > 0) {
          idleTimer = setTimeout(() => socket.destroy(), server.keepAliveTimeout);
          idleTimer.unref();
        }
      } else server._idle.delete(socket);
    };
    socket.on('close', () => { setIdle(false); server._idle.delete(socket); });
    socket.on('error', (e) => { if (server.listenerCount('clientError')) server.emit('clientError', e, socket); });
    let req = null;
    const parser = new Parser('request', (msg) => {
      setIdle(false);
      req = new IncomingMessage(socket);
      req.method = msg.method; req.url = msg.url;
      req.httpVersionMajor = msg.major; req.httpVersionMinor = msg.minor;
      req.httpVersion = msg.major + '.' + msg.minor;
      req.headers = msg.headers; req.rawHeaders = msg.raw;
      const res = new ServerResponse(req, server);
      current = res;
      // One request at a time: once this one's body is read (onDone), the
      // parser waits until the response is finished.
      res._onFinish = () => {
        current = null;
        req._dump();
        if (res._last) { socket.end(); return; }
        parser.paused = false;
        setIdle(true);
        parser.run();
      };
      if (req.headers.expect && /100-continue/i.test(req.headers.expect)) {
        if (server.listenerCount('checkContinue')) { server.emit('checkContinue', req, res); return; }
        res.writeContinue();
      }
      server.emit('request', req, res);
    }, (bin) => { if (req) req._push(bin); }, () => {
      if (req) req._push(null);
      if (current !== null) parser.paused = true;
    });
    parser.onError = (e) => {
      if (server.listenerCount('clientError')) { server.emit('clientError', e, socket); return; }
      const code = e.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end('HTTP/1.1 ' + code + '\r\nConnection: close\r\n\r\n');
    };
    socket.on('data', (buf) => parser.feed(N.toBinary(buf)));
    socket.on('end', () => { if (req && !req._ended) { req.aborted = true; req.emit('aborted'); } });
    setIdle(true);
  }

  // -- the client
  class ClientRequest extends OutgoingMessage {
    constructor(input, options, cb) {
      super();
      if (typeof input === 'string' || (input && input.href !== undefined)) {
        const u = new URL(String(input.href || input));
        const fromUrl = { protocol: u.protocol, hostname: u.hostname, port: u.port, path: u.pathname + u.search };
        if (typeof options === 'function') { cb = options; options = {}; }
        options = Object.assign(fromUrl, options || {});
      } else { cb = options; options = input || {}; }
      if (options.protocol && options.protocol !== 'http:') {
        const e = new TypeError('Protocol "' + options.protocol + '" not supported. Expected "http:"');
        e.code = 'ERR_INVALID_PROTOCOL';
        throw e;
      }
      this.method = (options.method || 'GET').toUpperCase();
      this.path = options.path || '/';
      this.host = options.hostname || (options.host || 'localhost').replace(/:\d+$/, '');
      this.port = Number(options.port) || 80;
      this.protocol = 'http:';
      this.shouldKeepAlive = true;
      this.useChunkedEncodingByDefault = !['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'].includes(this.method);
      this._hasBody = true;
      const headers = options.headers || {};
      if (Array.isArray(headers)) for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i], headers[i + 1]);
      else for (const k of Object.keys(headers)) this.setHeader(k, headers[k]);
      if (!this.hasHeader('host') && options.setHost !== false) {
        this.setHeader('Host', this.host + (this.port !== 80 ? ':' + this.port : ''));
      }
      if (options.auth && !this.hasHeader('authorization')) this.setHeader('Authorization', 'Basic ' + Buffer.from(options.auth).toString('base64'));
      if (cb) this.once('response', cb);
      if (options.timeout) this.setTimeout(options.timeout);
      const socket = net.connect({ host: options.host && !options.hostname ? this.host : this.host, port: this.port });
      this.socket = socket;
      this.reusedSocket = false;
      socket.on('connect', () => this.emit('socket', socket));
      socket.on('error', (e) => { this._errored = true; if (!this._gotResponse || !this._res || !this._res.complete) this.emit('error', e); });
      socket.on('close', () => {
        if (this._res && !this._res.complete) { this._res.aborted = true; this._res.emit('aborted'); const e = new Error('aborted'); e.code = 'ECONNRESET'; this._res.emit('error', e); }
        else if (!this._gotResponse && !this._errored) {
          const e = new Error('socket hang up'); e.code = 'ECONNRESET';
          this.emit('error', e);
        }
        this.emit('close');
      });
      const parser = new Parser('response', (msg) => {
        const res = new IncomingMessage(socket);
        res.statusCode = msg.status; res.statusMessage = msg.reason;
        res.httpVersionMajor = msg.major; res.httpVersionMinor = msg.minor; res.httpVersion = msg.major + '.' + msg.minor;
        res.headers = msg.headers; res.rawHeaders = msg.raw;
        res.req = this;
        this.res = res;
        this._res = res;
        this._gotResponse = true;
        if (!this.emit('response', res)) res._dump();
      }, (bin) => this._res._push(bin), () => {
        const res = this._res;
        res._push(null);
        res.on('end', () => socket.destroy());
        if (res._flowing !== true) res.once('end', () => {});
      });
      parser.method = this.method;
      socket.on('data', (buf) => parser.feed(N.toBinary(buf)));
      socket.on('end', () => parser.finish());
    }
    _implicitHeader() { this._storeHeader(this.method + ' ' + this.path + ' HTTP/1.1\r\n'); }
    abort() { this.aborted = true; this.destroy(); }
    setNoDelay() {}
    setSocketKeepAlive() {}
  }

  function request(url, options, cb) { return new ClientRequest(url, options, cb); }
  function get(url, options, cb) { const r = request(url, options, cb); r.end(); return r; }
  class Agent extends EventEmitter {
    constructor(o) { super(); this.options = o || {}; this.keepAlive = !!(o && o.keepAlive); this.maxSockets = Infinity; this.sockets = {}; this.freeSockets = {}; this.requests = {}; }
    destroy() {}
  }
  N.builtins.http = function (module) {
    module.exports = {
      createServer: (o, h) => new Server(o, h), Server, ServerResponse, IncomingMessage, ClientRequest,
      OutgoingMessage, Agent, globalAgent: new Agent({ keepAlive: true }), request, get, STATUS_CODES,
      METHODS: METHODS.slice(), maxHeaderSize: 16384,
      validateHeaderName() {}, validateHeaderValue() {},
    };
  };
})(globalThis, globalThis.__node);
"""
