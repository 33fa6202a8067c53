import Foundation
import Testing

/// The byte sequences real terminals send (PuTTY's defaults, tmux and screen, xterm, the Linux console, rxvt), sent
/// raw into a real terminal with `send-keys -l`, on every screen and in the form; and a bracketed paste as tmux
/// delivers one (`paste-buffer -p`). Issue 13, items 1 and 2.
@Suite(.serialized, .timeLimit(.minutes(3))) struct TerminalKeys {
    typealias Session = DashboardInTmux.Session
    static let esc = "\u{1B}"
    /// Home, End, PgUp, PgDn, Insert, Delete, F5, F12, modified arrows, Alt-keys, the Linux console's F1, and sequences
    /// nobody defines: none of them may type, move the as-of date or switch a screen (none of these is bound; F1 is help).
    static let foreign = ["[1~", "[4~", "[H", "[F", "OH", "OF", "[7~", "[8~", "[2~", "[15~", "[24~", "[1;5A", "[1;2B",
                          "[1;3C", "x", "[", "]", "[[E", "[99~", "[?1;2c", "]11;rgb:0/0/0\u{7}", "[27;3;116~", "[116;3u"]
        .map { esc + $0 }

    static func send(_ session: Session, raw: String) throws {
        try Session.tmux(["send-keys", "-t", session.name, "-l", raw], output: false)
        usleep(120_000)
    }

    /// The dashboard on an empty database, the form opened on the unit screen, the cursor in 进展说明 (past 完成进度
    /// and 登记日期).
    static func formAtTheNote(db: String) throws -> Session {
        let session = try Session(width: 80, height: 24, command: ["--plan", "changsha-2021"], environment: ["DUBAN_DB": db])
        try session.wait(for: "1 总览")
        try session.keys("4")
        try session.wait(for: "u 选单位")
        try session.keys("e")
        try session.wait(for: "登记进展")
        try session.keys("Tab", "Tab", "Tab")
        return session
    }

    static func header(_ screen: String) -> String { String(screen.split(separator: "\n").first ?? "") }

    @Test(.enabled(if: DashboardInTmux.tmuxAvailable)) func foreignKeysNeitherTypeNorMoveTime() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        #expect(try DubanBinary.run(["demo"], environment: ["DUBAN_DB": db]).status == 0)
        let session = try Session(width: 80, height: 24, command: ["--plan", "changsha-2021"], environment: ["DUBAN_DB": db])
        try session.wait(for: "1 总览")
        for screen in ["1", "2", "3", "4", "5"] {
            try session.keys(screen)
            usleep(200_000)
            let before = try session.screen()
            for sequence in Self.foreign { try Self.send(session, raw: sequence) }
            let after = try session.screen()
            #expect(Self.header(after) == Self.header(before), "screen \(screen): the header (plan, as-of date) changed:\n\(after)")
            #expect(!after.contains("[1~") && !after.contains("99~"), "screen \(screen):\n\(after)")
            // The same screen (its footer of key hints, and no message): Home/End may move the selection, nothing may
            // switch screens (F1, help, is not sent).
            func footer(_ screen: String) -> Substring? { screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
            #expect(footer(after) == footer(before), "\(after)")
        }
        try session.keys("q")
    }

    @Test(.enabled(if: DashboardInTmux.tmuxAvailable)) func homeEndAndDeleteEditTheFieldInEveryForm() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        let session = try Self.formAtTheNote(db: db)
        try session.type("abc")
        // PuTTY's Home, xterm's End, the SS3 Home, Delete, an Alt-key and an unknown sequence.
        try Self.send(session, raw: "\(Self.esc)[1~")
        try session.type("X")
        try Self.send(session, raw: "\(Self.esc)[F")
        try session.type("Y")
        try Self.send(session, raw: "\(Self.esc)OH")
        try Self.send(session, raw: "\(Self.esc)[3~")           // deletes the X
        try Self.send(session, raw: "\(Self.esc)f\(Self.esc)[99~\(Self.esc)[1;5D")
        try Self.send(session, raw: "\(Self.esc)[4~")
        try session.type("Z")
        let form = try session.wait(for: "abcYZ")
        #expect(!form.contains("[1~") && !form.contains("[99~"), "\(form)")
        #expect(try Self.saveAndReadNote(session, db: db) == "abcYZ")
    }

    /// A 2,000-character bracketed paste lands whole, at once; escape sequences inside it are removed whole; a paste
    /// past the field's limit is refused with the limit named. The time is printed for the note (issue 13 asks < 1 s; the
    /// benchmark measures it — a test on a loaded machine only waits for it).
    @Test(.enabled(if: DashboardInTmux.tmuxAvailable)) func aLongPasteLandsAtOnce() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        let session = try Self.formAtTheNote(db: db)
        // Too long first: refused, the field stays empty.
        try paste(session, String(repeating: "长", count: 2001))
        let refused = try session.wait(for: "最多 2000 字")
        #expect(refused.contains("2001"), "\(refused)")
        let body = String(repeating: "政务公开督办", count: 333) + "\(Self.esc)[31m红\(Self.esc)[0m尾"  // 1998 + 2 characters kept
        let started = Date()
        try paste(session, body)
        try session.wait(for: "红尾", seconds: 90)
        let elapsed = Date().timeIntervalSince(started)
        print("paste of 2,000 characters on screen after \(Int(elapsed * 1000)) ms")
        let note = try #require(try Self.saveAndReadNote(session, db: db))
        #expect(note.count == 2000 && note.hasSuffix("督办红尾") && !note.contains("[31m"), "\(note.suffix(20))")
    }

    /// What a slow link or a busy multiplexer does: the terminal's bytes arrive in pieces with pauses, cut inside a
    /// Chinese character, inside a paste's start and end markers and inside an arrow key. Nothing is lost, nothing of a
    /// marker is typed. Bytes are sent as they are (`send-keys -H`), each piece a separate write.
    @Test(.enabled(if: DashboardInTmux.tmuxAvailable)) func inputCutAnywhereArrivesWhole() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/duban.sqlite"
        let session = try Self.formAtTheNote(db: db)
        let zheng = Array("政".utf8), chang = Array("长".utf8)
        let pieces: [[UInt8]] = [
            Array("ab".utf8) + zheng[..<1], Array(zheng[1...]) + Array("cd".utf8),     // a character cut after its lead byte
            Array("\(Self.esc)[20".utf8), Array("0~xy".utf8) + chang[..<2],              // the paste's start marker, then
            Array(chang[2...]) + Array("z\(Self.esc)[20".utf8), Array("1~".utf8),       // a character and its end marker cut
            Array("\(Self.esc)[".utf8), Array("D".utf8), Array("W".utf8),                 // Left arrow in two pieces
        ]
        for piece in pieces {
            try Session.tmux(["send-keys", "-t", session.name, "-H"] + piece.map { String($0, radix: 16) }, output: false)
            usleep(150_000)
        }
        let form = try session.wait(for: "ab政cdxy长Wz")
        #expect(!form.contains("0~") && !form.contains("1~") && !form.contains("[D"), "\(form)")
        #expect(try Self.saveAndReadNote(session, db: db) == "ab政cdxy长Wz")
    }

    /// Saves the form, quits, and reads back the note the binary recorded last.
    static func saveAndReadNote(_ session: Session, db: String) throws -> String? {
        try session.keys("Enter", "Enter")
        try session.wait(for: "已保存")
        try session.keys("q")
        usleep(300_000)
        let log = try DubanBinary.run(["log", "changsha-2021", "--json"], environment: ["DUBAN_DB": db])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]], "\(log.stdout)")
        return rows.last?["note"] as? String
    }

    func paste(_ session: Session, _ text: String) throws {
        try Session.tmux(["set-buffer", "-b", "duban-test", "--", text], output: false)
        try Session.tmux(["paste-buffer", "-p", "-d", "-b", "duban-test", "-t", session.name], output: false)
        usleep(200_000)
    }
}
