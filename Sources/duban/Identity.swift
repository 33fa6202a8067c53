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

/// The day records made from the command line are dated: a record's `--at` (or a batch line's "at"), else today. A
/// record dated today on a finished year's plan (`Plan.isFinished`) moves the day its figures are read as of (its last
/// record) to today, every open task then years overdue: said on stderr before the first such record is made, once
/// however many lines a batch has, naming how to date them instead.
final class RecordingDay {
    private var warned = false

    func of(_ at: CivilDate?, plan: Plan, option: String = "--at") -> CivilDate {
        if let at { return at }
        let day = today()
        if plan.isFinished(today: day) && !warned {
            warned = true
            printError("注意：计划 \(plan.id) 的年度（\(plan.year) 年）已经结束，这条记录按今天（\(day)）登记，该计划的统计随之截至今天，"
                + "未完成的任务都算逾期到今天。补登当年的进展请用 \(option) 写明日期；今年的工作请登记在今年的计划中（duban carryover 可把未完成的任务转过去）")
        }
        return day
    }
}
