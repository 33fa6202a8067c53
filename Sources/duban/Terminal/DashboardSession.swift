import DubanCore
import DubanPlans
import DubanStore
import DubanTUI
import Foundation

/// The dashboard's loop: draw the state, wait for a key (or a second), update, perform effects.
/// Another process's write is noticed by polling the store's change token once a second.
final class DashboardSession {
    private let loader: DashboardLoader
    private var state: AppState
    private let terminal: CursesTerminal
    private var token: Int64 = 0
    private var lastPoll = Date()
    /// Notes asked for (`Effect.loadNotes`), read once the frame they are not needed for is on screen.
    private var notesAfterFrame: [Int64] = []

    init(loader: DashboardLoader, settings: DisplaySettings, readOnly: Bool, editableUnits: Set<String>? = nil, canDecide: Bool = false) {
        self.loader = loader
        terminal = CursesTerminal(color: settings.color)
        state = AppState(width: terminal.width, height: terminal.height, settings: settings, readOnly: readOnly)
        state.editableUnits = editableUnits
        state.canDecide = canDecide && !readOnly
    }

    func run(planID: String?, asOf: CivilDate?, global: GlobalOptions) throws {
        defer { terminal.stop() }
        state.requestedAsOf = asOf
        token = (try? loader.store.changeToken()) ?? 0
        state.emptyDatabase = (try? loader.store.hasEvents()) == false
        guard perform([.loadSnapshot(planID: planID ?? loader.headers.last?.id ?? "", asOfDate: asOf?.description)],
                      global: global) else { return }
        while !terminal.shouldStop {
            terminal.draw(Dashboard.render(state))
            // The notes waited for the frame; read now, and the frame drawn again with them.
            if !notesAfterFrame.isEmpty {
                if let notes = try? loader.store.notes(ids: notesAfterFrame) { _ = Dashboard.update(&state, .notesLoaded(notes)) }
                notesAfterFrame = []
                continue
            }
            var effects: [Effect] = []
            if let event = terminal.read(timeout: 500) {
                effects = Dashboard.update(&state, event)
                // Whatever else has already arrived (keys typed ahead, a held arrow) is applied before the next frame.
                var more = 0
                while more < 64, effects.isEmpty, let next = terminal.read(timeout: 0) {
                    effects += Dashboard.update(&state, next)
                    more += 1
                }
            }
            if Date().timeIntervalSince(lastPoll) >= 1 {
                lastPoll = Date()
                if let current = try? loader.store.changeToken(), current != token {
                    token = current
                    effects += Dashboard.update(&state, .externalChange)
                }
            }
            guard perform(effects, global: global) else { return }
        }
    }

    /// Writes the bulletin and the ledger into $DUBAN_EXPORTS (default ~/duban-exports), never over an
    /// existing file.
    private func exportEvent(planID: String, asOf: CivilDate?) -> Event {
        guard let (library, plan) = try? loader.open(planID) else { return .exported("计划已不存在", isError: true) }
        let env = Environment()
        let directory = env["DUBAN_EXPORTS"].flatMap { $0.isEmpty ? nil : $0 } ?? (Identity.current.home + "/duban-exports")
        do {
            try Privilege.asCaller { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            let exporter = try Exporter(library: library, plan: plan, store: loader.store, asOf: asOf, date: nil,
                                    templates: try ExportCommand.templateSet(nil))
            var written: [String] = []
            for (kind, format) in [(Exporter.Kind.bulletin, "docx"), (.ledger, "xlsx")] {
                let base = directory + "/" + exporter.defaultFileName(kind, format: format)
                var path = base
                var n = 2
                while try Privilege.asCaller({ FileManager.default.fileExists(atPath: path) }) {
                    path = (base as NSString).deletingPathExtension + "-\(n)." + format
                    n += 1
                }
                try SafeFile.write(try exporter.render(kind, format: format), to: path, overwrite: false)
                written.append(path)
            }
            let names = written.map { ($0 as NSString).lastPathComponent }.joined(separator: "、")
            return .exported("已导出到 \(directory)：\(names)", isError: false)
        } catch {
            return .exported("导出失败：\(error)", isError: true)
        }
    }

    /// Runs effects until none are left (notes wait for the next frame); false when the clerk quit.
    private func perform(_ effects: [Effect], global: GlobalOptions) -> Bool {
        var queue = effects
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            let event: Event?
            switch effect {
            case .quit:
                return false
            case let .loadNotes(ids):
                notesAfterFrame += ids
                event = nil
            case let .loadSnapshot(planID, asOfDate):
                do {
                    event = .snapshotLoaded(try loader.data(planID: planID, asOf: asOfDate.flatMap(CivilDate.init(iso:))))
                } catch {
                    state.message = "读取数据失败：\(error)"
                    state.messageIsError = true
                    event = nil
                }
            case let .loadHistory(planID, nodeID, unitID):
                event = (try? loader.history(planID: planID, nodeID: nodeID, unitID: unitID)).map { .historyLoaded($0) }
            case let .loadLatest(planID, nodeID, unitID):
                // The unit's latest report, not an office step after it: the form starts from what the unit last said.
                let history = (try? loader.store.history(planID: planID, nodeID: nodeID, unitID: unitID, asOf: nil)) ?? []
                event = history.last(where: { $0.nodeID == nodeID && $0.kind == .update }).map {
                    .latestLoaded(Assignment(nodeID: nodeID, unitID: unitID), note: $0.note, evidence: $0.evidence)
                }
            case let .submit(submission):
                event = loader.submit(submission)
                token = (try? loader.store.changeToken()) ?? token
            case let .loadChanges(planID, since, asOf):
                event = (try? loader.changes(planID: planID, since: CivilDate(iso: since) ?? today(),
                                             asOf: CivilDate(iso: asOf) ?? today())).map { .changesLoaded($0) }
            case let .decide(step):
                event = loader.decide(step)
                token = (try? loader.store.changeToken()) ?? token
            case let .export(planID, asOfDate):
                event = exportEvent(planID: planID, asOf: asOfDate.flatMap(CivilDate.init(iso:)))
            case .fillDemo:
                do {
                    _ = try DemoCommand.fill(global: global, seed: 2024)
                    token = (try? loader.store.changeToken()) ?? token
                    state.message = "已填入演示数据"
                    event = .externalChange
                } catch {
                    state.message = "填入演示数据失败：\(error)"
                    state.messageIsError = true
                    event = nil
                }
            }
            if let event { queue += Dashboard.update(&state, event) }
        }
        return true
    }
}
