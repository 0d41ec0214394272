"""Kernel confinement of one sandboxed call, applied by the child to itself (stdlib only).

Loaded by the fork server (``_server.py``) from its own folder; nothing here imports simlab.
Layers, each applied only if the kernel allows it, in this order (see docs/sandbox.md):

- **network namespace** (server, once): ``unshare(CLONE_NEWNET)`` (as root) or with a new
  user namespace (as an ordinary user), unless the server already runs in bubblewrap's;
- **file descriptors**: everything but stdin/stdout/stderr and the result pipe is closed;
- **no_new_privs** and **no capabilities** (the bounding set too): root inside is powerless;
- **Landlock** (``landlock_create_ruleset`` through ``ctypes.CDLL(None).syscall``): read
  only below the paths Python and its packages need, write only in the call's folder, no TCP,
  and (ABI >= 6) no signals or abstract unix sockets beyond the call itself;
- **seccomp** (a BPF filter written here, x86_64 only): no sockets, ``execve``, new
  processes (threads are allowed), ``ptrace``, namespaces, mounts, ``io_uring``, BPF, keys,
  kernel modules, and no signals to other processes.

The kernel enforces; a Python audit hook only *reports* what the code attempted (the kind of
each violation), so a caught ``PermissionError`` still shows in the certificate.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import platform
import re
import struct
import sys

# ---------------------------------------------------------------- libc

_LIBC = ctypes.CDLL(None, use_errno=True)
_LIBC.syscall.restype = ctypes.c_long
_LIBC.prctl.restype = ctypes.c_int
_LIBC.prctl.argtypes = [
    ctypes.c_int,
    ctypes.c_ulong,
    ctypes.c_ulong,
    ctypes.c_ulong,
    ctypes.c_ulong,
]

X86_64 = platform.machine() in ("x86_64", "AMD64")
SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
SYS_CAPSET = 126 if X86_64 else 91

PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


class JailError(OSError):
    """A confinement layer the kernel refused (the message says which and why)."""


def _fail(what: str) -> JailError:
    code = ctypes.get_errno()
    return JailError(code, f"{what}: {os.strerror(code)}")


# ---------------------------------------------------------------- namespaces


def unshare_network() -> str:
    """Leave the host's network: a fresh namespace with only a loopback that is down."""
    if _LIBC.unshare(CLONE_NEWNET) == 0:
        return "network namespace"
    if _LIBC.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        return "user + network namespace"
    raise _fail("unshare(CLONE_NEWUSER | CLONE_NEWNET)")


# ---------------------------------------------------------------- privileges


def close_inherited_fds(keep: tuple[int, ...]) -> None:
    """Close every descriptor except ``keep`` (stdin/stdout/stderr and the result pipe)."""
    low = 0
    for fd in sorted(set(keep)):
        if fd > low:
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 1 << 16)


def no_new_privs() -> None:
    if _LIBC.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise _fail("prctl(PR_SET_NO_NEW_PRIVS)")


def drop_capabilities() -> None:
    """Empty the bounding, permitted, effective and inheritable capability sets."""
    for cap in range(64):
        if _LIBC.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == errno.EINVAL:
            break  # past the last capability this kernel knows
    header = struct.pack("II", 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = bytes(24)  # two empty __user_cap_data_struct
    if _LIBC.syscall(SYS_CAPSET, header, data) != 0:
        raise _fail("capset")


# ---------------------------------------------------------------- Landlock

FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1, 2, 4, 8
FS_ALL_V1 = (1 << 13) - 1
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
FILE_ONLY = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV
NET_BIND_TCP, NET_CONNECT_TCP = 1, 2
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1, 2


def landlock_abi() -> int:
    """The kernel's Landlock ABI version (0: not built in or disabled at boot)."""
    version = _LIBC.syscall(SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), 1)
    return max(0, int(version))


def landlock_handled(abi: int) -> tuple[int, int, int]:
    """(file-system rights, network rights, scopes) this ABI can deny."""
    fs = FS_ALL_V1
    if abi >= 2:
        fs |= FS_REFER
    if abi >= 3:
        fs |= FS_TRUNCATE
    if abi >= 5:
        fs |= FS_IOCTL_DEV
    net = NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0
    return fs, net, scoped


def landlock_restrict(read: list[str], write: list[str], abi: int) -> None:
    """Allow reading below ``read``, everything below ``write``, nothing else (files, TCP)."""
    fs, net, scoped = landlock_handled(abi)
    if abi >= 6:
        attr = struct.pack("QQQ", fs, net, scoped)
    elif abi >= 4:
        attr = struct.pack("QQ", fs, net)
    else:
        attr = struct.pack("Q", fs)
    ruleset = _LIBC.syscall(SYS_LANDLOCK_CREATE_RULESET, attr, ctypes.c_size_t(len(attr)), 0)
    if ruleset < 0:
        raise _fail("landlock_create_ruleset")
    try:
        grants = [(p, FS_READ_FILE | FS_READ_DIR) for p in read] + [(p, fs) for p in write]
        for path, access in grants:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue  # a path that does not exist needs no rule
            try:
                if not os.path.isdir(path):
                    access &= FILE_ONLY
                rule = struct.pack("=Qi", access & fs, fd)
                if _LIBC.syscall(SYS_LANDLOCK_ADD_RULE, ruleset, 1, rule, 0) != 0:
                    raise _fail(f"landlock_add_rule({path})")
            finally:
                os.close(fd)
        if _LIBC.syscall(SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0) != 0:
            raise _fail("landlock_restrict_self")
    finally:
        os.close(ruleset)


