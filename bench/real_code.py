#!/usr/bin/python3
"""Measure `abi3port port` on a real extension project.

Given a checkout of an extension project and the `compile_commands.json` of its
build (captured with `bear -- <build command>`), this script works on copies of
the tree (the checkout is never modified) and measures, for each port run
(default: `--target 3.11` with the default state, and `--target 3.10 --state
global`):

  E0, E1     limited-API error lines before and after the port (each TU's
             command with `-fsyntax-only -DPy_LIMITED_API=<target>`, clang-19:
             `error:` lines plus implicit-function-declaration warnings in
             files of the tree; one line counted once, whichever TU shows it;
             an error in a header outside the tree, such as CPython's
             internal/ headers, counts at the tree's line that includes it);
  outside    the E1 lines no report finding covers (same file, line inside the
             finding's line range);
  new err/warn  diagnostics under the full API (`-fsyntax-only -Wall`, gcc and
             clang-19) of the port minus those of the original, compared as
             multisets of (file, kind, message) so line shifts do not count;
  tests      the project's test results before and after (--build/--test),
             and a `python -W error` import (--import);
  idem       a second `port` on the ported tree: exit code and diff lines;
  abi3       where E1 is 0: a build with -DPy_LIMITED_API (the build command
             with CFLAGS, or the TUs compiled directly), the undefined
             Py*/_Py* symbols that are not in the Stable ABI up to the target,
             and the tests on that build.

It prints one Markdown table row per run, and writes everything with --json.
`--table A.json B.json ...` merges saved results into one table.

Python 3 standard library only; not part of CI. See docs/real-code.md.
"""

import argparse
import collections
import concurrent.futures
import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

CLANG = 'clang-19'
GCC = 'gcc'
DEFAULT_RUNS = ['3.11', '3.10:global']
COPY_EXCLUDES = ['.git', '.hg', '.tox', '.nox', '.venv', '__pycache__',
                 '.pytest_cache', '.mypy_cache']
SOURCE_EXTS = ('.c', '.h', '.cc', '.cpp', '.cxx', '.hpp', '.hh', '.inc',
               '.inl', '.i')

DIAG_RE = re.compile(
    r'^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?:(?P<col>\d+):)? '
    r'(?P<kind>fatal error|error|warning): (?P<msg>.*)$')


def log(*args):
    print('[real_code]', *args, file=sys.stderr, flush=True)


def limited_hex(target):
    major, minor = (int(x) for x in target.split('.')[:2])
    return '0x%02X%02X0000' % (major, minor)


# ---------------------------------------------------------------------------
# Compilation database


def entry_args(entry):
    if 'arguments' in entry:
        return list(entry['arguments'])
    return shlex.split(entry['command'])


def load_db(path):
    with open(path) as f:
        return json.load(f)


def rewrite_db(entries, old_root, new_root):
    """The database with every occurrence of old_root replaced by new_root."""
    old_root = old_root.rstrip('/')
    new_root = new_root.rstrip('/')

    def fix(s):
        if s == old_root or s.startswith(old_root + '/'):
            return new_root + s[len(old_root):]
        return s.replace(old_root + '/', new_root + '/')

    out = []
    for e in entries:
        n = {'directory': fix(e['directory']),
             'arguments': [fix(a) for a in entry_args(e)],
             'file': fix(e['file'])}
        if 'output' in e:
            n['output'] = fix(e['output'])
        out.append(n)
    return out


def abs_file(entry):
    f = entry['file']
    if not os.path.isabs(f):
        f = os.path.join(entry['directory'], f)
    return os.path.normpath(f)


STRIP_WITH_VALUE = {'-o', '-MF', '-MT', '-MQ'}
STRIP_ALONE = {'-c', '-M', '-MM', '-MD', '-MMD', '-MP', '-MG', '-S', '-E'}


def base_args(entry):
    """The TU's compiler arguments without the compiler, output and
    dependency-file options."""
    args = entry_args(entry)[1:]
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a in STRIP_WITH_VALUE:
            skip = True
            continue
        if a in STRIP_ALONE:
            continue
        if a.startswith('-o') and len(a) > 2:
            continue
        if a.startswith(('-MF', '-MT', '-MQ')) and len(a) > 3:
            continue
        if a.startswith('-Werror'):
            continue
        out.append(a)
    return out


def unique_entries(entries, root):
    """Entries for files inside root, one per (file, arguments)."""
    seen = set()
    out = []
    for e in entries:
        f = abs_file(e)
        if not (f + '/').startswith(root.rstrip('/') + '/'):
            continue
        key = (f, tuple(base_args(e)))
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
    return out


# ---------------------------------------------------------------------------
# Running things


