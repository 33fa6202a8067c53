import DubanCore
import Foundation
import Yams

/// Writes last year's unfinished work into the new plan's file as a 回头看 section (see Carryover for the rule): the
/// clerk sees it in the file, can change its deadlines, and `duban check` reads it like any other section.
public enum CarryoverSection {
    public enum Failure: Error, CustomStringConvertible {
        case alreadyCarried(from: String, into: String)
        case nothingToCarry(String)
        case noSections(String)
        case invalid([Diagnostic])

        public var description: String {
            switch self {
            case let .alreadyCarried(from, into): "计划 \(into) 已有从 \(from) 转入的回头看事项；如需重做，请先在计划文件中删去那一节"
            case let .nothingToCarry(from): "计划 \(from) 没有未完成的任务，无需回头看"
            case let .noSections(file): "\(file) 中没有 sections:，无法加入回头看一节"
            case let .invalid(diagnostics): "加入回头看后计划文件无法通过检查，未写入：" + diagnostics.map(\.message).joined(separator: "；")
            }
        }
    }

    /// The section for `items` of `from`, numbered after `into`'s last section (items continue the plan's own numbering).
    public static func draft(_ items: [Carryover.Item], from: Plan, into: Plan, deadline: CivilDate) -> NodeDraft {
        let sections = into.nodes.filter { $0.kind == .section }
        let sectionNumber = (sections.compactMap { Int($0.id) }.max() ?? sections.count) + 1
        // Items numbered across the document (2021: 5.19 after 4.18) continue; numbered per section (2022: 3.1) restart.
        let itemNumbers = into.nodes.filter { $0.kind == .item }.compactMap { $0.id.split(separator: ".").last.flatMap { Int($0) } }
        let acrossSections = (itemNumbers.max() ?? 0) > (sections.map { $0.childIDs.count }.max() ?? 0)
        let first = acrossSections ? (itemNumbers.max() ?? 0) + 1 : 1
        let children = items.enumerated().map { index, item -> NodeDraft in
            let n = first + index
            var node = NodeDraft(
                id: Located("\(sectionNumber).\(n)"), kind: .item, number: "（\(NumberText.chinese(n))）", title: Located(item.title),
                text: item.text, responsible: item.unitIDs.map { Located(from.registry.unit(id: $0)?.name ?? $0) },
                deadline: Located(deadline.description))
            node.carriedFrom = Located(CarriedFrom(planID: from.id, nodeID: item.nodeID).text)
            return node
        }
        return NodeDraft(id: Located(String(sectionNumber)), kind: .section, number: "\(NumberText.chinese(sectionNumber))、",
                         title: Located("回头看：\(from.year)年未完成任务"), text: Carryover.rule, children: children)
    }

    /// The plan file's text with `section` appended to its `sections:` list, indented as the file indents it.
    public static func insert(_ section: NodeDraft, into text: String, file: String) throws -> String {
        var lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("sections:") }) else { throw Failure.noSections(file) }
        let indent = lines[(start + 1)...].first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("- ") }
            .map { String($0.prefix { $0 == " " }) } ?? "  "
        // The list ends where the next top-level key begins (or the file does).
        var end = lines.count
        for i in (start + 1)..<lines.count where Self.isTopLevelKey(lines[i]) {
            end = i
            break
        }
        while end > start + 1, lines[end - 1].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
        let yaml = try Yams.serialize(node: .sequence(.init([PlanYAML.node(section)])), width: -1, allowUnicode: true)
        let added = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : indent + $0 }
        lines.insert(contentsOf: added.last == "" ? Array(added.dropLast()) : added, at: end)
        return lines.joined(separator: "\n")
    }

    static func isTopLevelKey(_ line: String) -> Bool {
        guard let first = line.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return line.contains(":")
    }
}
