import Foundation
import Testing

@Suite(.serialized) struct Exports {
    @Test func bulletinFilesAreWrittenWholeAndNeverOverwrittenSilently() throws {
        let scratch = try ScratchDirectory()
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite"]
        #expect(try DubanBinary.run(["demo"], environment: env).status == 0)
        let target = scratch.path + "/通报.docx"
        let first = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--as-of", "2022-01-31", "--format", "docx", "-o", target], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("已写入"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: target))
        #expect(bytes.prefix(2) == Data("PK".utf8))
        let again = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--format", "docx", "-o", target], environment: env)
        #expect(again.status == 1)
        #expect(again.stderr.contains("--force"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == bytes)
        let forced = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--format", "docx", "-o", target, "--force"], environment: env)
        #expect(forced.status == 0)
        // No temporary files left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix(".duban-export") }
        #expect(leftovers.isEmpty)
    }

    @Test func stdoutFormatsAndErrors() throws {
        let scratch = try ScratchDirectory()
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite"]
        #expect(try DubanBinary.run(["demo"], environment: env).status == 0)
        let md = try DubanBinary.run(["export", "bulletin", "zhuzhou-2020", "--as-of", "2021-01-31", "--format", "md", "-o", "-"], environment: env)
        #expect(md.status == 0)
        // Counted from demo data: said before anything else.
        #expect(md.stdout.hasPrefix("【演示数据】") && md.stdout.contains("\n# 关于株洲市2020年政务公开工作要点落实情况的通报"), "\(md.stdout.prefix(300))")
        let csv = try DubanBinary.run(["export", "ledger", "zhuzhou-2020", "--format", "csv", "-o", "-"], environment: env)
        #expect(csv.stdout.hasPrefix("\u{FEFF}序号,编号,任务"))
        let reminders = try DubanBinary.run(["export", "reminders", "zhuzhou-2020", "--unit", "醴陵市", "--as-of", "2021-01-31", "--format", "txt", "-o", "-"], environment: env)
        #expect(reminders.status == 0)
        #expect(reminders.stdout.contains("醴陵市：") || reminders.stdout.isEmpty == false)
        let bad = try DubanBinary.run(["export", "ledger", "zhuzhou-2020", "--format", "docx", "-o", "-"], environment: env)
        #expect(bad.status == 2)  // a format the kind does not have: the caller's to fix
        #expect(bad.stderr.contains("csv"))
        let missingTemplates = try DubanBinary.run(["export", "bulletin", "zhuzhou-2020", "--templates", scratch.path + "/none", "-o", "-"], environment: env)
        #expect(missingTemplates.status == 1)
        #expect(missingTemplates.stderr.contains("模板目录"))
    }

    @Test func aSymlinkIsNotFollowed() throws {
        let scratch = try ScratchDirectory()
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite"]
        try scratch.write("victim.txt", "someone else's file")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/link.txt", withDestinationPath: scratch.path + "/victim.txt")
        let result = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--format", "txt", "-o", scratch.path + "/link.txt", "--force"], environment: env)
        #expect(result.status == 1)
        #expect(result.stderr.contains("符号链接"))
        #expect(try String(contentsOfFile: scratch.path + "/victim.txt", encoding: .utf8) == "someone else's file")
    }

    @Test func editableTemplatesAreWrittenOutAndUsed() throws {
        let scratch = try ScratchDirectory()
        let env = ["DUBAN_DB": scratch.path + "/duban.sqlite"]
        #expect(try DubanBinary.run(["export", "templates", "-o", scratch.path + "/tpl"], environment: env).status == 0)
        let path = scratch.path + "/tpl/bulletin.mustache"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "（一）压实工作责任。", with: "（一）立即整改。")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let out = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--templates", scratch.path + "/tpl", "--format", "txt", "-o", "-"], environment: env)
        #expect(out.stdout.contains("（一）立即整改。"))
        try "@title x\n{{#a}}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let broken = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--templates", scratch.path + "/tpl", "-o", "-"], environment: env)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("bulletin.mustache"))
    }

    @Test func templatesIntoADirectoryThatCannotBeMadeSaySoPlainly() throws {
        let result = try DubanBinary.run(["export", "templates", "-o", "/proc/duban-no-such/templates"])
        #expect(result.status == 1 && result.stderr.contains("无法创建目录") && !result.stderr.contains("NSCocoaErrorDomain"), "\(result.stderr)")
    }
}
