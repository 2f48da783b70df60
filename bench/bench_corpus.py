#!/usr/bin/python3
"""Time `abi3port check` and `port` on a real project against clang.

A benchmark, not a test: it asserts nothing about speed. Given a checkout
and the `compile_commands.json` of its build (as `bench/real_code.py` takes
them), it runs, on the translation units that include Python.h:

* the reference: `clang-19 -fsyntax-only` on each TU with its own flags, one
  process per TU, serially; the sum of the TUs' times, and the largest peak
  RSS of one of them;
* `abi3port check` and `abi3port port` (verified, diff mode: nothing is
  written) and `port --no-verify`, one process over all TUs (`-p` with a
  database of those TUs), `-j 1`, with a warm cache (after one untimed
  run); then `-j N` for the scaling, and a cold cache (an empty cache
  directory for every run);
* the outputs (check's JSON, port's diff) with a warm cache, a cold one and
  none (`ABI3PORT_NO_PREAMBLE=1`), which must be byte-identical.

Each timing is the median of `--repeat` runs; peak RSS comes from wait4().
Prints one Markdown row per project (`--header` first); `--json` writes
everything. `--table A.json B.json...` merges saved results, with the sums.

Usage:
    /usr/bin/python3 bench/bench_corpus.py CHECKOUT [--db FILE] [--abi3port B]
        [--target 3.11] [--repeat 3] [--jobs 2] [--linear 4] [--json OUT]

Standard library only; not part of CI. See docs/benchmark.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import real_code  # noqa: E402  (compilation database helpers)

CLANG = 'clang-19'


def timed(argv, cwd=None, env=None):
    """(seconds, peak RSS in KiB, exit code, stdout) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss, proc.returncode, out


def clang_pass(tus):
    """Summed seconds and the largest peak RSS of clang over the TUs."""
    total, rss = 0.0, 0
    for e in tus:
        compiler = CLANG if not real_code.abs_file(e).endswith(
            ('.cc', '.cpp', '.cxx', '.C')) else 'clang++-19'
        secs, kib, _, _ = timed([compiler, '-fsyntax-only', '-w'] + real_code.base_args(e)
                                + [real_code.abs_file(e)], cwd=e['directory'])
        total += secs
        rss = max(rss, kib)
    return total, rss