def run(cmd, cwd, env=None, timeout=None, shell=False):
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, shell=shell,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
        out = p.stdout.decode('utf-8', 'replace')
        err = p.stderr.decode('utf-8', 'replace')
        rc = p.returncode
    except subprocess.TimeoutExpired as ex:
        out = (ex.stdout or b'').decode('utf-8', 'replace')
        err = (ex.stderr or b'').decode('utf-8', 'replace') + '\nTIMEOUT'
        rc = 'timeout'
    return rc, out, err, time.monotonic() - t0


def compiler_env():
    env = dict(os.environ)
    env['LC_ALL'] = 'C'
    env['LANG'] = 'C'
    return env


def parallel(fn, items, jobs):
    if jobs <= 1:
        return [fn(i) for i in items]
    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        return list(ex.map(fn, items))


INCLUDED_FROM_RE = re.compile(r'^In file included from (?P<file>[^:]+):(?P<line>\d+)[:,]')


def parse_diags(text, cwd, root=None):
    """(file, line, col, kind, msg) for each diagnostic. With `root`, one in
    a file outside the tree (a CPython header) is attributed to the line of
    the tree that includes it, innermost first, the header named in msg."""
    out = []
    frames = []
    chains = {}  # header -> its last include chain (clang prints it once)
    for line in text.splitlines():
        m = INCLUDED_FROM_RE.match(line)
        if m:
            f = m.group('file')
            frames.append((os.path.normpath(os.path.join(cwd, f)), int(m.group('line'))))
            continue
        m = DIAG_RE.match(line)
        if not m:
            continue
        f = m.group('file')
        if not os.path.isabs(f):
            f = os.path.join(cwd, f)
        f = os.path.normpath(f)
        kind = 'error' if 'error' in m.group('kind') else 'warning'
        pos, msg = (f, int(m.group('line')), int(m.group('col') or 0)), m.group('msg').strip()
        if frames:
            chains[f] = frames
        if root and not in_tree(f, root):
            inside = [fr for fr in chains.get(f, []) if in_tree(fr[0], root)]
            if inside:
                msg = 'in %s: %s' % (f, msg)
                pos = (inside[-1][0], inside[-1][1], 0)
        frames = []
        out.append(pos + (kind, msg))
    return out


def syntax_check(entries, compiler, extra, jobs, root=None):
    """Diagnostics of every entry: a set of (file, line, col, kind, msg),
    and the total seconds."""
    env = compiler_env()

    def one(e):
        cmd = [compiler] + base_args(e) + ['-fsyntax-only'] + extra
        if compiler.startswith('clang'):
            cmd.append('-ferror-limit=0')
        rc, out, err, secs = run(cmd, cwd=e['directory'], env=env)
        return parse_diags(err + out, e['directory'], root), secs

    results = parallel(one, entries, jobs)
    diags = set()
    secs = 0.0
    for d, s in results:
        diags.update(d)
        secs += s
    return diags, secs


def rel(path, root):
    root = root.rstrip('/') + '/'
    return path[len(root):] if path.startswith(root) else path


def in_tree(path, root):
    return path.startswith(root.rstrip('/') + '/')


def limited_errors(entries, root, target, jobs):
    """Limited-API error lines: (relfile, line, col, msg)."""
    diags, secs = syntax_check(
        entries, CLANG, ['-DPy_LIMITED_API=' + limited_hex(target)], jobs, root)
    out = set()
    for f, line, col, kind, msg in diags:
        if kind == 'error' or (in_tree(f, root) and
                               'implicit-function-declaration' in msg):
            out.add((rel(f, root), line, col, msg))
    return sorted(out), secs


def full_api_counter(diags, root):
    c = collections.Counter()
    for f, line, col, kind, msg in diags:
        c[(rel(f, root), kind, msg)] += 1
    return c


def python_tus(entries, jobs):
    """Entries whose TU includes Python.h (found with `gcc -M`)."""
    env = compiler_env()

    def one(e):
        cmd = [GCC] + base_args(e) + ['-M']
        rc, out, err, _ = run(cmd, cwd=e['directory'], env=env)
        if rc != 0:
            # Cannot preprocess: keep it if it names Python.h itself.
            try:
                with open(abs_file(e), errors='replace') as f:
                    return 'Python.h' in f.read()
            except OSError:
                return False
        return re.search(r'[/\s]Python\.h\b', out) is not None

    keep = parallel(one, entries, jobs)
    return [e for e, k in zip(entries, keep) if k]


# ---------------------------------------------------------------------------
# Trees


def copy_tree(src, dst, excludes):
    def ignore(d, names):
        return [n for n in names if any(fnmatch.fnmatch(n, p)
                                        for p in excludes)]
    shutil.copytree(src, dst, symlinks=True, ignore=ignore)


def write_db(entries, directory):
    with open(os.path.join(directory, 'compile_commands.json'), 'w') as f:
        json.dump(entries, f, indent=1)


