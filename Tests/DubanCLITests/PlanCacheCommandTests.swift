import Foundation
import Testing

/// The compiled-plan cache seen from the commands (issue 17): warm answers are the cold ones, a change is seen by the
/// very next command, a damaged cache is rebuilt, `check` never uses it.
@Suite struct PlanCacheCommands {
    @Test func theNextCommandSeesAChangeAndADamagedCacheIsRebuilt() throws {
        let scratch = try ScratchDirectory()
        let plans = scratch.path + "/Plans"
        try FileManager.default.copyItem(atPath: DubanBinary.bundledPlans, toPath: plans)
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite", "DUBAN_PLANS": plans, "XDG_CACHE_HOME": scratch.path + "/cache"]
        let cold = try DubanBinary.run(["plans", "--json"], environment: env)
        let warm = try DubanBinary.run(["plans", "--json"], environment: env)
        #expect(cold.status == 0 && cold.stdout == warm.stdout, "\(cold.stderr)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/cache/duban")
        #expect(!entries.isEmpty)
        let progressCold = try DubanBinary.run(["progress", "changsha-2021", "--json", "--as-of", "2021-09-30"], environment: env)
        let progressWarm = try DubanBinary.run(["progress", "changsha-2021", "--json", "--as-of", "2021-09-30"], environment: env)
        #expect(progressCold.stdout == progressWarm.stdout)

        // Edited: the very next command says so.
        let file = plans + "/changsha-2021.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "title: 长沙市2021年政务公开工作要点", with: "title: 长沙市2021年政务公开工作要点（修订）")
            .write(toFile: file, atomically: false, encoding: .utf8)
        #expect(try DubanBinary.run(["plans", "--json"], environment: env).stdout.contains("工作要点（修订）"))
        #expect(try DubanBinary.run(["summary", "--once", "changsha-2021"], environment: env).stdout.contains("工作要点（修订）"))

        // Damaged: truncated and garbage entries are ignored.
        for entry in try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/cache/duban") {
            try Data("{\"tru".utf8).write(to: URL(fileURLWithPath: scratch.path + "/cache/duban/" + entry))
        }
        let again = try DubanBinary.run(["progress", "changsha-2021", "--json", "--as-of", "2021-09-30"], environment: env)
        #expect(again.status == 0 && again.stdout == progressWarm.stdout.replacingOccurrences(of: "工作要点\"", with: "工作要点（修订）\""),
                "\(again.stderr)")

        // A broken file is reported by every command, cached or not, and `check` names the line.
        try "id: changsha-2021\ncity: 长沙市\nyear: 2021\ntitle: x\nissuer: y\nsections:\n  - id: \"1\"\n    bogus: 1\n".write(toFile: file, atomically: false, encoding: .utf8)
        let broken = try DubanBinary.run(["plans"], environment: env)
        #expect(broken.stderr.contains("changsha-2021.yaml") && broken.stderr.contains("错误"), "\(broken.stderr)")
        let check = try DubanBinary.run(["check"], environment: env)
        #expect(check.status != 0 && check.stdout.contains("changsha-2021.yaml:"), "\(check.stdout)\(check.stderr)")
    }
}