# ---------------------------------------------------------------- seccomp (x86_64)

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
RET_ALLOW = 0x7FFF0000
RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000
CLONE_THREAD = 0x00010000
CLONE_NAMESPACES = 0x7E020000  # NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET

DENIED = {
    # network
    "socket": 41, "connect": 42, "accept": 43, "bind": 49, "listen": 50, "accept4": 288,
    # new programs and processes (clone is checked by its flags below)
    "fork": 57, "vfork": 58, "execve": 59, "execveat": 322, "setsid": 112, "setpgid": 109,
    # other processes' memory
    "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
    "pidfd_open": 434, "pidfd_getfd": 438, "pidfd_send_signal": 424, "tkill": 200,
    # namespaces, mounts, kernel interfaces
    "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155,
    "chroot": 161, "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431,
    "fsmount": 432, "fspick": 433, "mount_setattr": 442, "bpf": 321, "perf_event_open": 298,
    "userfaultfd": 323, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
    "keyctl": 250, "add_key": 248, "request_key": 249, "kexec_load": 246,
    "kexec_file_load": 320, "init_module": 175, "finit_module": 313, "delete_module": 176,
    "reboot": 169, "swapon": 167, "swapoff": 168, "acct": 163, "quotactl": 179,
    "open_by_handle_at": 304, "name_to_handle_at": 303, "iopl": 172, "ioperm": 173,
    "fanotify_init": 300, "syslog": 103, "settimeofday": 164, "clock_settime": 227,
    "adjtimex": 159, "sethostname": 170, "setdomainname": 171, "uselib": 134,
}  # fmt: skip
SELF_ONLY = {"kill": 62, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297}
"""Signals: allowed only with the call's own pid as the first argument."""
SYS_CLONE, SYS_CLONE3 = 56, 435


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k & 0xFFFFFFFF)


LD_W_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06


def seccomp_program(pid: int) -> bytes:
    """The BPF filter: deny (EPERM) what a numeric solver never needs, allow the rest."""
    eperm, enosys = RET_ERRNO | errno.EPERM, RET_ERRNO | errno.ENOSYS
    prog = [
        _insn(LD_W_ABS, 4),  # arch
        _insn(JEQ, AUDIT_ARCH_X86_64, 1, 0),
        _insn(RET, RET_KILL_PROCESS),
        _insn(LD_W_ABS, 0),  # syscall number
        _insn(JGE, X32_SYSCALL_BIT, 0, 1),
        _insn(RET, eperm),
        _insn(JEQ, SYS_CLONE3, 0, 1),
        _insn(RET, enosys),  # glibc falls back to clone(), whose flags we can read
    ]
    for nr in DENIED.values():
        prog += [_insn(JEQ, nr, 0, 1), _insn(RET, eperm)]
    for nr in SELF_ONLY.values():
        prog += [
            _insn(JEQ, nr, 0, 4),
            _insn(LD_W_ABS, 16),  # low word of the first argument (the pid)
            _insn(JEQ, pid, 0, 1),
            _insn(RET, RET_ALLOW),
            _insn(RET, eperm),
        ]
    prog += [
        _insn(JEQ, SYS_CLONE, 0, 5),
        _insn(LD_W_ABS, 16),  # clone flags
        _insn(JSET, CLONE_NAMESPACES, 2, 0),
        _insn(JSET, CLONE_THREAD, 0, 1),
        _insn(RET, RET_ALLOW),  # a thread of this process
        _insn(RET, eperm),  # a new process or namespace
        _insn(RET, RET_ALLOW),
    ]
    return b"".join(prog)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def seccomp_supported() -> str | None:
    """None if the filter can be installed here, else why not."""
    if not X86_64:
        return f"the seccomp filter is written for x86_64, not {platform.machine()}"
    if _LIBC.prctl(21, 0, 0, 0, 0) < 0:  # PR_GET_SECCOMP
        return "the kernel has no seccomp"
    return None