def changed_files(a, b):
    """Source files whose content differs between trees a and b."""
    out = []
    for d, dirs, files in os.walk(b):
        dirs[:] = [x for x in dirs if x not in COPY_EXCLUDES]
        for n in files:
            if not n.endswith(SOURCE_EXTS):
                continue
            pb = os.path.join(d, n)
            pa = os.path.join(a, os.path.relpath(pb, b))
            try:
                with open(pb, 'rb') as fb:
                    cb = fb.read()
                with open(pa, 'rb') as fa:
                    ca = fa.read()
            except OSError:
                out.append(os.path.relpath(pb, b))
                continue
            if ca != cb:
                out.append(os.path.relpath(pb, b))
    return sorted(out)


LIMITED_DEFINE_RE = re.compile(r'^[ \t]*#[ \t]*define[ \t]+Py_LIMITED_API\b',
                               re.M)


def defines_limited(path):
    try:
        with open(path, errors='replace') as f:
            return LIMITED_DEFINE_RE.search(f.read()) is not None
    except OSError:
        return False


def remove_so(root):
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x not in COPY_EXCLUDES]
        for n in files:
            if n.endswith('.so') or '.so.' in n:
                os.unlink(os.path.join(d, n))


def find_so(root):
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x not in COPY_EXCLUDES]
        for n in files:
            if n.endswith('.so'):
                out.append(os.path.join(d, n))
    return sorted(out)


# ---------------------------------------------------------------------------
# Tests

PYTEST_WORDS = ('passed', 'failed', 'errors', 'error', 'skipped', 'xfailed',
                'xpassed', 'deselected', 'warnings', 'warning')


def parse_test_output(text):
    """Counts from a pytest summary line or a unittest footer, or None."""
    lines = text.splitlines()
    for line in reversed(lines):
        s = line.strip().strip('=').strip()
        if not re.search(r'\b(passed|failed|skipped|error|errors|'
                         r'no tests ran)\b', s):
            continue
        if not re.search(r' in [\d.]+s', s) and 'no tests ran' not in s:
            continue
        counts = {}
        for n, w in re.findall(r'(\d+) (\w+)', s):
            if w in PYTEST_WORDS:
                w = {'error': 'errors', 'warning': 'warnings'}.get(w, w)
                counts[w] = counts.get(w, 0) + int(n)
        if counts or 'no tests ran' in s:
            return counts
    # unittest
    ran = None
    for line in lines:
        m = re.match(r'Ran (\d+) tests? in', line)
        if m:
            ran = int(m.group(1))
    if ran is not None:
        counts = {'passed': ran}
        for line in reversed(lines):
            m = re.match(r'(OK|FAILED)\b(?: \((.*)\))?', line.strip())
            if m:
                for k, v in re.findall(r'(\w+)=(\d+)', m.group(2) or ''):
                    key = {'failures': 'failed', 'errors': 'errors',
                           'skipped': 'skipped',
                           'expected failures': 'xfailed'}.get(k, k)
                    counts[key] = counts.get(key, 0) + int(v)
                    if key in ('failed', 'errors', 'skipped'):
                        counts['passed'] -= int(v)
                break
        return counts
    return None


def run_tests(cmd, cwd, env, timeout):
    rc, out, err, secs = run(cmd, cwd=cwd, env=env, timeout=timeout,
                             shell=True)
    counts = parse_test_output(out + '\n' + err)
    res = {'rc': rc, 'seconds': round(secs, 1), 'counts': counts}
    signalled = isinstance(rc, int) and (rc < 0 or rc > 128)
    if rc == 'timeout':
        res['crash'] = 'timeout'
    elif counts is None and rc != 0:
        res['crash'] = 'signal %d' % (-rc if rc < 0 else rc - 128) \
            if signalled else 'exit %d, no summary' % rc
    elif signalled:
        res['crash'] = 'signal %d' % (-rc if rc < 0 else rc - 128)
    failing = set()
    for line in (out + '\n' + err).splitlines():
        m = re.match(r'(FAILED|ERROR) (\S+)', line)
        if m:
            failing.add(m.group(2))
    res['failing'] = sorted(failing)
    if rc != 0 or counts is None:
        res['tail'] = (out + err).strip().splitlines()[-15:]
    return res


def import_check(python, code, cwd, env):
    rc, out, err, _ = run([python, '-W', 'error', '-c', code], cwd=cwd,
                          env=env, timeout=300)
    if rc == 0:
        return 'ok'
    lines = [x for x in err.strip().splitlines() if x.strip()]
    if isinstance(rc, int) and rc < 0:
        return 'signal %d' % -rc
    return 'fail: ' + (lines[-1] if lines else 'exit %s' % rc)


# ---------------------------------------------------------------------------
# Stable ABI