class Bench:
    def __init__(self, opts, tus, db_dir):
        self.o = opts
        self.tus = tus
        self.db_dir = db_dir
        self.files = [real_code.abs_file(e) for e in tus]
        self.warm_cache = tempfile.mkdtemp(prefix='bench-corpus-cache.')

    def argv(self, command, jobs=1, verify=True, files=None):
        a = [self.o.abi3port, command, '--target', self.o.target, '-j', str(jobs),
             '-p', self.db_dir]
        if command == 'check':
            a += ['--format', 'json']
        else:
            a += ['--report-format', 'json', '--report', os.devnull]
            if not verify:
                a.append('--no-verify')
        return a + (self.files if files is None else files)

    def linearity(self, parts):
        """port -j 1 (warm) on the first 1/parts, 2/parts... of the TUs."""
        points = []
        for k in range(1, parts + 1):
            n = max(1, len(self.files) * k // parts)
            files = self.files[:n]
            timed(self.argv('port', files=files), env=self.env('warm'))
            secs, rss, _, _ = self.median(self.argv('port', files=files), 'warm')
            points.append({'tus': n, 'port_s': secs, 'port_rss_kib': rss})
        return points

    def env(self, cache):
        env = dict(os.environ)
        if cache == 'none':
            env['ABI3PORT_NO_PREAMBLE'] = '1'
            env['XDG_CACHE_HOME'] = self.warm_cache
        elif cache == 'cold':
            env['XDG_CACHE_HOME'] = tempfile.mkdtemp(prefix='bench-corpus-cold.')
        else:
            env['XDG_CACHE_HOME'] = self.warm_cache
        return env

    def median(self, argv, cache):
        runs = [timed(argv, env=self.env(cache)) for _ in range(self.o.repeat)]
        return (statistics.median(r[0] for r in runs), max(r[1] for r in runs),
                runs[-1][2], runs[-1][3])

    def run(self):
        r = {'tus': len(self.tus)}
        clang = [clang_pass(self.tus) for _ in range(self.o.repeat)]
        r['clang_s'] = statistics.median(c[0] for c in clang)
        r['clang_rss_kib'] = max(c[1] for c in clang)
        outputs = {}
        for command in ('check', 'port'):
            timed(self.argv(command), env=self.env('warm'))  # warm the cache
            secs, rss, rc, out = self.median(self.argv(command), 'warm')
            r[command + '_s'], r[command + '_rss_kib'], r[command + '_rc'] = secs, rss, rc
            outputs[command] = {'warm': out}
            secs, _, _, out = self.median(self.argv(command, jobs=self.o.jobs), 'warm')
            r[command + '_j%d_s' % self.o.jobs] = secs
            secs, _, _, out = self.median(self.argv(command), 'cold')
            r[command + '_cold_s'] = secs
            outputs[command]['cold'] = out
            _, _, _, out = timed(self.argv(command), env=self.env('none'))
            outputs[command]['none'] = out
        secs, _, _, _ = self.median(self.argv('port', verify=False), 'warm')
        r['port_noverify_s'] = secs
        if self.o.linear and len(self.files) >= self.o.linear:
            r['linear'] = self.linearity(self.o.linear)
        r['identical'] = all(len(set(v.values())) == 1 for v in outputs.values())
        r['differs'] = [c for c, v in outputs.items() if len(set(v.values())) != 1]
        return r


def header(jobs=2):
    return ('| project | TUs | clang s | check s (x clang) | port s (x clang) | '
            'port --no-verify (x) | check cold s | port cold s | check -j%d speed-up | '
            'port -j%d speed-up | RSS clang / port MB | outputs identical |\n'
            '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|' % (jobs, jobs))


def row(name, r, jobs=2):
    c = r['clang_s']
    return ('| %s | %d | %.2f | %.2f (%.2f) | %.2f (%.2f) | %.2f (%.2f) | %.2f | %.2f | '
            '%.2f | %.2f | %d / %d | %s |' % (
                name, r['tus'], c, r['check_s'], r['check_s'] / c, r['port_s'],
                r['port_s'] / c, r['port_noverify_s'], r['port_noverify_s'] / c,
                r['check_cold_s'], r['port_cold_s'],
                r['check_s'] / r['check_j%d_s' % jobs], r['port_s'] / r['port_j%d_s' % jobs],
                r['clang_rss_kib'] // 1024, r['port_rss_kib'] // 1024,
                'yes' if r['identical'] else 'NO: ' + ', '.join(r['differs'])))


def table(paths):
    results = []
    for p in paths:
        with open(p) as f:
            results.append(json.load(f))
    jobs = results[0].get('jobs', 2) if results else 2
    print(header(jobs))
    for res in results:
        print(row(res['project'], res['result'], jobs))
    if results:
        rs = [res['result'] for res in results]
        c = sum(r['clang_s'] for r in rs)
        ch = sum(r['check_s'] for r in rs)
        po = sum(r['port_s'] for r in rs)
        nv = sum(r['port_noverify_s'] for r in rs)
        print('| **sum** | %d | %.2f | %.2f (**%.2f**) | %.2f (**%.2f**) | %.2f (%.2f) | %.2f | '
              '%.2f | | | | %d/%d |' % (
                  sum(r['tus'] for r in rs), c, ch, ch / c, po, po / c, nv, nv / c,
                  sum(r['check_cold_s'] for r in rs), sum(r['port_cold_s'] for r in rs),
                  sum(r['identical'] for r in rs), len(rs)))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('checkout', nargs='?')
    ap.add_argument('--db', help='compile_commands.json (default: CHECKOUT/compile_commands.json)')
    ap.add_argument('--db-root', help='the directory the database paths start with')
    ap.add_argument('--abi3port', default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'build', 'abi3port'))
    ap.add_argument('--target', default='3.11')
    ap.add_argument('--repeat', type=int, default=1)
    ap.add_argument('--jobs', type=int, default=2, help='the -j of the scaling runs')
    ap.add_argument('--linear', type=int, default=0, metavar='K',
                    help='also time port on 1/K, 2/K... of the TUs (time and RSS against TUs)')
    ap.add_argument('--name')
    ap.add_argument('--json')
    ap.add_argument('--header', action='store_true', help='print the table header first')
    ap.add_argument('--table', nargs='+', metavar='JSON')
    o = ap.parse_args(argv)
    if o.table:
        table(o.table)
        return 0
    if not o.checkout:
        ap.error('a checkout is needed')
    root = os.path.realpath(o.checkout)
    o.abi3port = os.path.realpath(o.abi3port)
    entries = real_code.load_db(o.db or os.path.join(root, 'compile_commands.json'))
    if o.db_root:
        entries = real_code.rewrite_db(entries, o.db_root, root)
    tus = real_code.python_tus(real_code.unique_entries(entries, root), 2)
    if not tus:
        print('bench_corpus: no translation unit includes Python.h', file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix='bench-corpus-db.') as db_dir:
        real_code.write_db(tus, db_dir)
        result = Bench(o, tus, db_dir).run()
    name = o.name or os.path.basename(root)
    if o.header:
        print(header(o.jobs))
    print(row(name, result, o.jobs))
    for point in result.get('linear', []):
        print('  port on %d TUs: %.2f s, %d MB' % (point['tus'], point['port_s'],
                                                 point['port_rss_kib'] // 1024))
    if o.json:
        with open(o.json, 'w') as f:
            json.dump({'project': name, 'jobs': o.jobs, 'abi3port': o.abi3port,
                       'target': o.target, 'result': result}, f, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
