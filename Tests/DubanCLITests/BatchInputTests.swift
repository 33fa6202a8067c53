import Foundation
import Testing

/// `update --batch` reads each line strictly: what a script meant, or a refusal naming the line and the field.
@Suite struct BatchInput {
    @Test func looseLinesAreRefusedByFieldAndNothingIsGuessed() throws {
        let scratch = try ScratchDirectory()
        let head = #"{"node":"1.1","unit":"芙蓉区","status":"推进中""#
        let lines = [
            head + #","percent":50.9}"#,                       // 1: not whole
            head + #","percent":18446744073709551666}"#,       // 2: out of range
            head + #","percent":true}"#,                        // 3: not a number
            head + #","expect":"999"}"#,                        // 4: a string where an event number belongs
            head + #","note":["a"]}"#,                          // 5: an array note
            head + #","percent":10,"percent":20}"#,             // 6: a repeated field
            head + #","percnt":10}"#,                           // 7: a misspelt field
            head + #","note":"a\u0000b"}"#,                     // 8: NUL, once stored cut and a permanent audit alarm
            head + #","note":"x\u202Ey"}"#,                     // 9: a bidi override
            head + #","percent":40}"#,                          // 10: the one good line
        ]
        try scratch.write("b.jsonl", lines.joined(separator: "\n"))
        let result = try DubanBinary.run(["update", "changsha-2021", "--batch", scratch.path + "/b.jsonl", "--db", scratch.path + "/d.sqlite"])
        #expect(result.status == 2)
        #expect(result.stdout.split(separator: "\n").count == 1, "only the good line is saved: \(result.stdout)")
        let expected = [1: "percent", 2: "percent", 3: "percent", 4: "expect", 5: "note", 6: "出现了两次", 7: "percnt", 8: "U+0000", 9: "U+202E"]
        for (line, word) in expected {
            let message = result.stderr.split(separator: "\n").first { $0.contains("b.jsonl:\(line):") }
            #expect(message?.contains(word) == true, "line \(line): \(message ?? "no message")\n\(result.stderr)")
        }
        let log = try DubanBinary.run(["log", "changsha-2021", "1.1", "--db", scratch.path + "/d.sqlite", "--json"])
        #expect(log.stdout.contains("\"percent\" : 40"), "\(log.stdout)")
        let verify = try DubanBinary.run(["audit", "verify", "--db", scratch.path + "/d.sqlite"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// Lines dated today on a finished year's plan are saved, and the clerk is told what that does once, not per line.
    @Test func aBatchDatedTodayOnAFinishedPlanIsToldOnce() throws {
        let scratch = try ScratchDirectory()
        let lines = ["1.1", "1.2", "1.3"].map { #"{"node":"\#($0)","unit":"芙蓉区","status":"推进中","percent":40}"# }
        try scratch.write("b.jsonl", lines.joined(separator: "\n"))
        let result = try DubanBinary.run(["update", "changsha-2021", "--batch", scratch.path + "/b.jsonl", "--db", scratch.path + "/d.sqlite"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 3)
        #expect(result.stderr.components(separatedBy: "已经结束").count == 2 && result.stderr.contains("“at”字段"), "\(result.stderr)")
    }

    @Test func aNegativePercentIsRefusedByNameNotAsAMissingValue() throws {
        let scratch = try ScratchDirectory()
        let result = try DubanBinary.run(["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "推进中",
                                          "--percent", "-1", "--db", scratch.path + "/d.sqlite"])
        #expect(result.status == 2 && result.stderr.contains("0 到 100") && !result.stderr.contains("Missing"), "\(result.stderr)")
    }

    @Test func aWrongArgumentExitsTwoAsDocumented() throws {
        let result = try DubanBinary.run(["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "推进中", "--percent", "abc"])
        #expect(result.status == 2 && result.stderr.contains("percent"), "\(result.status) \(result.stderr)")
    }

    @Test func aDocxThatIsNoZipIsCalledABrokenDocument() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("plan.docx", "湘潭市2023年政务公开工作要点\n一、甲\n（一）乙。")
        let result = try DubanBinary.run(["import", scratch.path + "/plan.docx"])
        #expect(result.status == 1 && result.stderr.contains("不是有效的 Word 文档"), "\(result.stderr)")
    }

    /// Found by the attack run: a Notepad (CRLF) batch read as one line, invalid UTF-8 silently replaced, a negative
    /// --expect taken for a conflict, and a conflict on a task without records called "cleared".
    @Test func whatTheAttackRunFoundAboutInputs() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/d.sqlite"
        try scratch.write("notepad.jsonl", #"{"node":"1.1","unit":"芙蓉区","status":"推进中","percent":20}"# + "\r\n"
                          + #"{"node":"1.2","unit":"芙蓉区","status":"推进中","percent":30}"# + "\r\n")
        let crlf = try DubanBinary.run(["update", "changsha-2021", "--batch", scratch.path + "/notepad.jsonl", "--db", db])
        #expect(crlf.status == 0 && crlf.stdout == "#1\n#2\n", "\(crlf.stdout)\(crlf.stderr)")

        let garbled = try DubanBinary.capture("/bin/sh", ["-c", #""$0" update changsha-2021 1.3 --unit 芙蓉区 --status 推进中 --note "$(printf 'a\377b')" --db "$1""#,
                                                          DubanBinary.path, db], environment: ["LANG": "C.UTF-8"])
        #expect(garbled.status == 2 && garbled.stderr.contains("不是有效的 UTF-8"), "\(garbled.stderr)")
        try Data([0x7B, 0x22, 0xFF, 0x22, 0x7D, 0x0A]).write(to: URL(fileURLWithPath: scratch.path + "/gbk.jsonl"))
        let batch = try DubanBinary.run(["update", "changsha-2021", "--batch", scratch.path + "/gbk.jsonl", "--db", db])
        #expect(batch.status == 2 && batch.stderr.contains("gbk.jsonl:1: 不是有效的 UTF-8"), "\(batch.stderr)")

        let negative = try DubanBinary.run(["update", "changsha-2021", "1.3", "--unit", "芙蓉区", "--status", "推进中", "--expect=-1", "--db", db])
        #expect(negative.status == 2 && negative.stderr.contains("--expect 应为事件编号"), "\(negative.stderr)")
        let none = try DubanBinary.run(["update", "changsha-2021", "1.3", "--unit", "芙蓉区", "--status", "推进中", "--expect", "5", "--db", db])
        #expect(none.status == 3 && none.stderr.contains("目前没有任何记录") && !none.stderr.contains("清除"), "\(none.stderr)")
        let log = try DubanBinary.run(["log", "changsha-2021", "--json", "--db", db])
        #expect((try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [Any])?.count == 2)
    }

    @Test func theCommandLineRefusesControlCharactersInANoteToo() throws {
        let scratch = try ScratchDirectory()
        let result = try DubanBinary.run(["update", "changsha-2021", "1.1", "--unit", "芙蓉区", "--status", "推进中",
                                          "--note", "前\u{7}后", "--db", scratch.path + "/d.sqlite"])
        #expect(result.status == 2 && result.stderr.contains("U+0007"), "\(result.stderr)")
    }
}

/// Output on a full disk (/dev/full): every command says so and exits non-zero; a batch says how far it got.
@Suite struct OutputFailures {
    func run(_ arguments: [String]) throws -> DubanBinary.Result {
        let shell = ([DubanBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ") + " > /dev/full"
        return try DubanBinary.capture("/bin/sh", ["-c", shell], environment: ProcessInfo.processInfo.environment.merging(["DUBAN_PLANS": DubanBinary.bundledPlans]) { $1 })
    }

    /// `export -o PATH --force` once renamed a regular file over /dev/full and a FIFO: neither is touched now.
    @Test func devicesAndPipesAreNeverReplaced() throws {
        let scratch = try ScratchDirectory()
        let fifo = scratch.path + "/pipe"
        #expect(mkfifo(fifo, 0o644) == 0)
        for target in [fifo, "/dev/full"] {
            let result = try DubanBinary.run(["export", "bulletin", "changsha-2021", "--format", "txt", "-o", target, "--force",
                                              "--db", scratch.path + "/d.sqlite"])
            #expect(result.status == 1 && result.stderr.contains("不是普通文件"), "\(target): \(result.stderr)")
            var info = stat()
            #expect(lstat(target, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG, "\(target) was replaced")
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func aFullDiskIsAnErrorNotACrashNorASilentLoss() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/d.sqlite"
        for arguments in [["progress", "changsha-2021", "--json"], ["progress", "changsha-2021"], ["tree", "changsha-2021"],
                          ["overdue", "changsha-2021"], ["log", "changsha-2021", "--json"], ["summary", "--once"],
                          ["export", "bulletin", "changsha-2021", "--format", "txt", "-o", "-"], ["audit", "verify"]] {
            let result = try run(arguments + ["--db", db])
            #expect(result.status == 1, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("没能写出") && !result.stderr.contains("Fatal error"), "\(arguments): \(result.stderr)")
        }
        try scratch.write("b.jsonl", [#"{"node":"1.1","unit":"芙蓉区","status":"推进中","percent":40}"#,
                                      #"{"node":"1.2","unit":"芙蓉区","status":"推进中","percent":40}"#].joined(separator: "\n"))
        let batch = try run(["update", "changsha-2021", "--batch", scratch.path + "/b.jsonl", "--db", db])
        #expect(batch.status == 1 && batch.stderr.contains("b.jsonl:1: 已保存为 #1"), "\(batch.stderr)")
    }
}

/// A broken scoring.yaml is not silently replaced by the default weights: every command that ranks says so.
@Suite struct ScoringFileWarnings {
    @Test func aBrokenScoringFileIsNamedWhereverItWouldRank() throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.copyItem(atPath: DubanBinary.bundledPlans, toPath: scratch.path + "/Plans")
        try FileManager.default.removeItem(atPath: scratch.path + "/Plans/scoring.yaml")
        try scratch.write("Plans/scoring.yaml", "completion: abc\n")
        for arguments in [["progress", "changsha-2021"], ["summary", "--once"], ["export", "bulletin", "changsha-2021", "--format", "txt", "-o", "-"]] {
            let result = try DubanBinary.run(arguments + ["--plans", scratch.path + "/Plans", "--db", scratch.path + "/d.sqlite"])
            #expect(result.stderr.contains("scoring.yaml 有错误，得分和排名按默认权重计算"), "\(arguments): \(result.stderr)")
        }
    }
}
