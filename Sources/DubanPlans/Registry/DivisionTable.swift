import Foundation

/// One row of the official administrative division table (行政区划代码).
public struct Division: Sendable, Equatable {
    public enum Level: Sendable { case province, prefecture, county }
    public let code: String
    public let name: String
    public let slug: String
    public let level: Level
    /// A functional zone the statistics table lists under a city (高新区, 经开区), not a legal division.
    public let isZone: Bool

    /// Whether `other` is this division or lies within it (石城县 within 赣州市 within 江西省). The four
    /// municipalities' districts sit under the province row.
    public func contains(_ other: Division) -> Bool {
        switch level {
        case .county: return other.code == code
        case .prefecture: return other.code.hasPrefix(String(code.prefix(4)))
        case .province: return other.code.hasPrefix(String(code.prefix(2)))
        }
    }

    /// The province a division belongs to.
    public var province: Division? { DivisionTable.all.first { $0.code == String(code.prefix(2)) + "0000" } }

    /// 湘潭市 → 湘潭, 湘西土家族苗族自治州 → 湘西: how documents often write it.
    public var shortName: String {
        var n = name
        if n.contains("自治"), let r = n.range(of: #"(\p{Han}{1,3}族)+自治(州|县|旗)$"#, options: .regularExpression), r.lowerBound > n.startIndex {
            n = String(n[..<r.lowerBound])
        }
        for suffix in ["特别行政区", "自治区", "地区", "省", "市", "盟", "州", "县", "区"] where n.hasSuffix(suffix) && n.count - suffix.count >= 2 {
            return String(n.dropLast(suffix.count))
        }
        return n
    }
}

/// The division table embedded in the binary (DivisionTable+Data.swift, generated from a published edition):
/// provinces, prefecture-level cities and their county-level divisions.
public enum DivisionTable {
    public static let all: [Division] = parse(rows, zone: false) + parse(zones, zone: true)

    static func parse(_ text: String, zone: Bool) -> [Division] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "\t").map(String.init)
            guard f.count >= 3, f[0].count == 6 else { return nil }
            let level: Division.Level = zone ? .county : f[0].hasSuffix("0000") ? .province : f[0].hasSuffix("00") ? .prefecture : .county
            return Division(code: f[0], name: f[1], slug: f[2], level: level, isZone: zone)
        }
    }

    /// Prefecture-level units (and the four municipalities, whose districts sit under the province row).
    public static var cities: [Division] {
        all.filter { $0.level == .prefecture || ($0.level == .province && municipalities.contains($0.code)) }
    }

    static let municipalities: Set<String> = ["110000", "120000", "310000", "500000"]

    /// A city by its full or short name (湘潭市, 湘潭, 湘西州, 湘西土家族苗族自治州).
    public static func city(named name: String) -> Division? {
        let n = name.trimmingCharacters(in: .whitespaces)
        return cities.first { $0.name == n } ?? cities.first { $0.shortName == n || $0.shortName + "州" == n || $0.shortName + "市" == n }
    }

    /// A city, or failing that a county-level division, by name (石城县 has its own registry when its office asks).
    public static func division(named name: String) -> Division? {
        city(named: name) ?? all.first { !$0.isZone && $0.level == .county && ($0.name == name || $0.shortName == name && name.count >= 2) }
    }

    /// The county-level divisions of a city (zones apart); none for a county itself.
    public static func counties(of city: Division, zones: Bool = false) -> [Division] {
        guard city.level != .county else { return [] }
        return all.filter { $0.level == .county && city.contains($0) && $0.isZone == zones }
    }

    /// Each legal division with the names documents call it by (full and short), computed once.
    static let named: [(Division, [String])] = all.filter { !$0.isZone }.map { d in (d, [d.name, d.shortName].filter { $0.count >= 2 }) }

    /// The place the first of the texts begins with (a title, an issuer, a 文号): the longest city or
    /// province name, full or short. A county's document names its county; it is found too.
    public static func place(named texts: [String]) -> Division? {
        for text in texts where !text.isEmpty {
            var best: (Division, Int)?
            for (d, names) in named {
                for candidate in names where text.hasPrefix(candidate) {
                    // A short name must not be the start of a longer word (长沙县 is not 长沙市).
                    if candidate == d.shortName && candidate != d.name {
                        let next = text.dropFirst(candidate.count).first
                        if let next, "县区".contains(next) { continue }
                    }
                    let rank = candidate.count * 4 + (d.level == .prefecture ? 2 : d.level == .province ? 1 : 0)
                    if best == nil || rank > best!.1 { best = (d, rank) }
                }
            }
            if let best { return best.0 }
        }
        return nil
    }
}

/// ASCII ids for units and plans: pinyin, lower case, words joined by nothing, parts by -.
public enum Slug {
    public static func make(_ name: String, dropping suffixes: [String] = []) -> String {
        var n = name
        for suffix in suffixes where n.hasSuffix(suffix) && n.count > suffix.count + 1 {
            n = String(n.dropLast(suffix.count))
            break
        }
        let latin = n.applyingTransform(.mandarinToLatin, reverse: false)?.applyingTransform(.stripDiacritics, reverse: false) ?? n
        var out = ""
        for scalar in latin.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) { out.unicodeScalars.append(scalar) }
            else if !out.isEmpty && out.last != "-" && scalar != " " { out.append("-") }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "unit" : out
    }
}
