/// Name comparison that forgives what differs between documents and keyboards:
/// half-width versus full-width punctuation, and stray spaces.
public enum TextMatching {
    /// The form two unit names are compared in.
    public static func foldedName(_ name: String) -> String {
        var out = ""
        out.reserveCapacity(name.utf8.count)
        for ch in name {
            switch ch {
            case " ", "\u{3000}", "\t", "\n", "\r": continue
            case "(": out.append("（")
            case ")": out.append("）")
            case ",": out.append("，")
            default: out.append(ch)
            }
        }
        return out
    }

    /// Levenshtein distance over characters (a Chinese character counts as one edit).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The candidates closest to `query`, best first: those containing it or contained in it, then the
    /// nearest by edit distance, within a distance that still looks like a typo.
    public static func closest(to query: String, among candidates: [String], limit: Int = 3) -> [String] {
        let q = foldedName(query)
        var scored: [(score: Int, name: String)] = []
        var seen = Set<String>()
        for candidate in candidates where seen.insert(candidate).inserted {
            let c = foldedName(candidate)
            let distance = editDistance(q, c)
            let related = !q.isEmpty && !c.isEmpty && (c.contains(q) || q.contains(c))
            let budget = max(2, max(q.count, c.count) / 2)
            if related || distance <= budget {
                scored.append((related ? distance - 100 : distance, candidate))
            }
        }
        return scored.sorted { ($0.score, $0.name) < ($1.score, $1.name) }.prefix(limit).map(\.name)
    }
}
