import DubanCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who is running the program, from the process's real uid: `$USER` can be set to anything.
struct Identity {
    let uid: Int
    let name: String
    /// The account's home from the password database: the fallback for where files go.
    let passwdHome: String

    /// Where the account's files go: `$HOME` when set (it decides places, never identity), else the passwd home.
    var home: String {
        let env = Environment()["HOME"] ?? ""
        return env.hasPrefix("/") ? env : passwdHome
    }

    static let current: Identity = {
        let uid = getuid()
        if let entry = getpwuid(uid) {
            return Identity(uid: Int(uid), name: String(cString: entry.pointee.pw_name), passwdHome: String(cString: entry.pointee.pw_dir))
        }
        return Identity(uid: Int(uid), name: "uid\(uid)", passwdHome: NSHomeDirectory())
    }()
}

/// Today in the server's local time zone: a clerk's "today". From the C library rather than Calendar.current,
/// whose first use builds Foundation's calendar and time-zone caches: about a millisecond on every command.
func today() -> CivilDate {
    var now = time(nil)
    var parts = tm()
    localtime_r(&now, &parts)
    return CivilDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))!
}
