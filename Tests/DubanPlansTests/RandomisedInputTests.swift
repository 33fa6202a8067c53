import DubanCore
@testable import DubanPlans
import Foundation
import Testing

/// A long randomised run over everything that reads untrusted text: the plan file loader, the importer,
/// the access file and the text decoder. Inputs are the seed documents and bundled plans, mutated
/// (bytes flipped, spans cut, doubled and swapped, structure characters and control characters sprinkled in).
/// DUBAN_FUZZ_ITERATIONS sets the number of inputs (default 600; the note of issue 7 gives a longer run).
@Suite struct RandomisedInputs {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static let corpus: [String] = {
        let seeds = ["000_cceafcc75b2966bb.txt", "001_ba8def7f6884b930.txt", "002_f98ea696aa1fd708.txt",
                     "003_083bca08c54f1534.txt", "004_39e31d1736c085e7.txt"].map { Bundled.seed($0) }
        let plans = ["changsha-2018", "changsha-2021", "changsha-2022", "zhuzhou-2020"].compactMap {
            try? String(contentsOfFile: Bundled.plansDirectory + "/\($0).yaml", encoding: .utf8)
        }
        return seeds + plans + ["accounts:\n  a: { role: staff, units: [芙蓉区] }\ngroups: {}\n"]
    }()

    static let sprinkles: [String] = ["（", "）", "(", ")", "、", "。", "，", "一、", "（一）", "一是", "二是", "牵头", "负责", "等部门",
                                      "《", "》", "\n", "\n\n", ":", "- ", "  ", "{", "}", "[", "]", "\"", "'", "#", "&", "*", "!", "|",
                                      "\u{0}", "\u{1B}[2J", "\u{202E}", "\u{FEFF}", "\u{FFFD}", "2021年7月底前", "于8月底前", "年内",
                                      "各区县（市）人民政府", "市发改委", "id: x", "title:", "sections:", "\t"]

    static func mutate(_ text: String, _ g: inout Generator) -> String {
        var chars = Array(text)
        for _ in 0..<(1 + g.below(8)) {
            let at = g.below(chars.count + 1)
            switch g.below(7) {
            case 0: chars.insert(contentsOf: Array(sprinkles[g.below(sprinkles.count)]), at: at)
            case 1 where !chars.isEmpty: chars.removeSubrange(at..<min(chars.count, at + g.below(200)))
            case 2 where !chars.isEmpty:
                let end = min(chars.count, at + g.below(400))
                chars.insert(contentsOf: Array(chars[min(at, end)..<end]), at: g.below(chars.count + 1))
            case 3 where at < chars.count: chars[at] = Character(UnicodeScalar(UInt8(g.below(128))))
            case 4: chars = Array(chars.prefix(at))
            case 5:
                let other = Array(corpus[g.below(corpus.count)])
                let from = g.below(other.count)
                chars.insert(contentsOf: other[from..<min(other.count, from + g.below(2000))], at: at)
            default: chars.insert(Character(UnicodeScalar(UInt32(0x4E00 + g.below(0x5000)))!), at: at)
            }
        }
        return String(chars)
    }

    @Test func randomisedInputsNeverCrashTheReaders() throws {
        let iterations = ProcessInfo.processInfo.environment["DUBAN_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 600
        var g = Generator(state: 20_261_121)
        let registries = Bundled.library.registries
        var imported = 0, assembled = 0
        for i in 0..<iterations {
            let input = Self.mutate(Self.corpus[i % Self.corpus.count], &g)
            // The plan loader: parse, then assemble against its registry when it parses.
            let (draft, _) = PlanFile.parse(input, file: "fuzz.yaml")
            if let draft, let registry = registries[draft.city.value] {
                _ = PlanAssembler.assemble(draft, registry: registry)
                assembled += 1
            }
            // The importer: a plan or a clear error, never a crash.
            var importer = PlanImporter(registries: registries, options: .init())
            if let result = try? importer.run(text: input, file: "fuzz.txt") {
                imported += 1
                // What it writes must read back as a plan file.
                let back = PlanFile.parse(result.yaml, file: "out.yaml")
                #expect(back.0 != nil, "import output did not parse back (input \(i)): \(back.1.filter { $0.severity == .error }.prefix(2))")
            }
            _ = AccessFile.parse(input, file: "access.yaml")
            _ = TextDecoding.decode(Data(input.utf8.shuffledPrefix(&g)))
        }
        #expect(iterations < 50 || (imported > 0 && assembled > 0), "the mutations still reach deep: \(imported) imported, \(assembled) assembled")
    }
}

private extension String.UTF8View {
    /// Sometimes cut mid-character, so the decoder sees broken UTF-8.
    func shuffledPrefix(_ g: inout RandomisedInputs.Generator) -> [UInt8] {
        let bytes = Array(self)
        return g.below(3) == 0 ? Array(bytes.prefix(g.below(bytes.count + 1))) : bytes
    }
}