def stable_abi_names(toml_path, target):
    """Functions and data of the Stable ABI added up to target."""
    tmaj, tmin = (int(x) for x in target.split('.')[:2])
    names = set()
    kind = name = None
    with open(toml_path) as f:
        for line in f:
            m = re.match(r'\[(\w+)\.([A-Za-z_]\w*)\]', line)
            if m:
                kind, name = m.group(1), m.group(2)
                continue
            m = re.match(r"\s*added\s*=\s*'(\d+)\.(\d+)'", line)
            if m and kind in ('function', 'data'):
                if (int(m.group(1)), int(m.group(2))) <= (tmaj, tmin):
                    names.add(name)
    return names


def undefined_py_symbols(paths):
    syms = set()
    for p in paths:
        args = ['nm', '--undefined-only']
        if p.endswith('.so'):
            args.append('-D')
        rc, out, err, _ = run(args + [p], cwd='/')
        for line in out.splitlines():
            parts = line.split()
            if parts and re.match(r'_?Py', parts[-1]):
                syms.add(parts[-1].split('@')[0])
    return syms


# ---------------------------------------------------------------------------
# The measurement


class Measure:
    def __init__(self, opts):
        self.o = opts
        self.src = os.path.realpath(opts.checkout)
        self.work = opts.workdir or tempfile.mkdtemp(prefix='real_code-')
        os.makedirs(self.work, exist_ok=True)
        db_path = opts.db or os.path.join(self.src, 'compile_commands.json')
        self.db = load_db(db_path)
        self.db_root = os.path.realpath(opts.db_root or self.src)
        self.name = opts.name or os.path.basename(self.src)
        self.timeout = opts.timeout

    # -- trees --------------------------------------------------------------
    def make_copy(self, label, from_tree=None):
        dst = os.path.join(self.work, label)
        if os.path.exists(dst):
            shutil.rmtree(dst)
        copy_tree(from_tree or self.src, dst, COPY_EXCLUDES)
        entries = rewrite_db(self.db, self.db_root, dst)
        write_db(entries, dst)
        return dst, entries

    def select(self, entries, root):
        entries = unique_entries(entries, root)
        if self.o.files:
            want = {os.path.normpath(os.path.join(root, f))
                    for f in self.o.files}
            entries = [e for e in entries if abs_file(e) in want]
        elif not self.o.all_tus:
            entries = python_tus(entries, self.o.jobs)
        return entries

    def env(self, root, extra=None):
        env = dict(os.environ)
        env['SRC'] = root
        env['PYTHON'] = self.o.python
        pp = [os.path.join(root, p) for p in self.o.pythonpath]
        if pp:
            env['PYTHONPATH'] = os.pathsep.join(
                pp + ([env['PYTHONPATH']] if env.get('PYTHONPATH') else []))
        if extra:
            env.update(extra)
        return env

    # -- build and tests ----------------------------------------------------
    def build_and_test(self, root, extra_env=None):
        res = {}
        env = self.env(root, extra_env)
        if self.o.build:
            remove_so(root)
            rc, out, err, secs = run(self.o.build, cwd=root, env=env,
                                     timeout=self.timeout, shell=True)
            sos = find_so(root)
            res['build'] = {'rc': rc, 'seconds': round(secs, 1),
                            'so': [rel(s, root) for s in sos]}
            if rc != 0 or not sos:
                res['build']['tail'] = (out + err).strip().splitlines()[-20:]
                res['build_ok'] = False
                return res
            res['build_ok'] = True
        if self.o.test:
            res['tests'] = run_tests(self.o.test, root, env, self.timeout)
        if self.o.import_mod or self.o.import_code:
            code = self.o.import_prelude + '\n' if self.o.import_prelude \
                else ''
            code += self.o.import_code or '\n'.join(
                'import ' + m for m in self.o.import_mod)
            res['import'] = import_check(self.o.python, code, root, env)
        return res

    def port_cmd(self, target, state, files, in_place, report=None):
        cmd = [self.o.abi3port, 'port', '--target', target]
        if state:
            cmd += ['--state', state]
        if in_place:
            cmd.append('--in-place')
        if report:
            cmd += ['--report', report, '--report-format', 'json']
        if self.o.python_include:
            cmd += ['--python-include', self.o.python_include]
        cmd += self.o.port_arg
        cmd += ['-p', '.'] + files
        return cmd

    # -- abi3 ---------------------------------------------------------------
    def abi3(self, ported_root, label, target, entries_rel):
        dst, entries = self.make_copy(label, from_tree=ported_root)
        # make_copy rewrote from db_root; the ported tree's db is already
        # relative to it, so rewrite again from the ported root.
        entries = rewrite_db(load_db(os.path.join(ported_root,
                                                  'compile_commands.json')),
                             ported_root, dst)
        write_db(entries, dst)
        flag = '-DPy_LIMITED_API=' + limited_hex(target)
        res = {}
        if self.o.build:
            cflags = (os.environ.get('CFLAGS', '') + ' ' + flag).strip()
            res = self.build_and_test(dst, {'CFLAGS': cflags})
            if not res.get('build_ok'):
                return res
            binaries = find_so(dst)
        else:
            # every TU of the tree: the Python ones and the plain C they link
            tus = unique_entries(entries, dst)
            objs = []
            env = compiler_env()
            failed = []
            for i, e in enumerate(tus):
                obj = os.path.join(dst, '.real_code_%d.o' % i)
                cmd = [GCC] + base_args(e) + [flag, '-c', '-o', obj]
                rc, out, err, _ = run(cmd, cwd=e['directory'], env=env)
                if rc != 0:
                    failed.append(rel(abs_file(e), dst))
                else:
                    objs.append(obj)
            res['build'] = {'rc': 1 if failed else 0, 'objects': len(objs),
                            'failed': failed}
            res['build_ok'] = not failed
            binaries = objs
            if self.o.link and objs:
                so = os.path.join(dst, self.name + '.abi3.so')
                rc, out, err, _ = run([GCC, '-shared', '-o', so] + objs,
                                      cwd=dst, env=env)
                res['link_rc'] = rc
                if rc != 0:
                    res['link_tail'] = err.strip().splitlines()[-10:]
                if rc == 0:
                    binaries = [so]
        stable = stable_abi_names(self.o.stable_abi, target)
        syms = undefined_py_symbols(binaries)
        res['undefined_py'] = len(syms)
        res['not_stable'] = sorted(s for s in syms if s not in stable)
        return res

    # -- one port run -------------------------------------------------------
    def port_run(self, spec, base_root, base_entries, tus_rel, before):
        target, _, state = spec.partition(':')
        label = 'port-%s%s' % (target, '-' + state if state else '')
        log(self.name, label, ': copying')
        root, entries = self.make_copy(label)
        tus = [e for e in unique_entries(entries, root)
               if rel(abs_file(e), root) in tus_rel]
        files = sorted({rel(abs_file(e), root) for e in tus})
        report_path = os.path.join(root, '.real_code_report.json')
        cmd = self.port_cmd(target, state, files, True, report_path)
        log(self.name, label, ': port')
        rc, out, err, secs = run(cmd, cwd=root, timeout=self.timeout)
        r = {'run': label, 'target': target, 'state': state or 'default',
             'port_rc': rc, 'port_seconds': round(secs, 2),
             'port_stderr_tail': err.strip().splitlines()[-10:]}
        findings = []
        try:
            with open(report_path) as f:
                report = json.load(f)
            os.unlink(report_path)
            findings = report.get('findings', [])
        except (OSError, ValueError) as ex:
            r['report_error'] = str(ex)
        r['findings'] = len(findings)
        r['blockers'] = sum(1 for x in findings if x.get('blocker'))
        r['changed_files'] = changed_files(base_root, root)
        r['limited_tus'] = sum(1 for f in files
                               if defines_limited(os.path.join(root, f)) and
                               not defines_limited(os.path.join(base_root, f)))
        r['port_files'] = len(files)

        # limited API after
        log(self.name, label, ': limited-API check')
        e1, e1_secs = limited_errors(tus, root, target, self.o.jobs)
        ranges = collections.defaultdict(list)
        for x in findings:
            f = os.path.normpath(os.path.join(root, x['file']))
            ranges[rel(f, root)].append((x.get('line', 0),
                                         x.get('end_line', x.get('line', 0))))
        outside = [d for d in e1
                   if not any(a <= d[1] <= b for a, b in ranges.get(d[0], []))]
        r['E0'] = len(before['limited'][target])
        r['E1'] = len(e1)
        r['E1_outside'] = len(outside)
        r['E1_outside_list'] = ['%s:%d:%d: %s' % d for d in outside[:100]]
        r['E1_list'] = ['%s:%d:%d: %s' % d for d in e1[:100]]

        # full API
        log(self.name, label, ': full-API checks')
        for cc in (GCC, CLANG):
            diags, _ = syntax_check(tus, cc, ['-Wall'], self.o.jobs)
            new = full_api_counter(diags, root) - before['full'][cc]
            key = 'gcc' if cc == GCC else 'clang'
            r['new_errors_' + key] = sum(v for k, v in new.items()
                                         if k[1] == 'error')
            r['new_warnings_' + key] = sum(v for k, v in new.items()
                                           if k[1] == 'warning')
            examples = []
            for f, line, col, kind, msg in sorted(diags):
                if (rel(f, root), kind, msg) in new:
                    examples.append('%s:%d:%d: %s: %s' % (rel(f, root), line,
                                                         col, kind, msg))
            r['new_diags_' + key] = examples[:40]

        # idempotence
        log(self.name, label, ': idempotence')
        cmd2 = self.port_cmd(target, state, files, False)
        rc2, out2, err2, _ = run(cmd2, cwd=root, timeout=self.timeout)
        r['idem_rc'] = rc2
        r['idem_diff_lines'] = len(out2.splitlines())
        if out2:
            r['idem_diff_head'] = out2.splitlines()[:30]
        if rc2 not in (0, 1):
            r['idem_stderr_tail'] = err2.strip().splitlines()[-10:]

        # build and tests
        if self.o.build or self.o.test or self.o.import_mod \
                or self.o.import_code:
            log(self.name, label, ': build and tests')
            r['after'] = self.build_and_test(root)

        # the patch series and the fixes YAML, against the in-place port
        if self.o.series:
            log(self.name, label, ': patch series')
            r['series'] = self.series(target, state, files, tus_rel, root, before)

        # abi3
        if not e1 and not self.o.no_abi3:
            log(self.name, label, ': abi3 build')
            r['abi3'] = self.abi3(root, label + '-abi3', target, tus_rel)
        return r

    # -- the patch series (--series) ---------------------------------------
    def series(self, target, state, files, tus_rel, in_place_root, before):
        """`port --patches` on a git copy of the original: `git am` each
        patch, check the full API after each (new errors and warnings, gcc
        and clang, -Wall), and compare the last tree with the in-place port;
        then `--export-fixes` applied by clang-apply-replacements-19."""
        label = 'series-%s%s' % (target, '-' + state if state else '')
        root, entries = self.make_copy(label)
        tus = [e for e in unique_entries(entries, root)
               if rel(abs_file(e), root) in tus_rel]
        git = ['git', '-c', 'user.name=real_code', '-c',
               'user.email=real_code@invalid', '-c', 'commit.gpgsign=false']
        for cmd in (git + ['init', '-q'], git + ['add', '-A', '-f', '.'],
                    git + ['commit', '-q', '-m', 'original']):
            run(cmd, cwd=root)
        patches = os.path.join(self.work, label + '-patches')
        cmd = self.port_cmd(target, state, files, False)
        cmd[2:2] = ['--patches', patches]
        rc, out, err, secs = run(cmd, cwd=root, timeout=self.timeout)
        res = {'rc': rc, 'seconds': round(secs, 2), 'patches': 0, 'applied': 0,
               'step_new_errors': 0, 'step_new_warnings': 0, 'steps': []}
        names = sorted(os.listdir(patches)) if os.path.isdir(patches) else []
        res['patches'] = len(names)
        for name in names:
            arc, aout, aerr, _ = run(git + ['am', '-q', os.path.join(patches, name)],
                                     cwd=root)
            step = {'patch': name, 'am_rc': arc}
            if arc != 0:
                step['am_tail'] = (aout + aerr).strip().splitlines()[-5:]
                res['steps'].append(step)
                break
            res['applied'] += 1
            for cc in (GCC, CLANG):
                diags, _ = syntax_check(tus, cc, ['-Wall'], self.o.jobs)
                new = full_api_counter(diags, root) - before['full'][cc]
                errors = sum(v for k, v in new.items() if k[1] == 'error')
                warnings = sum(v for k, v in new.items() if k[1] == 'warning')
                step['new_' + ('gcc' if cc == GCC else 'clang')] = [errors, warnings]
                res['step_new_errors'] = max(res['step_new_errors'], errors)
                res['step_new_warnings'] = max(res['step_new_warnings'], warnings)
                if new:
                    step.setdefault('new_diags', []).extend(
                        '%s: %s: %s' % k for k in list(new)[:10])
            res['steps'].append(step)
        res['equals_in_place'] = (res['applied'] == res['patches'] and
                                  not changed_files(in_place_root, root))
        res['differs'] = changed_files(in_place_root, root)[:20]
        # the clang-tidy fixes YAML
        yroot, _ = self.make_copy(label + '-yaml')
        ydir = os.path.join(self.work, label + '-yaml-fixes')
        os.makedirs(ydir, exist_ok=True)
        cmd = self.port_cmd(target, state, files, False)
        cmd[2:2] = ['--export-fixes', os.path.join(ydir, 'fixes.yaml')]
        run(cmd, cwd=yroot, timeout=self.timeout)
        arc, _, aerr, _ = run(['clang-apply-replacements-19', ydir], cwd=yroot)
        res['yaml_rc'] = arc
        res['yaml_equals_in_place'] = arc == 0 and not changed_files(in_place_root, yroot)
        return res

    def measure(self):
        t0 = time.monotonic()
        log(self.name, ': copying the original')
        base_root, base_entries = self.make_copy('original')
        tus = self.select(base_entries, base_root)
        tus_rel = {rel(abs_file(e), base_root) for e in tus}
        result = {'project': self.name, 'checkout': self.src,
                  'abi3port': self.o.abi3port,
                  'tus': len(tus), 'files': sorted(tus_rel), 'runs': []}
        if not tus:
            result['error'] = 'no translation unit that includes Python.h'
            return result
        before = {'limited': {}, 'full': {}}
        targets = sorted({s.partition(':')[0] for s in self.o.run})
        for t in targets:
            log(self.name, ': limited-API check of the original at', t)
            e0, _ = limited_errors(tus, base_root, t, self.o.jobs)
            before['limited'][t] = e0
            result.setdefault('E0_lists', {})[t] = ['%s:%d:%d: %s' % d
                                                    for d in e0[:100]]
        for cc in (GCC, CLANG):
            log(self.name, ': full-API check of the original,', cc)
            diags, secs = syntax_check(tus, cc, ['-Wall'], self.o.jobs)
            before['full'][cc] = full_api_counter(diags, base_root)
            if cc == CLANG:
                result['clang_syntax_seconds'] = round(secs, 2)
        if self.o.build or self.o.test or self.o.import_mod \
                or self.o.import_code:
            log(self.name, ': baseline build and tests')
            result['before'] = self.build_and_test(base_root)
        for spec in self.o.run:
            result['runs'].append(self.port_run(spec, base_root, base_entries,
                                                tus_rel, before))
        result['seconds'] = round(time.monotonic() - t0, 1)
        if not self.o.keep:
            shutil.rmtree(self.work, ignore_errors=True)
        else:
            result['workdir'] = self.work
        return result


