import Foundation

/// What became of one call of the hook program.
public enum HookOutcome: Sendable, Equatable {
    case delivered
    case failed(String)
}

/// Runs a configured program once per delivery (an alert as JSON, a sign-in link's mail),
/// the payload on its standard input. Its output goes where the service's goes (the journal
/// under systemd). A program that does not finish within `timeout` is killed with
/// everything it started, and the attempt fails.
///
/// `posix_spawn` rather than Foundation's `Process`: the program gets its own process group,
/// so a shell script's children die with it, and the wait is a plain poll that a timeout
/// can cut short.
public struct HookProgram: Sendable {
    public let command: [String]
    public let timeout: Duration
    /// How often a running program is checked for having exited.
    var pollInterval: Duration = .milliseconds(20)

    public init(command: [String], timeout: Duration) {
        self.command = command
        self.timeout = timeout
    }

    public func deliver(_ payload: String) async -> HookOutcome {
        var pipeEnds: [Int32] = [0, 0]
        // Close-on-exec: deliveries run side by side, and a program that inherited another
        // delivery's write end would keep that program's input open for good.
        guard systemPipe2(&pipeEnds, O_CLOEXEC) == 0 else {
            return .failed("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        var pid: pid_t = 0
        let arguments = command.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, arguments, environ)
        close(readEnd)
        guard spawned == 0 else {
            close(writeEnd)
            return .failed("cannot start \(command[0]): \(String(cString: strerror(spawned)))")
        }
        // Small enough for the pipe's buffer (an alert, a short mail): the write never waits
        // for the program. One that exits without reading gets EPIPE here (the services
        // ignore SIGPIPE), not a failure.
        _ = Array(payload.utf8).withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
        close(writeEnd)

        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0, errno != EINTR { return .failed("lost the program: \(String(cString: strerror(errno)))") }
            if ContinuousClock.now >= deadline {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                return .failed("killed after \(timeout.components.seconds) s")
            }
            try? await Task.sleep(for: pollInterval)
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
        let signal = status & 0x7f
        if signal != 0 { return .failed("killed by signal \(signal)") }
        let code = (status >> 8) & 0xff
        return code == 0 ? .delivered : .failed("exit status \(code)")
    }
}

/// glibc's `pipe2`, which the Glibc module does not import (it is declared for `_GNU_SOURCE`
/// only): a pipe created close-on-exec in one step, with no window in which a program
/// spawned by another delivery could inherit it.
@_silgen_name("pipe2")
private func systemPipe2(_ descriptors: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
