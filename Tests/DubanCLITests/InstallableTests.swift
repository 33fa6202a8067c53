import Foundation
import Testing

/// duban on an office server with no Swift toolchain (issue 13, item 9): `make install PREFIX=…` from a release build
/// with the Swift runtime linked in; the installed binary runs from / with nothing but the system's libraries, finds
/// its plans under PREFIX/share, and has a Chinese man page; the .deb installs and removes cleanly.
/// Needs the release build (`make release`; .ci/run makes it before the tests): skipped without it.
@Suite(.serialized, .timeLimit(.minutes(10))) struct Installable {
    static let root = DubanBinary.repositoryRoot.path
    static var ready: Bool {
        FileManager.default.fileExists(atPath: root + "/.build-release/release/duban") && FileManager.default.isExecutableFile(atPath: "/usr/bin/make")
    }

    static func make(_ arguments: [String]) throws -> DubanBinary.Result {
        try DubanBinary.capture("/usr/bin/make", ["-C", root] + arguments, environment: ProcessInfo.processInfo.environment)
    }

    /// What a clean login on a server has: no toolchain on PATH or the library path.
    static let bareEnvironment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp"]

    @Test(.enabled(if: ready)) func theInstalledBinaryRunsWithoutTheToolchain() throws {
        let scratch = try ScratchDirectory()
        let prefix = scratch.path + "/prefix"
        let install = try Self.make(["install", "PREFIX=\(prefix)"])
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
        let binary = prefix + "/bin/duban"

        let ldd = try DubanBinary.capture("/usr/bin/ldd", [binary], environment: Self.bareEnvironment)
        #expect(ldd.status == 0 && !ldd.stdout.contains("libswift") && !ldd.stdout.contains("/opt/swift")
                && !ldd.stdout.contains("not found"), "\(ldd.stdout)")

        let plans = try DubanBinary.capture(binary, ["plans"], environment: Self.bareEnvironment, directory: "/")
        #expect(plans.status == 0 && plans.stdout.contains("changsha-2021"), "\(plans.stdout)\(plans.stderr)")
        #expect(plans.stdout.contains("\(prefix)/share/duban/Plans") || plans.stderr.isEmpty)

        // The man page keeps its Chinese (NAME once read “duban —” and nothing more).
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/man") {
            let man = try DubanBinary.capture("/usr/bin/man", ["-l", prefix + "/share/man/man1/duban.1"],
                                              environment: Self.bareEnvironment.merging(["MANWIDTH": "80", "MANPAGER": "cat"]) { $1 })
            #expect(man.stdout.contains("duban - 督办：政务公开工作要点任务督办台"), "\(man.stdout.prefix(400))")
            #expect(man.stdout.contains("duban update") && man.stdout.contains("退出码"))
        }

        let uninstall = try Self.make(["uninstall", "PREFIX=\(prefix)"])
        #expect(uninstall.status == 0 && !FileManager.default.fileExists(atPath: binary)
                && !FileManager.default.fileExists(atPath: prefix + "/share/duban"))
    }

    /// Installed with dpkg on this machine (as root, only when no duban is installed system-wide), used, removed.
    @Test(.enabled(if: ready && getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-deb")
                   && !FileManager.default.fileExists(atPath: "/usr/bin/duban")))
    func theDebInstallsAndRemovesCleanly() throws {
        let built = try Self.make(["deb"])
        #expect(built.status == 0, "\(built.stdout)\(built.stderr)")
        let deb = try #require(built.stdout.split(separator: "\n").last { $0.hasSuffix(".deb") }.map(String.init))
        let info = try DubanBinary.capture("/usr/bin/dpkg-deb", ["--info", Self.root + "/" + deb], environment: Self.bareEnvironment)
        #expect(info.stdout.contains("Depends:") && info.stdout.contains("libncursesw") && !info.stdout.contains("swift"), "\(info.stdout)")
        // The binary's packed relocations need glibc 2.36's loader: an older libc6 must refuse the package, not run it.
        #expect(info.stdout.contains("libc6 (>= 2.36)") && info.stdout.contains("libexpat1") && !info.stdout.contains("libxml2"), "\(info.stdout)")

        let env = Self.bareEnvironment.merging(["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND": "noninteractive"]) { $1 }
        let installed = try DubanBinary.capture("/usr/bin/dpkg", ["-i", Self.root + "/" + deb], environment: env)
        #expect(installed.status == 0, "\(installed.stdout)\(installed.stderr)")
        defer { _ = try? DubanBinary.capture("/usr/bin/dpkg", ["--purge", "duban"], environment: env) }
        let plans = try DubanBinary.capture("/usr/bin/duban", ["plans"], environment: Self.bareEnvironment, directory: "/")
        #expect(plans.status == 0 && plans.stdout.contains("changsha-2021"), "\(plans.stdout)\(plans.stderr)")

        let removed = try DubanBinary.capture("/usr/bin/dpkg", ["--purge", "duban"], environment: env)
        #expect(removed.status == 0, "\(removed.stderr)")
        for path in ["/usr/bin/duban", "/usr/share/duban", "/usr/share/man/man1/duban.1.gz"] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path) left behind")
        }
    }
}