# ---------------------------------------------------------------------------
# Table

COLUMNS = ['project', 'run', 'E0', 'port rc', 'findings (blockers)', 'E1',
           'E1 outside report', 'TUs given Py_LIMITED_API', 'new err gcc/clang', 'new warn gcc/clang',
           'files changed', 'tests before', 'tests after',
           'import before/after', 'idempotent (rc, diff lines)',
           'abi3 (non-stable syms; tests)', 'port s / clang s',
           'series (am/patches; step new err/warn; = in-place; YAML)']


def new_failing(before, after):
    """Tests that fail after but not before (pytest's short summary)."""
    try:
        return sorted(set(after['tests']['failing']) -
                      set(before['tests']['failing']))
    except (KeyError, TypeError):
        return []


def fmt_tests(res, before=None):
    s = fmt_tests1(res)
    new = new_failing(before, res) if before else []
    if new:
        s += ' (**%d new failing**)' % len(new)
    return s


def fmt_tests1(res):
    if res is None:
        return '-'
    if res.get('build_ok') is False:
        return '**build failed**'
    t = res.get('tests')
    if t is None:
        return '-'
    if t.get('crash'):
        c = t.get('counts') or {}
        return '**crash** (%s)%s' % (t['crash'], (' ' + fmt_counts(c))
                                     if c else '')
    return fmt_counts(t.get('counts') or {})


