# SPDX-License-Identifier: MIT
"""Run a program under the sandbox supervisor, from Python.

    import sandbox
    r = sandbox.run(["./solution"], policy="judge", cpu_time=1.0, memory="256M",
                    stdin="test.in", stdout="out.txt")
    r.status          # "exited", "cpu_time_limit", "violation", ...
    r.cpu_time_ms, r.memory_peak_kb, r.violation.syscall, r.as_dict()

run() returns a Result with the fields of sandbox(1)'s JSON report
(docs/report.schema.json), made by the same code in the library. The run
itself happens in the calling thread, without the GIL: other threads go
on, and several threads may run sandboxes at once.

Errors:
  TypeError, ValueError  a bad argument; the message starts with its name
                         ("memory: '12Q' is not a size ...")
  PolicyError            the policy does not load; .diagnostics has one
                         "file:line:column: path: message" line per problem
  OSError                the supervisor itself failed (errno set); also a
                         policy file that cannot be read
A program that cannot be started is not an exception: its Result has
status "error" and the reason in .error, as in the report.
"""
import errno as _errno
import json as _json
import math as _math
import os as _os

from . import _sandbox

__all__ = ["run", "Policy", "PolicyError", "Result", "VERSION"]

VERSION = _sandbox.VERSION  # the library's, as sandbox --version prints it
__version__ = VERSION

_ISOLATION = {None: 0, "namespaces": 1, "landlock": 2, "none": 3}
_WORKDIR = {None: 0, "rw": 1, "ro": 2, "none": 3}
_MEMORY_RLIMIT = {None: 0, "data": 1, "as": 2, "none": 3}
_VERBOSITY = {"quiet": 0, "normal": 1, "verbose": 2}
_DECISIONS = {None: 0, "auto": 0, "ptrace": 1, "notify": 2}
_MOUNTS = {"bind": 0, "ro-bind": 1, "tmpfs": 2}


class PolicyError(ValueError):
    """A policy that does not load. str() is the first problem; .diagnostics
    all of them, one "file:line:column: path: message" line each; .errno
    the loader's error number (EINVAL for a policy with errors)."""

    def __init__(self, diagnostics, errno=_errno.EINVAL):
        self.diagnostics = diagnostics
        self.errno = errno
        lines = diagnostics.strip().splitlines()
        super().__init__(lines[0] if lines else "policy: " + _os.strerror(errno))


class Policy:
    """A loaded policy, to use for many runs (loading it once saves its
    parsing and checking per run; runs in several threads may share it).

    Policy(source) takes a shipped policy's name ("default", "judge",
    "judge-java", ...: `sandbox --help` lists them), a path (str, bytes or os.PathLike), the JSON text of a
    policy (a str starting with "{"), or a dict. Raises PolicyError.
    """

    def __init__(self, source, *, name="<policy>"):
        if isinstance(source, Policy):
            self._policy, self.source = source._policy, source.source
            return
        if isinstance(source, dict):
            text = _json.dumps(source, indent=1)
            loaded = _sandbox.parse_policy(_os.fsencode(name), text.encode())
        elif isinstance(source, str) and source.lstrip().startswith("{"):
            loaded = _sandbox.parse_policy(_os.fsencode(name), source.encode())
        elif isinstance(source, (str, bytes, _os.PathLike)):
            path = _os.fsencode(source)
            if not path or b"\0" in path:
                raise ValueError(f"policy: {source!r} is not a policy name or path")
            loaded = _sandbox.load_policy(path)
        else:
            raise TypeError(
                "policy: expected a name, a path, JSON text, a dict or a Policy, "
                f"not {type(source).__name__}")
        self._policy, err, diag = loaded
        self.source = source
        if self._policy is None:
            if err == _errno.EINVAL or not isinstance(source, (str, bytes, _os.PathLike)):
                raise PolicyError(diag, err)
            raise OSError(err, (diag or "").strip() or _os.strerror(err), source)

    def __repr__(self):
        return f"sandbox.Policy({self.source!r})"


