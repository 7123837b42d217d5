"""node (sim/programs/node): real JavaScript on QuickJS with node's
runtime: the command line, console's formatting, process, timers and the
loop's phases, require, fs, errors as node reports them, determinism."""

from .helpers import run_program

VERSION_H = ("#define NODE_MAJOR_VERSION 22\n#define NODE_MINOR_VERSION 13\n"
             "#define NODE_PATCH_VERSION 0\n")


def node(*args, files=None, **kw):
    files = {"/usr/local/include/node/node_version.h": VERSION_H, **(files or {})}
    return run_program(["node", *args], files=files, **kw)


def test_version_comes_from_the_image():
    r = node("--version")
    assert (r.exit_code, r.out) == (0, "v22.13.0\n")
    r = run_program(["node", "-v"], env={"NODE_VERSION": "20.18.1"})
    assert r.out == "v20.18.1\n"


def test_eval_and_print():
    assert node("-p", "6 * 7").out == "42\n"
    assert node("-p", "({a: 1, b: 'x'})").out == "{ a: 1, b: 'x' }\n"
    assert node("-p", "'text'").out == "text\n"
    r = node("-e", "console.log(process.argv.slice(1).join(','))", "a", "b")
    assert r.out == "a,b\n"


def test_console_formats_values_as_node_prints_them():
    code = r"""
console.log({ a: 1, b: 'x' }, [1, 2, 3], [], {}, null, undefined, true, -0, 10n);
console.log({ a: { b: { c: { d: 1 } } } });
class Foo { constructor() { this.x = 1; } }
console.log(new Foo(), function foo() {}, class A {}, () => 1, Symbol('s'));
const a = {}; a.self = a; console.log(a);
console.log({ 'a-b': 1, s: "it's" }, ['a', "b'"]);
console.log('%s is %d, %i, %j %%', 'Bob', 42.5, 42.5, { a: 1 });
console.log(new Set([1, 'a']), new Map([['k', 1]]), new Date(0), /ab+/g, Object.create(null));
console.log([1, 2, 3, 4, 5, 6, 7]);
console.log({ aaaaaaaaaa: 'bbbbbbbbbbbbbbbbbb', cccccccccccccc: 'ddddddddddddddddddd', eeeeeeeeee: 'ffffffffffff' });
console.log(Buffer.from('hi'), [1, , 3], new Uint8Array([1, 2]));
console.error('to stderr');
"""
    r = node("-e", code)
    assert r.exit_code == 0
    assert r.out.splitlines() == [
        "{ a: 1, b: 'x' } [ 1, 2, 3 ] [] {} null undefined true -0 10n",
        "{ a: { b: { c: [Object] } } }",
        "Foo { x: 1 } [Function: foo] [class A] [Function (anonymous)] Symbol(s)",
        "<ref *1> { self: [Circular *1] }",
        "{ 'a-b': 1, s: \"it's\" } [ 'a', \"b'\" ]",
        'Bob is 42.5, 42, {"a":1} %',
        "Set(2) { 1, 'a' } Map(1) { 'k' => 1 } 1970-01-01T00:00:00.000Z /ab+/g [Object: null prototype] {}",
        "[", "  1, 2, 3, 4,", "  5, 6, 7", "]",
        "{", "  aaaaaaaaaa: 'bbbbbbbbbbbbbbbbbb',", "  cccccccccccccc: 'ddddddddddddddddddd',",
        "  eeeeeeeeee: 'ffffffffffff'", "}",
        "<Buffer 68 69> [ 1, <1 empty item>, 3 ] Uint8Array(2) [ 1, 2 ]",
    ]
    assert r.err == "to stderr\n"


def test_the_loop_phases_in_node_order():
    code = r"""
setTimeout(() => console.log('timeout'), 5);
setImmediate(() => console.log('immediate'));
process.nextTick(() => console.log('nextTick'));
Promise.resolve().then(() => console.log('microtask'));
require('fs').readFile('/etc/hostname', 'utf8', (err, t) => console.log('io', err, t.trim()));
process.on('exit', (code) => console.log('exit', code));
console.log('sync');
"""
    r = node("-e", code)
    assert r.out.splitlines() == ["sync", "nextTick", "microtask", "io null testhost", "immediate",
                                  "timeout", "exit 0"]