def install_seccomp() -> None:
    reason = seccomp_supported()
    if reason:
        raise JailError(errno.ENOSYS, reason)
    code = seccomp_program(os.getpid())
    buffer = ctypes.create_string_buffer(code, len(code))
    prog = _SockFprog(len(code) // 8, ctypes.addressof(buffer))
    if _LIBC.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        raise _fail("prctl(PR_SET_SECCOMP)")


# ---------------------------------------------------------------- violation report

SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH|^AWS_|^ANTHROPIC|^GH_", re.I)
NETWORK_EVENTS = {
    "socket.__new__", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
    "socket.gethostbyaddr", "socket.connect", "socket.bind", "socket.sendto",
    "socket.getnameinfo", "socket.sethostname",
}  # fmt: skip
PROCESS_EVENTS = {
    "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.system",
    "subprocess.Popen", "pty.spawn", "os.startfile",
}  # fmt: skip
WRITE_EVENTS = {
    "os.remove", "os.rmdir", "os.rename", "os.mkdir", "os.chmod", "os.chown", "os.symlink",
    "os.link", "os.truncate", "os.utime", "shutil.rmtree", "os.removexattr", "os.setxattr",
}  # fmt: skip
SYMBOL_KINDS = {
    "network": {"socket", "connect", "bind", "getaddrinfo", "gethostbyname", "sendto"},
    "process": {"execve", "execv", "execvp", "execl", "system", "fork", "vfork", "clone",
                "posix_spawn", "posix_spawnp", "popen", "setsid"},
    "ptrace": {"ptrace", "process_vm_readv", "process_vm_writev"},
    "signal": {"kill", "killpg", "tgkill", "sigqueue"},
    "syscall": {"syscall", "mount", "unshare", "setns", "prctl", "capset", "chroot"},
}  # fmt: skip
ENVIRON_FILE = re.compile(r"^/proc/(\d+|self|thread-self)/(task/\d+/)?environ$")
MAX_RECORDED = 20


class Recorder:
    """Records what supplied code attempted that the confinement forbids (report only)."""

    def __init__(self, read: list[str], write: list[str]) -> None:
        self.read = tuple(os.path.join(os.path.realpath(p), "") for p in read)
        self.write = tuple(os.path.join(os.path.realpath(p), "") for p in write)
        self.violations: list[dict[str, str]] = []
        self._seen: set[tuple[str, str]] = set()
        self.active = False

    def add(self, kind: str, detail: str) -> None:
        key = (kind, detail)
        if key in self._seen or len(self.violations) >= MAX_RECORDED:
            return
        self._seen.add(key)
        self.violations.append({"kind": kind, "detail": detail})

    def install(self) -> None:
        sys.addaudithook(self._hook)
        recorder = self

        class GuardedEnviron(type(os.environ)):  # type: ignore[misc]
            def __getitem__(self, key):
                try:
                    return super().__getitem__(key)
                except KeyError:
                    if recorder.active and isinstance(key, str) and SECRET_NAME.search(key):
                        recorder.add("secret", f"environment variable {key}")
                    raise

        os.environ.__class__ = GuardedEnviron
        self.active = True

    def _under(self, path: str, roots: tuple[str, ...]) -> bool:
        full = os.path.join(os.path.realpath(path), "")
        return any(full.startswith(root) for root in roots)

    def _path(self, raw: object) -> str | None:
        if isinstance(raw, bytes):
            raw = os.fsdecode(raw)
        if not isinstance(raw, str):
            return None  # a file descriptor: opened under the same rules
        return os.path.abspath(raw)

    def _hook(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        with contextlib.suppress(Exception):  # reporting must never break the call
            self._classify(event, args)

    def _classify(self, event: str, args: tuple) -> None:
        if event in NETWORK_EVENTS:
            self.add("network", f"{event}{_short(args)}")
        elif event in PROCESS_EVENTS:
            self.add("process", f"{event}{_short(args)}")
        elif event == "open" and args:
            path = self._path(args[0])
            if path is None:
                return
            mode = str(args[1] or "") if len(args) > 1 else ""
            flags = int(args[2] or 0) if len(args) > 2 else 0
            writes = any(c in mode for c in "wax+") or flags & (
                os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
            )
            if ENVIRON_FILE.match(path) and not path.startswith(f"/proc/{os.getpid()}/"):
                self.add("secret", f"read {path}")
            elif writes and not self._under(path, self.write):
                self.add("file-write", f"write {path}")
            elif not writes and not self._under(path, self.read + self.write):
                self.add("file-read", f"read {path}")
        elif event in WRITE_EVENTS and args:
            path = self._path(args[0])
            if path is not None and not self._under(path, self.write):
                self.add("file-write", f"{event} {path}")
        elif event == "ctypes.dlsym" and len(args) > 1:
            name = args[1].decode() if isinstance(args[1], bytes) else str(args[1])
            for kind, names in SYMBOL_KINDS.items():
                if name in names:
                    self.add(kind, f"ctypes call to {name}()")
        elif event in ("os.kill", "os.killpg") and args and args[0] != os.getpid():
            self.add("signal", f"{event}({args[0]}, {args[1] if len(args) > 1 else ''})")


def _short(args: tuple) -> str:
    text = repr(args)
    return text if len(text) <= 120 else text[:117] + "..."


def classify_failure(exc: BaseException, recorder: Recorder) -> None:
    """Add the violation an exception reveals (disk full, a denied file) to the report."""
    if isinstance(exc, OSError):
        code = exc.errno
        name = exc.filename
        if code in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            recorder.add("disk", f"{os.strerror(code)}" + (f": {name}" if name else ""))
        elif code in (errno.EPERM, errno.EACCES) and not recorder.violations:
            recorder.add("syscall", f"denied by the sandbox: {exc}")