def fmt_counts(c):
    parts = ['%dp' % c.get('passed', 0)]
    for k, a in (('failed', 'f'), ('errors', 'e'), ('skipped', 's'),
                 ('xfailed', 'xf'), ('xpassed', 'xp')):
        if c.get(k):
            parts.append('%d%s' % (c[k], a))
    return ' '.join(parts)


def fmt_import(res):
    if not res or 'import' not in res:
        return '-'
    v = res['import']
    return 'ok' if v == 'ok' else '**%s**' % v[:60].replace('|', '\\|')


def rows(result):
    out = []
    before = result.get('before')
    clang_s = result.get('clang_syntax_seconds')
    if result.get('error'):
        return ['| %s | - | %s |' % (result['project'], result['error'])
                + ' |' * (len(COLUMNS) - 3)]
    for r in result['runs']:
        after = r.get('after')
        abi3 = r.get('abi3')
        if abi3 is None:
            abi3_s = '-'
        elif abi3.get('build_ok') is False:
            abi3_s = '**build failed**'
        else:
            ns = abi3.get('not_stable', [])
            abi3_s = '%d%s; %s' % (len(ns), (' (' + ', '.join(ns[:4]) +
                                             ('...' if len(ns) > 4 else '') +
                                             ')') if ns else '',
                                   fmt_tests(abi3, before) if 'tests' in abi3
                                   else '-')
        # exit 1 only says blocking sites remain; the diff must be empty
        if r['idem_rc'] in (0, 1) and r['idem_diff_lines'] == 0:
            idem = 'yes'
        else:
            idem = '**no** (rc %s, %d lines)' % (r['idem_rc'],
                                                r['idem_diff_lines'])
        ratio = ''
        if clang_s:
            ratio = '%.1f / %.1f' % (r['port_seconds'], clang_s)
        imp = '%s / %s' % (fmt_import(before), fmt_import(after))
        if imp == '- / -':
            imp = '-'
        sr = r.get('series')
        if sr is None:
            series = '-'
        else:
            series = '%d/%d; %d/%d; %s; %s' % (
                sr['applied'], sr['patches'], sr['step_new_errors'],
                sr['step_new_warnings'],
                'yes' if sr['equals_in_place'] else '**no**',
                'yes' if sr['yaml_equals_in_place'] else '**no**')
        cells = [result['project'], r['run'], r['E0'], r['port_rc'],
                 '%d (%d)' % (r['findings'], r['blockers']), r['E1'],
                 r['E1_outside'],
                 '%s/%s' % (r.get('limited_tus', '?'), r.get('port_files', '?')),
                 '%d / %d' % (r['new_errors_gcc'], r['new_errors_clang']),
                 '%d / %d' % (r['new_warnings_gcc'], r['new_warnings_clang']),
                 len(r['changed_files']), fmt_tests(before),
                 fmt_tests(after, before),
                 imp, idem, abi3_s, ratio, series]
        out.append('| ' + ' | '.join(str(c) for c in cells) + ' |')
    return out