class Result:
    """The report of one run: every field of docs/report.schema.json as an
    attribute (objects as Results too, lists as lists) and as a key
    (r["status"]); as_dict() is the report as plain dicts and lists, as
    json.load() would read the file sandbox --report writes."""

    __slots__ = ("_fields",)

    def __init__(self, fields):
        object.__setattr__(self, "_fields", fields)

    def __getattr__(self, name):
        if name.startswith("_"):
            # _fields itself before __init__ (copy, pickle), and dunders
            raise AttributeError(name)
        try:
            return _wrap(self._fields[name])
        except KeyError:
            raise AttributeError(f"the report has no field {name!r}") from None

    def __setattr__(self, name, value):
        raise AttributeError("a Result is read-only")

    def __getitem__(self, key):
        return _wrap(self._fields[key])

    def __contains__(self, key):
        return key in self._fields

    def __iter__(self):
        return iter(self._fields)

    def __eq__(self, other):
        if isinstance(other, Result):
            return self._fields == other._fields
        return self._fields == other

    def __dir__(self):
        return list(self._fields) + ["as_dict", "keys"]

    def keys(self):
        return self._fields.keys()

    def as_dict(self):
        return _json.loads(_json.dumps(self._fields))

    def __repr__(self):
        return f"sandbox.Result({self._fields!r})"

    def __reduce__(self):
        return (Result, (self._fields,))


def _wrap(value):
    if isinstance(value, dict):
        return Result(value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def _text(name, value):
    """A str or bytes parameter as text for the parsers."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value.strip()


def _duration_ms(name, value):
    """Seconds (int, float) or text ("1.5s", "250ms", "2") as milliseconds; None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"{name}: expected seconds (a number or text such as '1.5s'), not bool")
    if isinstance(value, (int, float)):
        if not _math.isfinite(value) or value <= 0:
            raise ValueError(f"{name}: {value!r} is not a positive number of seconds")
        ms = round(value * 1000)
        if ms < 1:
            raise ValueError(f"{name}: {value!r} is less than a millisecond")
        # The C field is a uint64_t of milliseconds: a larger value would wrap.
        if ms >= 1 << 64:
            raise ValueError(f"{name}: {value!r} is too long a duration")
        return ms
    if isinstance(value, (str, bytes)):
        err, ms = _sandbox.parse_duration_ms(_text(name, value).encode())
        if err == _errno.ERANGE:
            raise ValueError(f"{name}: {value!r} is too long a duration")
        if err:
            raise ValueError(f"{name}: {value!r} is not a duration (seconds: '2', '0.5', "
                             "'1.5s', or milliseconds: '250ms')")
        if ms == 0:
            raise ValueError(f"{name}: {value!r} is not a positive duration")
        return ms
    raise TypeError(f"{name}: expected seconds (a number or text such as '1.5s'), "
                    f"not {type(value).__name__}")


