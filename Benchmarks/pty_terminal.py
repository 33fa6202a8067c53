"""duban on a pseudo-terminal, as sshd would run it for a clerk's PuTTY: shared by the benchmark scripts."""
import fcntl, os, pty, select, struct, termios, time


def spawn(argv, env, rows=24, cols=80):
    """Starts argv on a new pseudo-terminal of rows x cols; returns (pid, fd of the terminal's master side)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, fd


def read_quiet(fd, quiet=0.4, limit=10.0, first=None):
    """What the program writes until it has been quiet for `quiet` seconds (`first` seconds before its first byte, by
    default `quiet`), or `limit` passed, or it closed the terminal; returns (bytes, time.perf_counter() of the last
    byte, or None when nothing came)."""
    data, last = b"", None
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        ready, _, _ = select.select([fd], [], [], quiet if last or first is None else first)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
        last = time.perf_counter()
    return data, last