def header():
    return ['| ' + ' | '.join(COLUMNS) + ' |',
            '|' + '---|' * len(COLUMNS)]


# ---------------------------------------------------------------------------


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='See docs/real-code.md.')
    ap.add_argument('checkout', nargs='?',
                    help='the project checkout (never modified)')
    ap.add_argument('--table', nargs='+', metavar='JSON',
                    help='merge saved --json results into one table')
    ap.add_argument('--abi3port', default=os.environ.get('ABI3PORT') or
                    shutil.which('abi3port') or
                    os.path.join(here, '..', 'build', 'abi3port'))
    ap.add_argument('--db', help='compile_commands.json (default: in the '
                    'checkout)')
    ap.add_argument('--db-root', help='the directory the database paths '
                    'name (default: the checkout)')
    ap.add_argument('--files', nargs='+', metavar='FILE',
                    help='TUs to port, relative to the checkout (default: '
                    'the database TUs that include Python.h)')
    ap.add_argument('--all-tus', action='store_true',
                    help='take every database TU in the tree')
    ap.add_argument('--python-include', help='passed to abi3port port')
    ap.add_argument('--port-arg', action='append', default=[],
                    help='extra argument for abi3port port (repeatable)')
    ap.add_argument('--run', action='append', metavar='TARGET[:STATE]',
                    help='a port run (repeatable; default: 3.11 and '
                    '3.10:global)')
    ap.add_argument('--build', help='shell command that builds the '
                    'extension in place (run in each copy; $SRC is the copy, '
                    '$PYTHON the interpreter)')
    ap.add_argument('--test', help='shell command that runs the tests '
                    '(pytest or unittest output is parsed)')
    ap.add_argument('--import', dest='import_mod', action='append',
                    default=[], metavar='MOD',
                    help='module for the `python -W error` import check '
                    '(repeatable)')
    ap.add_argument('--import-code', help='code for the import check '
                    'instead of `import MOD`')
    ap.add_argument('--import-prelude', help='code run before the import')
    ap.add_argument('--python', default=sys.executable,
                    help='interpreter for the import check ($PYTHON)')
    ap.add_argument('--pythonpath', action='append', default=[],
                    help='directory of the copy put on PYTHONPATH '
                    '(repeatable, relative)')
    ap.add_argument('--stable-abi', default=os.environ.get('STABLE_ABI_TOML')
                    or os.path.join(here, '..', '..', 'shared', 'data',
                                    'stable_abi.toml'),
                    help="CPython's Misc/stable_abi.toml")
    ap.add_argument('--no-abi3', action='store_true',
                    help='skip the Py_LIMITED_API build')
    ap.add_argument('--link', action='store_true',
                    help='without --build: also link the objects into one '
                    '.abi3.so')
    ap.add_argument('--name', help='project name in the table')
    ap.add_argument('--workdir', help='where the copies go (default: a new '
                    'temporary directory)')
    ap.add_argument('--keep', action='store_true', help='keep the copies')
    ap.add_argument('-j', '--jobs', type=int, default=2,
                    help='parallel compiler checks (default 2)')
    ap.add_argument('--timeout', type=int, default=3600,
                    help='seconds for each build, test or port command')
    ap.add_argument('--series', action='store_true',
                    help='also check port --patches (git am, the full API '
                    'after each step, the last tree against the in-place '
                    'port) and --export-fixes (clang-apply-replacements-19)')
    ap.add_argument('--json', help='write the result here')
    o = ap.parse_args(argv)

    if o.table:
        print('\n'.join(header()))
        for p in o.table:
            with open(p) as f:
                data = json.load(f)
            for res in data if isinstance(data, list) else [data]:
                print('\n'.join(rows(res)))
        return 0
    if not o.checkout:
        ap.error('a checkout is required (or --table)')
    o.run = o.run or DEFAULT_RUNS
    o.abi3port = os.path.abspath(o.abi3port)
    if not os.access(o.abi3port, os.X_OK):
        ap.error('abi3port not found: %s (use --abi3port)' % o.abi3port)
    if not o.no_abi3 and not os.path.exists(o.stable_abi):
        ap.error('stable_abi.toml not found: %s (use --stable-abi)'
                 % o.stable_abi)
    result = Measure(o).measure()
    if o.json:
        with open(o.json, 'w') as f:
            json.dump(result, f, indent=1, sort_keys=True)
    print('\n'.join(header() + rows(result)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
