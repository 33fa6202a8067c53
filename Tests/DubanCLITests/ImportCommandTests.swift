import Foundation
import Testing

@Suite struct ImportCommand {
    static var seeds: String { DubanBinary.repositoryRoot.appendingPathComponent("Tests/Seeds").path }

    @Test func importsAPlanFileThatCheckAccepts() throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path + "/Plans", withIntermediateDirectories: true)
        for sub in ["units", "calendar"] {
            try FileManager.default.copyItem(atPath: DubanBinary.bundledPlans + "/" + sub, toPath: scratch.path + "/Plans/" + sub)
        }
        let out = scratch.path + "/Plans/changsha-2021.yaml"
        let result = try DubanBinary.run(["import", Self.seeds + "/000_cceafcc75b2966bb.txt", "-o", out])
        #expect(result.status == 0, "\(result.stderr)")
        let check = try DubanBinary.run(["check", scratch.path + "/Plans"])
        #expect(check.status == 0, "\(check.stdout)")
        let again = try DubanBinary.run(["import", Self.seeds + "/000_cceafcc75b2966bb.txt", "-o", out])
        #expect(again.status == 1)
        #expect(again.stderr.contains("--force"))
    }

    @Test func warningsAsDataWithExitCodeThree() throws {
        let result = try DubanBinary.run(["import", Self.seeds + "/003_083bca08c54f1534.txt", "--json"])
        #expect(result.status == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["plan"] as? String == "zhuzhou-2020")
        let warnings = try #require(object["warnings"] as? [[String: Any]])
        #expect(warnings.contains { ($0["line"] as? Int) == 76 })
    }

    @Test func hostileInputsEndWithAClearMessageAndNoFile() throws {
        let scratch = try ScratchDirectory()
        try scratch.write("empty.txt", "")
        try Data([0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00, 0x13]).write(to: URL(fileURLWithPath: scratch.path + "/binary.bin"))
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).write(to: URL(fileURLWithPath: scratch.path + "/old.doc"))
        try Data("%PDF-1.4\n".utf8).write(to: URL(fileURLWithPath: scratch.path + "/scan.pdf"))
        try scratch.write("plain.txt", "这是一段没有任何编号的文字。\n第二段。")
        try scratch.write("broken.docx", "PK\u{3}\u{4}not really a zip")
        let big = FileManager.default.createFile(atPath: scratch.path + "/big.txt", contents: nil)
        #expect(big)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + "/big.txt"))
        let chunk = Data(String(repeating: "（一）大文件。", count: 100_000).utf8)
        for _ in 0..<((50 * 1024 * 1024) / chunk.count + 1) { handle.write(chunk) }
        try handle.close()
        let cases: [(String, String)] = [("empty.txt", "空"), ("binary.bin", "二进制"), ("old.doc", ".docx"), ("scan.pdf", "PDF"),
                                         ("plain.txt", "编号"), ("broken.docx", "Word"), ("big.txt", "过大"), ("missing.txt", "找不到")]
        for (file, hint) in cases {
            let out = scratch.path + "/out-\(file).yaml"
            let result = try DubanBinary.run(["import", scratch.path + "/" + file, "-o", out])
            #expect(result.status == 1, "\(file): \(result.status)")
            #expect(result.stderr.contains(hint), "\(file): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
            #expect(!FileManager.default.fileExists(atPath: out), "\(file) left an output file")
        }
    }
}
