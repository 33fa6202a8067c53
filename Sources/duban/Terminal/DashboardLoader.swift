import DubanCore
import DubanPlans
import DubanStore
import DubanTUI

/// Performs the dashboard's effects against the plans and the store, and answers with events. Plans are loaded when
/// first shown (the others are known by their headers), so opening the dashboard costs one plan, not all of them.
final class DashboardLoader {
    let store: any ProgressStore
    let headers: [PlanHeader]
    private let load: (String, Bool) throws -> PlanLibrary
    private var opened: [String: (PlanLibrary, Plan)] = [:]
    /// While the full-screen dashboard runs, loading says nothing on stderr (it would write over the screen).
    var quiet = false

    /// `load`: the library holding one plan (with the registries, calendar and settings), quietly or not.
    init(store: any ProgressStore, headers: [PlanHeader], load: @escaping (String, Bool) throws -> PlanLibrary) {
        self.store = store
        self.headers = headers
        self.load = load
    }

    convenience init(global: GlobalOptions, store: any ProgressStore) throws {
        self.init(store: store, headers: try global.planHeaders().headers) { id, quiet in try global.loadLibrary(quiet: quiet, only: [id]) }
    }

    var choices: [PlanChoice] { headers.map { PlanChoice(id: $0.id, title: $0.title, year: $0.year) } }

    /// The plan (and its library), loaded on first use.
    func open(_ planID: String) throws -> (PlanLibrary, Plan) {
        if let hit = opened[planID] { return hit }
        let library = try load(planID, quiet)
        guard let plan = library.plan(planID) else { throw CLIError("计划 \(planID) 已不存在或有错误；运行 duban check 查看详情") }
        opened[planID] = (library, plan)
        return (library, plan)
    }

    /// The plan's figures; an unknown id falls back to the latest plan, as the dashboard opens on it. Without notes: the
    /// dashboard asks for them after its first frame (`Effect.loadNotes`), and the summary drawn once shows none.
    func data(planID: String, asOf: CivilDate?) throws -> DashboardData {
        guard let id = headers.contains(where: { $0.id == planID }) ? planID : headers.last?.id else { throw CLIError("没有可用的计划") }
        let (library, plan) = try open(id)
        let states = try store.states(of: plan, asOf: asOf)
        // A finished year's plan opens at its last recorded day (see Plan.naturalAsOf), not years overdue. Nothing is
        // dated after that day, so the current states are already the states as of it: no second query.
        let day = asOf ?? plan.naturalAsOf(today: today(), lastRecorded: states.latestDate)
        let snapshot = library.snapshot(of: plan, asOf: day, states: states)
        return DashboardData(snapshot: snapshot, plans: choices, today: today(), isPlansOwnDay: asOf == nil,
                             demoEvents: try store.demoEventCount(planID: plan.id, asOf: day),
                             reports: try PlanActivity.reports(snapshot, library: library, store: store), cycle: library.reportCycle(for: plan))
    }

    /// What changed between two days (the 动态 screen), reports included.
    func changes(planID: String, since: CivilDate, asOf: CivilDate) throws -> ChangesData {
        let (library, plan) = try open(planID)
        let after = library.snapshot(of: plan, asOf: asOf, states: try store.states(of: plan, asOf: asOf))
        let reports = try PlanActivity.reports(after, library: library, store: store)
        return ChangesData(since: since, asOf: asOf,
                           changes: try PlanActivity.changes(since: since, to: after, reports: reports, library: library, store: store))
    }

    func history(planID: String, nodeID: String, unitID: String) throws -> HistoryData {
        let own = try store.history(planID: planID, nodeID: nodeID, unitID: unitID, asOf: nil).filter { $0.nodeID == nodeID }
        let earlier = try (try? open(planID)).map {
            try CarriedHistory.events(store: store, plan: $0.1, nodeIDs: [nodeID], unitID: unitID, asOf: nil)
        } ?? []
        let events = earlier + own
        return HistoryData(assignment: Assignment(nodeID: nodeID, unitID: unitID), events: events)
    }

    /// Records an office step from the 审核 screen; the answer is what the admin is told.
    func decide(_ step: StepSubmission) -> Event {
        guard let plan = try? open(step.planID).1 else { return .stepRecorded("计划已不存在", isError: true) }
        let me = Identity.current
        do {
            let event = try store.record(
                NewUpdate.step(step.kind, planID: plan.id, nodeID: step.assignment.nodeID, unitID: step.assignment.unitID,
                               note: step.note, date: today(), author: me.name, uid: me.uid),
                expecting: step.expect)
            let unit = plan.registry.unit(id: event.unitID)?.name ?? event.unitID
            return .stepRecorded("已记录 #\(event.id)：\(event.nodeID) \(unit) \(step.kind.label)", isError: false)
        } catch let error as StoreError {
            if case .conflict = error { return .stepRecorded("该申报已被更新（他人已审核或单位重新报送），未保存；已刷新，请重新查看", isError: true) }
            return .stepRecorded(error.description, isError: true)
        } catch {
            return .stepRecorded("保存失败：\(error)", isError: true)
        }
    }

    /// Saves a form; the answer is the event the dashboard shows.
    func submit(_ submission: Submission) -> Event {
        guard let plan = try? open(submission.planID).1 else { return .saveRejected("计划已不存在") }
        var request = UpdateRequest(nodeID: submission.nodeID, unit: submission.unitID, status: submission.status,
                                    percent: submission.percent, note: submission.note, evidence: submission.evidence,
                                    date: CivilDate(iso: submission.date) ?? today())
        request.corrects = submission.corrects
        do {
            let event = try UpdateCommand.submit(request, expecting: submission.expect, plan: plan, store: store, reopens: submission.reopens)
            let unit = plan.registry.unit(id: event.unitID)?.name ?? event.unitID
            return .saved(savedEventID: event.id, message: "已保存 #\(event.id)：\(event.nodeID) \(unit) \(event.status.rawValue) \(event.percent)%")
        } catch let error as CLIError where error.exitCode == 3 {
            if let current = try? store.latest(planID: plan.id, nodeID: submission.nodeID, unitID: submission.unitID) {
                return .saveConflict(current: ConflictInfo(eventID: current.id, author: current.author, recordedAt: current.recordedAt,
                                                           status: current.status.rawValue, percent: current.percent, note: current.note))
            }
            return .saveRejected(error.message)
        } catch let error as CLIError {
            return .saveRejected(error.message)
        } catch {
            return .saveRejected("保存失败：\(error)")
        }
    }
}