def _size(name, value):
    """Bytes (int) or text ("256M", "10K", "4096") as bytes; None stays None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str, bytes)):
        raise TypeError(f"{name}: expected bytes (an int or text such as '256M'), "
                        f"not {type(value).__name__}")
    if isinstance(value, int):
        n = value
    else:
        err, n = _sandbox.parse_size(_text(name, value).encode())
        if err == _errno.ERANGE:
            raise ValueError(f"{name}: {value!r} is too large a size")
        if err:
            raise ValueError(f"{name}: {value!r} is not a size (bytes, or a number with K, M, "
                             "G or T: '256M', '1.5G')")
    if n <= 0:
        raise ValueError(f"{name}: {value!r} is not a positive size")
    if n >= 1 << 64:
        raise ValueError(f"{name}: {value!r} is too large a size")
    return n


def _count(name, value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected an int, not {type(value).__name__}")
    if value <= 0 or value >= 1 << 63:
        raise ValueError(f"{name}: {value!r} is not a positive count")
    return value


def _path(name, value):
    """A path parameter as bytes; None stays None."""
    if value is None:
        return None
    if isinstance(value, (str, bytes, _os.PathLike)):
        path = _os.fsencode(value)
        if not path:
            raise ValueError(f"{name}: an empty path")
        if b"\0" in path:
            raise ValueError(f"{name}: {value!r} contains a NUL byte")
        return path
    if hasattr(value, "fileno"):
        raise TypeError(f"{name}: expected a path, not a file object: the sandbox opens the "
                        "file itself, before it drops privileges (use its .name, or "
                        "os.devnull)")
    raise TypeError(f"{name}: expected a path (str, bytes or os.PathLike), "
                    f"not {type(value).__name__}")


def _choice(name, value, table):
    if value in table and (value is None or isinstance(value, str)):
        return table[value]
    words = ", ".join(repr(k) for k in table if k is not None)
    raise ValueError(f"{name}: {value!r} is not one of {words}")


def _argv(argv):
    if isinstance(argv, (str, bytes)):
        raise TypeError("argv: expected a list of arguments, not one string "
                        "(['sh', '-c', text], or shlex.split(text))")
    try:
        args = list(argv)
    except TypeError:
        raise TypeError(f"argv: expected a list of arguments, not {type(argv).__name__}") from None
    if not args:
        raise ValueError("argv: empty: the program to run is argv[0]")
    out = []
    for i, a in enumerate(args):
        if not isinstance(a, (str, bytes, _os.PathLike)):
            raise TypeError(f"argv[{i}]: expected str, bytes or os.PathLike, "
                            f"not {type(a).__name__}")
        b = _os.fsencode(a)
        if b"\0" in b:
            raise ValueError(f"argv[{i}]: {a!r} contains a NUL byte")
        out.append(b)
    if not out[0]:
        raise ValueError("argv[0]: empty program name")
    return out


def _env(env):
    if env is None:
        return None
    if not isinstance(env, dict):
        raise TypeError(f"env: expected a dict of str to str, not {type(env).__name__}")
    out = []
    for k, v in env.items():
        if not isinstance(k, (str, bytes)) or not isinstance(v, (str, bytes)):
            raise TypeError(f"env[{k!r}]: names and values must be str or bytes")
        kb, vb = _os.fsencode(k), _os.fsencode(v)
        if not kb or b"=" in kb or b"\0" in kb + vb:
            raise ValueError(f"env[{k!r}]: not a valid variable (no '=' or NUL in a name)")
        out.append(kb + b"=" + vb)
    return out


def _mounts(mounts):
    if mounts is None:
        return None
    out = []
    for i, m in enumerate(mounts):
        name = f"mounts[{i}]"
        if not isinstance(m, (tuple, list)) or not m or m[0] not in _MOUNTS:
            raise ValueError(f"{name}: {m!r} is not ('bind', SRC[, DEST]), "
                             "('ro-bind', SRC[, DEST]) or ('tmpfs', DEST[, SIZE])")
        kind = _MOUNTS[m[0]]
        if m[0] == "tmpfs":
            if len(m) not in (2, 3):
                raise ValueError(f"{name}: {m!r} is not ('tmpfs', DEST[, SIZE])")
            size = _size(name + "[2]", m[2]) if len(m) == 3 else 0
            out.append((kind, None, _path(name + "[1]", m[1]), size or 0))
        else:
            if len(m) not in (2, 3):
                raise ValueError(f"{name}: {m!r} is not ({m[0]!r}, SRC[, DEST])")
            dest = _path(name + "[2]", m[2]) if len(m) == 3 else None
            out.append((kind, _path(name + "[1]", m[1]), dest, 0))
    return out


def _text_param(name, value):
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and name in ("user", "group"):
        value = str(value)
    if not isinstance(value, (str, bytes)):
        raise TypeError(f"{name}: expected str, not {type(value).__name__}")
    b = _os.fsencode(value)
    if b"\0" in b:
        raise ValueError(f"{name}: {value!r} contains a NUL byte")
    return b


def run(argv, policy="default", *, cpu_time=None, wall_time=None, memory=None, stack=None,
        processes=None, output=None, open_files=None, memory_rlimit=None, stdin=None,
        stdout=None, stderr=None, chdir=None, user=None, group=None, env=None, keep_env=False,
        isolation=None, workdir=None, mounts=None, share_net=False, tmp_size=None,
        cgroup_parent=None, no_cgroup=False, trace=None, verbosity="quiet", log_fd=2,
        log_limit=None, decisions=None):
    """Run argv[0] (looked up in PATH) to its end under |policy| and return
    its Result. Limits left None take the policy's "limits", else none.

    argv        list of str, bytes or os.PathLike
    policy      a shipped policy's name, a path, JSON text, a dict or a Policy
    cpu_time, wall_time
                seconds (int or float) or text: "1.5s", "250ms"
    memory, stack, output, tmp_size
                bytes (int) or text: "256M", "16K", "1G"
    processes, open_files
                int: tasks (threads included) alive at once; RLIMIT_NOFILE
    memory_rlimit
                "data" (default), "as" or "none": the backstop of memory
    stdin, stdout, stderr
                paths (str, bytes, os.PathLike) the supervisor opens before it
                drops privileges (stdout, stderr created or truncated, 0644);
                None: inherited from this process. File objects are refused:
                pass their path.
    chdir       the program's working directory
    user, group names or numbers (the supervisor must run as root)
    env         dict: exactly this environment; None: this process's cut to
                PATH, LANG, LANGUAGE, LC_*, TERM, TZ, with HOME; keep_env=True
                passes all of it
    isolation   "namespaces" (the default), "landlock" or "none"
    workdir     "rw", "ro" or "none": the working directory inside
    mounts      list of ("bind", SRC[, DEST]), ("ro-bind", SRC[, DEST]),
                ("tmpfs", DEST[, SIZE])
    share_net   no network namespace (the policy's "network" rules apply)
    cgroup_parent, no_cgroup
                a delegated cgroup v2 directory to use; never use cgroups
    trace       strace-like lines for these calls ("openat,@basic-io", "all")
    verbosity   "quiet" (default), "normal" (a line per reported call) or
                "verbose"; log_fd is where the lines go (default 2)
    log_limit   bytes of lines at most (default 1 MiB)
    decisions   "auto" (default: a seccomp listener when the kernel has
                synchronous wake-ups, Linux 6.6), "ptrace" or "notify": how
                the supervisor hears of the calls it decides (--decisions)

    Raises TypeError/ValueError naming the parameter, PolicyError, or
    OSError when the supervisor fails (the program's own failure to start is
    a Result with status "error").
    """
    args = _argv(argv)
    pol = policy if isinstance(policy, Policy) else Policy(policy)
    kwargs = {}
    for name, value in (("cpu_time_ms", _duration_ms("cpu_time", cpu_time)),
                        ("wall_time_ms", _duration_ms("wall_time", wall_time)),
                        ("memory_bytes", _size("memory", memory)),
                        ("stack_bytes", _size("stack", stack)),
                        ("processes", _count("processes", processes)),
                        ("output_bytes", _size("output", output)),
                        ("open_files", _count("open_files", open_files)),
                        ("tmp_size", _size("tmp_size", tmp_size)),
                        ("log_limit", _size("log_limit", log_limit))):
        if value is not None:
            kwargs[name] = value
    for name, value in (("stdin", stdin), ("stdout", stdout), ("stderr", stderr),
                        ("chdir", chdir), ("cgroup_parent", cgroup_parent)):
        kwargs[name] = _path(name, value)
    for name, value in (("user", user), ("group", group), ("trace", trace)):
        kwargs[name] = _text_param(name, value)
    if kwargs["trace"] is not None and _sandbox.trace_check(kwargs["trace"]) == _errno.EINVAL:
        raise ValueError(f"trace: {trace!r} is not a list of system calls and @groups "
                         "(or 'all'), separated by commas")
    for name, value in (("keep_env", keep_env), ("share_net", share_net),
                        ("no_cgroup", no_cgroup)):
        if not isinstance(value, bool):
            raise TypeError(f"{name}: expected True or False, not {type(value).__name__}")
        kwargs[name] = value
    if isinstance(log_fd, bool) or not isinstance(log_fd, int) or log_fd < 0:
        raise ValueError(f"log_fd: {log_fd!r} is not a file descriptor")
    try:
        _os.fstat(log_fd)
    except (OSError, OverflowError):
        raise ValueError(f"log_fd: {log_fd!r} is not an open file descriptor") from None
    result = _sandbox.run(
        pol._policy, args, env=_env(env), mounts=_mounts(mounts),
        memory_rlimit=_choice("memory_rlimit", memory_rlimit, _MEMORY_RLIMIT),
        isolation=_choice("isolation", isolation, _ISOLATION),
        workdir=_choice("workdir", workdir, _WORKDIR),
        verbosity=_choice("verbosity", verbosity, _VERBOSITY), log_fd=log_fd,
        decisions=_choice("decisions", decisions, _DECISIONS), **kwargs)
    err, text = result
    if err:
        raise OSError(err, "sandbox: " + _os.strerror(err))
    return Result(_json.loads(text))
