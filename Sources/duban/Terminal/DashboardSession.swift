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

    init(loader: DashboardLoader, settings: DisplaySettings, readOnly: Bool) {
        self.loader = loader
        terminal = CursesTerminal(color: settings.color)
        state = AppState(width: terminal.width, height: terminal.height, settings: settings, readOnly: readOnly)
    }

    func run(planID: String?, asOf: CivilDate?, global: GlobalOptions) throws {
        defer { terminal.stop() }
        state.requestedAsOf = asOf
        token = (try? loader.store.changeToken()) ?? 0
        state.emptyDatabase = ((try? loader.store.eventCount()) ?? 0) == 0
        guard perform([.loadSnapshot(planID: planID ?? loader.library.plans.last?.id ?? "", asOfDate: asOf?.description)],
                      global: global) else { return }
        while true {
            terminal.draw(Dashboard.render(state))
            var effects: [Effect] = []
            if let event = terminal.read(timeout: 500) {
                effects = Dashboard.update(&state, event)
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

    /// Runs effects until none are left; false when the clerk quit.
    private func perform(_ effects: [Effect], global: GlobalOptions) -> Bool {
        var queue = effects
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            let event: Event?
            switch effect {
            case .quit:
                return false
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
            case let .submit(submission):
                event = loader.submit(submission)
                token = (try? loader.store.changeToken()) ?? token
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
