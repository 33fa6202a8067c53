import Foundation

/// Runs a program to its end and collects what it printed: posix_spawn and waitpid on the child's own pid.
/// Not Foundation's `Process`: on Linux it learns of a child's exit from a socket it hands down to the child, and a
/// daemon the child starts (pg_ctl's postgres, a tmux server) inherits that socket and keeps it open, so
/// `waitUntilExit` waited for ever on a child that had long exited (the test run hung at its first PostgreSQL test).
/// Here the child gets only its three standard descriptors.
public enum ChildProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    public enum Output: Sendable {
        /// Collected and returned.
        case captured
        /// /dev/null: for a command that starts a daemon, which would otherwise hold the pipe open.
        case discarded
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `environment` nil: this process's. The exit status is the child's, or 128 + the signal that ended it.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           directory: String? = nil, output: Output = .captured) throws -> Result {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        switch output {
        case .discarded:
            for fd: Int32 in [1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0) }
        case .captured:
            guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw Failure(description: "pipe: errno \(errno)") }
            for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        }
        // Nothing else this process has open reaches the child (test processes hold databases and sockets).
        guard GNU.closeFrom(&actions, 3) == 0 else { throw Failure(description: "posix_spawn_file_actions_addclosefrom_np") }
        if let directory, GNU.changeDirectory(&actions, directory) != 0 {
            throw Failure(description: "posix_spawn_file_actions_addchdir_np")
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = envp.map { posix_spawn(&pid, executable, &actions, nil, argv, $0) } ?? posix_spawn(&pid, executable, &actions, nil, argv, environ)
        for fd in [outPipe[1], errPipe[1]] where fd >= 0 { close(fd) }
        guard spawned == 0 else {
            for fd in [outPipe[0], errPipe[0]] where fd >= 0 { close(fd) }
            throw Failure(description: "\(executable): \(String(cString: strerror(spawned)))")
        }
        var collected = [Data(), Data()]
        if output == .captured { collected = drain([outPipe[0], errPipe[0]]) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exit, stdout: String(decoding: collected[0], as: UTF8.self),
                      stderr: String(decoding: collected[1], as: UTF8.self))
    }

    /// glibc's spawn actions that Swift's Glibc module leaves out (they are GNU extensions, glibc 2.29 and 2.34).
    private enum GNU {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        static let closeFrom = unsafeBitCast(symbol("posix_spawn_file_actions_addclosefrom_np"), to: CloseFrom.self)
        static let changeDirectory = unsafeBitCast(symbol("posix_spawn_file_actions_addchdir_np"), to: ChangeDirectory.self)

        static func symbol(_ name: String) -> UnsafeMutableRawPointer {
            guard let found = dlsym(dlopen(nil, RTLD_NOW), name) else { fatalError("glibc lacks \(name)") }
            return found
        }
    }

    /// Reads both pipes to their ends together, so a child filling one while we wait on the other cannot stall.
    private static func drain(_ fds: [Int32]) -> [Data] {
        var data = fds.map { _ in Data() }
        var open = fds.map { _ in true }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while open.contains(true) {
            var polled = fds.indices.map { pollfd(fd: open[$0] ? fds[$0] : -1, events: Int16(POLLIN), revents: 0) }
            guard poll(&polled, nfds_t(polled.count), -1) >= 0 || errno == EINTR else { break }
            for i in fds.indices where open[i] && polled[i].revents != 0 {
                let n = read(fds[i], &buffer, buffer.count)
                if n > 0 {
                    data[i].append(buffer, count: n)
                } else if n == 0 || errno != EINTR {
                    open[i] = false
                    close(fds[i])
                }
            }
        }
        return data
    }
}