def test_timers_run_on_the_kernels_clock():
    code = r"""
const start = Date.now();
let n = 0;
const t = setInterval(() => {
  console.log('tick', Date.now() - start);
  if (++n === 3) clearInterval(t);
}, 100);
setTimeout(() => console.log('never'), 100000).unref();
setTimeout(() => console.log('cleared'), 50).close();
"""
    r = node("-e", code)
    assert r.out == "tick 100\ntick 200\ntick 300\n"
    # Date and Math.random are deterministic: the kernel's clock and id source.
    code = "console.log(Date.now(), new Date().toISOString(), Math.random())"
    assert node("-e", code).out == node("-e", code).out
    assert node("-p", "new Date(0).toString()").out == "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)\n"


def test_require_local_modules_json_and_builtins():
    files = {
        "/app/main.js": (
            "const lib = require('./lib');\nconst data = require('./data.json');\n"
            "const { join } = require('node:path');\n"
            "console.log(lib.add(2, 3), data.name, __filename, __dirname, join('a', '..', 'b'));\n"
            "console.log(require('./lib') === lib, require.main === module, module.id);\n"
            "console.log(require('dep').hello);\n"
            "try { require('./nope'); } catch (e) { console.log(e.code, e.message.split('\\n')[0]); }\n"),
        "/app/lib.js": "module.exports = { add: (a, b) => a + b };\n",
        "/app/data.json": '{"name": "demo"}',
        "/app/node_modules/dep/package.json": '{"main": "lib/index.js"}',
        "/app/node_modules/dep/lib/index.js": "exports.hello = 'from dep';\n",
    }
    r = node("main.js", files=files, cwd="/app")
    assert r.exit_code == 0, r.err
    assert r.out.splitlines() == [
        "5 demo /app/main.js /app b",
        "true true .",
        "from dep",
        "MODULE_NOT_FOUND Cannot find module './nope'",
    ]


def test_fs_against_the_containers_filesystem():
    code = r"""
const fs = require('fs');
fs.writeFileSync('/tmp/out.txt', 'hello\n');
fs.appendFileSync('/tmp/out.txt', 'world\n');
console.log(JSON.stringify(fs.readFileSync('/tmp/out.txt', 'utf8')), fs.existsSync('/tmp/out.txt'), fs.existsSync('/nope'));
console.log(fs.statSync('/tmp').isDirectory(), fs.statSync('/tmp/out.txt').size);
fs.mkdirSync('/tmp/a/b/c', { recursive: true });
console.log(fs.readdirSync('/tmp/a/b'), fs.readdirSync('/tmp', { withFileTypes: true }).map(d => d.name + (d.isDirectory() ? '/' : '')));
fs.unlinkSync('/tmp/out.txt');
try { fs.readFileSync('/nope'); } catch (e) { console.log(e.message, e.code, e.errno, e.syscall, e.path); }
fs.promises.readFile('/etc/hostname', 'utf8').then((t) => console.log('promise', t.trim()));
"""
    r = node("-e", code)
    assert r.exit_code == 0, r.err
    assert r.out.splitlines() == [
        '"hello\\nworld\\n" true false',
        "true 12",
        "[ 'c' ] [ 'a/', 'out.txt' ]",
        "ENOENT: no such file or directory, open '/nope' ENOENT -2 open /nope",
        "promise testhost",
    ]
    # what the script wrote is in the filesystem for the next process
    r = node("-e", "require('fs').writeFileSync('/tmp/x', 'data')")
    assert r.kernel is not None


def test_process_basics():
    code = r"""
console.log(process.platform, process.pid, typeof process.env.PATH, process.cwd(), process.version);
console.log(process.versions.node, process.arch, require('os').hostname(), require('os').platform());
process.exitCode = 4;
"""
    r = node("-e", code, cwd="/tmp")
    assert r.out.splitlines() == ["linux 1 string /tmp v22.13.0", "22.13.0 x64 testhost linux"]
    assert r.exit_code == 4
    r = node("-e", "setTimeout(() => { console.log('bye'); process.exit(7); console.log('not'); }, 10)")
    assert (r.exit_code, r.out) == (7, "bye\n")


def test_uncaught_exception_report():
    r = node("-e", "throw new Error('boom')")
    assert r.exit_code == 1
    lines = r.err.splitlines()
    assert lines[:5] == ["[eval]:1", "throw new Error('boom')", "^", "", "Error: boom"]
    assert lines[5].startswith("    at [eval]:1:")
    assert r.err.endswith("\n\nNode.js v22.13.0\n")
    files = {"/app/bad.js": "var x = 1;\nfunction f() {\n  null.foo;\n}\nf();\n"}
    r = node("/app/bad.js", files=files)
    lines = r.err.splitlines()
    assert r.exit_code == 1
    assert lines[:5] == ["/app/bad.js:3", "  null.foo;", "       ^", "",
                         "TypeError: Cannot read properties of null (reading 'foo')"]
    assert "    at f (/app/bad.js:3:3)" in lines
    assert "    at Object.<anonymous> (/app/bad.js:5:1)" in lines
    # an uncaughtException handler keeps the process going
    r = node("-e", "process.on('uncaughtException', (e) => console.log('caught', e.message));"
                   "setTimeout(() => { throw new Error('late') }, 1); setTimeout(() => console.log('after'), 5)")
    assert (r.exit_code, r.out) == (0, "caught late\nafter\n")


def test_missing_script():
    r = node("/app/nope.js")
    assert r.exit_code == 1
    assert "Error: Cannot find module '/app/nope.js'" in r.err
    assert "code: 'MODULE_NOT_FOUND'" in r.err


def test_a_caught_signal_runs_the_handler():
    code = r"""
process.on('SIGTERM', (sig) => { console.log('got', sig); process.exit(3); });
setInterval(() => {}, 1000);
setTimeout(() => process.kill(process.pid, 'SIGTERM'), 50);
"""
    r = node("-e", code)
    assert (r.exit_code, r.out) == (3, "got SIGTERM\n")


def test_script_from_stdin():
    r = node(stdin="console.log('from stdin', 1 + 1)")
    assert r.out == "from stdin 2\n"


def test_stdin_streams_to_the_script():
    code = ("let n = 0; process.stdin.setEncoding('utf8');"
            "process.stdin.on('data', (d) => { n += d.length; process.stdout.write(d.toUpperCase()); });"
            "process.stdin.on('end', () => console.log('bytes', n));")
    r = node("-e", code, stdin="hello\nworld\n")
    assert (r.exit_code, r.out) == (0, "HELLO\nWORLD\nbytes 12\n")


def test_engine_errors_read_in_v8s_words():
    r = node("-e", "try { let o = {}; o.m(); } catch (e) { console.log(e.message); }"
                   "try { const c = 1; c = 2; } catch (e) { console.log(e.message); }")
    assert r.out == "o.m is not a function\nAssignment to constant variable.\n"


def test_crypto_assert_and_binary_data():
    code = r"""
const crypto = require('crypto');
console.log(crypto.createHash('sha256').update('abc').digest('hex'));
console.log(crypto.createHmac('sha1', 'k').update('x').digest('base64'));
console.log(Buffer.from([0, 1, 0, 255]).toString('hex'), Buffer.from('AAEA/w==', 'base64'));
require('fs').writeFileSync('/tmp/bin', Buffer.from([0, 0, 7]));
console.log(require('fs').readFileSync('/tmp/bin'));
const assert = require('assert');
assert.deepStrictEqual({ a: [1] }, { a: [1] });
try { assert.strictEqual(1, 2); } catch (e) { console.log(e.name, e.code); }
require('timers/promises').setTimeout(10, 'v').then((v) => console.log('later', v));
"""
    r = node("-e", code)
    assert r.exit_code == 0, r.err
    assert r.out.splitlines() == [
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "ywATH87GAqj8hEE6KnAVTYwGoNI=",
        "000100ff <Buffer 00 01 00 ff>",
        "<Buffer 00 00 07>",
        "AssertionError ERR_ASSERTION",
        "later v",
    ]
