import DubanCore

/// The one place the dashboard's state changes. Pure: the driver performs the returned effects and feeds
/// their results back as events.
public enum Dashboard {
    public static func update(_ state: inout AppState, _ event: Event) -> [Effect] {
        switch event {
        case let .resize(width, height):
            state.width = width
            state.height = height
            return []
        case var .snapshotLoaded(data):
            // A note never changes (events are append-only): those already read are kept, only new ones asked for.
            // One pass; a dictionary with nothing in it is not asked (the first load, before the first frame, has
            // thousands of ids at province scale and no note yet).
            let known = state.data?.notes ?? [:]
            let missing = data.noteIDs.filter { id in
                guard data.notes.isEmpty || data.notes[id] == nil else { return false }
                guard !known.isEmpty, let note = known[id] else { return true }
                data.notes[id] = note
                return false
            }
            state.data = data
            state.search.results = Lists.runSearch(state).map(\.id)
            keepSelectionsValid(&state)
            let notes: [Effect] = missing.isEmpty ? [] : [.loadNotes(ids: missing)]
            if state.screen == .changes { return changesEffect(state) + notes }
            return (state.screen == .history ? historyEffect(state) : []) + notes
        case let .notesLoaded(notes):
            state.data?.notes.merge(notes) { _, new in new }
            return []
        case let .changesLoaded(changes):
            // Only what answers the window and day now on screen (a quick `v` or `[` may have asked again).
            if let data = state.data, changes.asOf == data.asOf, changes.since == data.asOf.adding(days: -state.changesDays) {
                state.changes = changes
                state.changesSelection = min(state.changesSelection, max(0, changes.changes.count - 1))
            }
            return []
        case let .historyLoaded(history):
            state.history = history
            state.historySelection = min(state.historySelection, max(0, history.events.count - 1))
            return []
        case .externalChange:
            return reloadEffect(state)
        case let .saved(_, message):
            state.form = nil
            state.message = message
            state.messageIsError = false
            // The history on screen (or behind the form) shows the save at once.
            let history = state.history.map { h in
                [Effect.loadHistory(planID: state.data?.plan.id ?? "", nodeID: h.assignment.nodeID, unitID: h.assignment.unitID)]
            } ?? []
            return reloadEffect(state) + history
        case let .latestLoaded(assignment, note, evidence):
            // Only into a form still untouched: what the clerk has typed is never replaced.
            if var form = state.form, form.assignment == assignment, !form.dirty {
                form.note = TextField(note, limit: UpdateRequest.maximumNoteLength)
                form.evidence = TextField(evidence ?? "", limit: UpdateRequest.maximumEvidenceLength)
                state.form = form
            }
            return []
        case let .saveRejected(message):
            state.form?.saving = false
            state.form?.error = message
            return []
        case let .saveConflict(current):
            state.form?.saving = false
            state.form?.conflict = current
            // A correction was of the record the clerk saw; the newer one is someone else's, not corrected unasked.
            state.form?.isCorrection = false
            // The clerk has now seen the newer update; a second save is made against it.
            state.form?.expect = current.eventID
            state.form?.error = "该任务已被 \(current.author) 于 \(current.recordedAt.prefix(16).replacingT) 更新，请核对后再次保存"
            return reloadEffect(state)
        case let .exported(message, isError):
            state.message = message
            state.messageIsError = isError
            return []
        case let .stepRecorded(message, isError):
            state.message = message
            state.messageIsError = isError
            return reloadEffect(state)
        case let .mouse(x, y, button):
            return mouse(&state, x: x, y: y, button: button)
        case let .paste(text, length):
            state.message = nil
            return paste(&state, text, length: length)
        case let .key(key):
            state.message = nil
            if state.confirmDemo {
                state.confirmDemo = false
                if key == .character("y") || key == .character("Y") {
                    state.emptyDatabase = false
                    state.message = "正在填入演示数据……"
                    return [.fillDemo]
                }
                state.message = "未填入演示数据"
                return []
            }
            if state.confirmQuit {
                state.confirmQuit = false
                if key == .character("y") || key == .character("Y") { return [.quit] }
                state.message = "已取消退出"
                return []
            }
            if state.confirmApprove != nil { return approveKey(&state, key) }
            if state.reasonEntry != nil { return reasonKey(&state, key) }
            if state.form != nil { return formKey(&state, key) }
            if state.dateEntry != nil { return dateKey(&state, key) }
            if state.unitPicker != nil { return unitPickerKey(&state, key) }
            if state.search.typing { return searchKey(&state, key) }
            return globalKey(&state, key)
        }
    }

    // MARK: - keys

    static func globalKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if state.screen == .help, let offset = HelpView.scrolled(state, by: key) {
            state.helpOffset = offset
            return []
        }
        switch key {
        case .character("q"), .control("c"):
            return [.quit]
        case let .character(ch) where ch.isNumber:
            if let n = ch.wholeNumberValue, let screen = ScreenID(rawValue: n), ScreenID.tabs.contains(screen) {
                return switchScreen(&state, to: screen)
            }
            return []
        case .tab:
            return switchScreen(&state, to: neighbourTab(state.screen, by: 1))
        case .backTab:
            return switchScreen(&state, to: neighbourTab(state.screen, by: -1))
        case .character("?"), .function(1):
            state.returnScreen = state.screen == .help ? state.returnScreen : state.screen
            state.screen = .help
            state.helpOffset = 0
            return []
        case .character("/"):
            // A new query each time: the last one is not silently extended.
            state.search = SearchState()
            state.search.typing = true
            state.returnScreen = state.screen == .search ? state.returnScreen : state.screen
            state.screen = .search
            return []
        case .character("p"), .character("P"):
            guard let data = state.data, !data.plans.isEmpty else { return [] }
            let index = data.plans.firstIndex { $0.id == data.plan.id } ?? 0
            let next = data.plans[(index + (key == .character("p") ? 1 : data.plans.count - 1)) % data.plans.count]
            state.overviewSelection = nil
            state.taskSelection = nil
            state.overdueSelection = nil
            state.unitSelection = nil
            state.overdueFilter = nil
            state.history = nil
            state.expanded = []
            return [.loadSnapshot(planID: next.id, asOfDate: state.requestedAsOf?.description)]
        case .character("["), .character("]"):
            guard let data = state.data else { return [] }
            let target = data.asOf.adding(months: key == .character("[") ? -1 : 1)
            state.requestedAsOf = target >= data.today ? nil : target
            return reloadEffect(state)
        case .character("t"):
            state.requestedAsOf = nil
            return reloadEffect(state)
        case .character("g"):
            guard state.data != nil else { return [] }
            state.dateEntry = TextField("", limit: 10)
            return []
        case .character("x"):
            guard let data = state.data else { return [] }
            if state.readOnly {
                state.message = "领导视图为只读，不导出文件"
                state.messageIsError = true
                return []
            }
            state.message = "正在导出……"
            return [.export(planID: data.plan.id, asOfDate: state.requestedAsOf?.description)]
        case .character("D") where state.emptyDatabase && !state.readOnly:
            state.confirmDemo = true
            return []
        case .escape:
            if state.screen == .help || state.screen == .search || state.screen == .history {
                state.screen = state.returnScreen == state.screen ? .overview : state.returnScreen
            }
            return []
        default:
            return screenKey(&state, key)
        }
    }

    static func screenKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch state.screen {
        case .overview:
            let rows = Lists.overview(state)
            if key == .enter, let id = state.overviewSelection ?? rows.first?.unit.id {
                state.unitID = id
                state.unitSelection = nil
                return switchScreen(&state, to: .unit)
            }
            state.overviewSelection = move(key, in: rows.map(\.unit.id), from: state.overviewSelection, page: state.listHeight)
        case .tasks:
            let rows = Lists.tasks(state)
            let current = state.taskSelection ?? rows.first?.node.id
            if key == .character("e"), let id = current, let plan = state.data?.plan {
                // A task has one assignment per unit: the form opens when it is clear which (the account's own unit).
                let own = plan.assignments.filter { $0.nodeID == id && (state.editableUnits?.contains($0.unitID) ?? true) }
                if own.count == 1, let assignment = own.first { return openFormOnUnitScreen(&state, assignment) }
                state.message = own.isEmpty ? "此事项没有可登记的单位任务（请选到具体任务）" : "此事项有 \(own.count) 个责任单位：请在单位页（4）选择单位后按 e"
                state.messageIsError = true
                return []
            }
            if let id = current, let row = rows.first(where: { $0.node.id == id }), row.hasChildren {
                switch key {
                case .enter, .character(" "):
                    toggle(&state, row.node)
                    return []
                case .left where row.isExpanded, .right where !row.isExpanded:
                    toggle(&state, row.node)
                    return []
                default: break
                }
            }
            if key == .left, let id = current, let parent = state.data?.plan.node(id)?.parentID {
                state.taskSelection = parent
                return []
            }
            state.taskSelection = move(key, in: rows.map(\.node.id), from: current, page: state.listHeight)
        case .overdue:
            let rows = Lists.overdue(state)
            if key == .character("f") {
                if state.overdueFilter != nil {
                    state.overdueFilter = nil
                } else if let selected = state.overdueSelection ?? rows.first?.assignment {
                    state.overdueFilter = selected.unitID
                }
                state.overdueSelection = nil
                return []
            }
            if key == .character("e"), let selected = state.overdueSelection ?? rows.first?.assignment {
                return openFormOnUnitScreen(&state, selected)
            }
            if key == .character("v") {
                state.overdueList = state.overdueList == .stale ? .overdue : .stale
                state.overdueOrder = state.overdueList == .stale ? .lastUpdate : .deadline
                state.overdueSelection = nil
                return []
            }
            if key == .character("s") {
                state.overdueOrder = state.overdueOrder.next(in: Lists.overdueOrders)
                return []
            }
            if key == .enter || key == .character("h"), let selected = state.overdueSelection ?? rows.first?.assignment {
                state.unitID = selected.unitID
                state.unitSelection = selected
                return openHistory(&state, selected)
            }
            state.overdueSelection = move(key, in: rows.map(\.assignment), from: state.overdueSelection, page: state.listHeight)
        case .unit:
            let units = Lists.units(state)
            if key == .character("v") {
                state.unitFilter = state.unitFilter.next(in: StandingFilter.allCases)
                return []
            }
            if key == .character("s") {
                state.unitOrder = state.unitOrder.next(in: Lists.unitOrders)
                return []
            }
            if key == .character("u") || key == .character("U"), !units.isEmpty {
                state.unitPicker = UnitPicker(selection: Lists.currentUnit(state)?.id)
                return []
            }
            let rows = Lists.unitAssignments(state)
            let selected = state.unitSelection ?? rows.first?.assignment
            if key == .character("e"), let selected {
                return openForm(&state, selected)
            }
            if key == .enter || key == .character("h"), let selected {
                return openHistory(&state, selected)
            }
            state.unitSelection = move(key, in: rows.map(\.assignment), from: state.unitSelection, page: state.listHeight)
        case .history:
            let count = state.history?.events.count ?? 0
            if key == .character("e"), let assignment = state.history?.assignment {
                return openFormOnUnitScreen(&state, assignment)
            }
            let indices = Array(0..<count)
            state.historySelection = move(key, in: indices, from: state.historySelection, page: state.listHeight) ?? 0
        case .search:
            let results = Lists.search(state)
            if key == .enter, let id = state.search.selection ?? results.first?.id {
                reveal(&state, nodeID: id)
                state.screen = .tasks
                return []
            }
            state.search.selection = move(key, in: results.map(\.id), from: state.search.selection, page: state.listHeight)
        case .review:
            let rows = Lists.review(state)
            let selected = rows.first { $0.assignment == state.reviewSelection } ?? rows.first
            if key == .character("a") || key == .character("r"), let selected {
                guard state.canDecide, let data = state.data else {
                    state.message = "审核销号由政务公开办管理员办理，当前账号只能查看"
                    state.messageIsError = true
                    return []
                }
                state.reviewSelection = selected.assignment
                if key == .character("a") {
                    let unit = data.plan.registry.unit(id: selected.assignment.unitID)?.name ?? selected.assignment.unitID
                    state.confirmApprove = selected.assignment
                    state.message = "审核通过 \(selected.assignment.nodeID) \(unit)，办结销号？（y 确定，其他键取消）"
                } else {
                    state.reviewSelection = selected.assignment
                    state.reasonEntry = TextField("", limit: UpdateRequest.maximumNoteLength)
                }
                return []
            }
            if key == .enter || key == .character("h"), let selected {
                state.unitID = selected.assignment.unitID
                state.unitSelection = selected.assignment
                return openHistory(&state, selected.assignment)
            }
            state.reviewSelection = move(key, in: rows.map(\.assignment), from: selected?.assignment, page: state.listHeight)
        case .changes:
            let rows = Lists.changes(state)
            if key == .character("v") {
                state.changesDays = state.changesDays == 7 ? 30 : 7
                state.changesSelection = 0
                return changesEffect(state)
            }
            if key == .enter || key == .character("h"), rows.indices.contains(state.changesSelection),
               let assignment = rows[state.changesSelection].assignment {
                state.unitID = assignment.unitID
                state.unitSelection = assignment
                return openHistory(&state, assignment)
            }
            state.changesSelection = move(key, in: Array(rows.indices), from: state.changesSelection, page: state.listHeight) ?? 0
        case .board:
            let nodes = Lists.boardNodes(state).map(\.id)
            let units = Lists.units(state).map(\.id)
            let node = state.boardNode ?? nodes.first
            let unit = state.boardUnit ?? units.first
            switch key {
            case .left, .character("h"): state.boardUnit = move(.up, in: units, from: unit, page: 1)
            case .right, .character("l"): state.boardUnit = move(.down, in: units, from: unit, page: 1)
            case .home: state.boardUnit = units.first
            case .end: state.boardUnit = units.last
            case .enter:
                guard let node, let unit, state.data?.snapshot.standings(of: node).contains(where: { $0.assignment.unitID == unit }) == true
                else { return [] }
                let assignment = Assignment(nodeID: node, unitID: unit)
                state.unitID = unit
                state.unitSelection = assignment
                return openHistory(&state, assignment)
            default:
                state.boardNode = move(key, in: nodes, from: node, page: state.listHeight - 1)
                state.boardUnit = unit
            }
        case .summary, .help:
            break
        }
        return []
    }

    /// The 动态 window as of the day on screen.
    static func changesEffect(_ state: AppState) -> [Effect] {
        guard let data = state.data else { return [] }
        return [.loadChanges(planID: data.plan.id, since: data.asOf.adding(days: -state.changesDays).description, asOf: data.asOf.description)]
    }

    /// `y` after `a` on the 审核 screen: sign the claim off, against the claim the admin saw.
    static func approveKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard let assignment = state.confirmApprove else { return [] }
        state.confirmApprove = nil
        guard key == .character("y") || key == .character("Y") else {
            state.message = "未审核"
            return []
        }
        return decide(&state, .approve, assignment, note: "")
    }

    /// The return reason on the bottom line: Enter sends it back to the unit, Esc cancels.
    static func reasonKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var entry = state.reasonEntry, let assignment = state.reviewSelection else {
            state.reasonEntry = nil
            return []
        }
        switch key {
        case .escape:
            state.reasonEntry = nil
            state.message = "已取消退回"
            return []
        case .enter:
            let reason = entry.text.trimmingSpaces
            if reason.isEmpty {
                state.message = "退回须写明理由，单位据此整改"
                state.messageIsError = true
                return []
            }
            state.reasonEntry = nil
            return decide(&state, .returnClaim, assignment, note: reason)
        default:
            if case .character = key, entry.isFull { return [] }
            _ = entry.handle(key)
            state.reasonEntry = entry
            return []
        }
    }

    static func decide(_ state: inout AppState, _ kind: EventKind, _ assignment: Assignment, note: String) -> [Effect] {
        guard let data = state.data else { return [] }
        let standing = data.snapshot.standings(of: assignment.nodeID).first { $0.assignment == assignment }
        // Checked with the command line's rules before anything is sent.
        let request = StepRequest(kind: kind, nodeID: assignment.nodeID, unit: assignment.unitID, note: note, date: data.today)
        if case let .failure(rejection) = request.resolve(in: data.plan, today: data.today, standing: { _ in standing }) {
            state.message = rejection.message
            state.messageIsError = true
            return []
        }
        state.message = "正在保存……"
        return [.decide(StepSubmission(kind: kind, planID: data.plan.id, assignment: assignment, note: note, expect: standing?.lastEventID))]
    }

    /// The `g` prompt: a typed date (2021-09-30, 2021-9-30, 20210930 or 2021/09/30), Enter to go, Esc to leave.
    static func dateKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var entry = state.dateEntry else { return [] }
        switch key {
        case .escape:
            state.dateEntry = nil
            return []
        case .enter:
            guard let date = CivilDate(typed: entry.text) else {
                state.message = "“\(entry.text)”不是日期：\(CivilDate.problem(typed: entry.text))"
                state.messageIsError = true
                return []
            }
            state.dateEntry = nil
            state.requestedAsOf = date == state.data?.today ? nil : date
            return reloadEffect(state)
        case let .character(ch) where !(ch.isASCII && (ch.isNumber || ch == "-" || ch == "/" || ch == ".")):
            return []
        default:
            _ = entry.handle(key)
            state.dateEntry = entry
            return []
        }
    }

    /// The unit picker: typing filters, ↑ ↓ choose, Enter opens the unit, Esc leaves things as they were.
    static func unitPickerKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var picker = state.unitPicker else { return [] }
        let candidates = Lists.pickableUnits(state).map(\.id)
        switch key {
        case .escape:
            state.unitPicker = nil
            return []
        case .enter:
            guard let chosen = picker.selection.flatMap({ candidates.contains($0) ? $0 : nil }) ?? candidates.first else {
                state.message = "没有名称中含“\(picker.query.text)”的单位"
                state.messageIsError = true
                return []
            }
            state.unitPicker = nil
            state.unitID = chosen
            state.unitSelection = nil
            return []
        case .up, .down, .pageUp, .pageDown, .home, .end:
            picker.selection = move(key, in: candidates, from: picker.selection.flatMap { candidates.contains($0) ? $0 : nil }, page: 10)
        default:
            if picker.query.handle(key) {
                state.unitPicker = picker
                picker.selection = Lists.pickableUnits(state).first?.id
            }
        }
        state.unitPicker = picker
        return []
    }

    static func searchKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch key {
        case .enter:
            state.search.typing = false
            state.search.selection = Lists.search(state).first?.id
        case .escape:
            state.search.typing = false
            state.screen = state.returnScreen
        default:
            if state.search.query.handle(key) { state.search.results = Lists.runSearch(state).map(\.id) }
            state.search.selection = nil
        }
        return []
    }

    /// A paste goes into the field being edited, whole or not at all; anywhere else it is ignored, so pasted text
    /// is never taken as commands.
    static func paste(_ state: inout AppState, _ text: String, length: Int) -> [Effect] {
        if var entry = state.reasonEntry {
            if let refusal = entry.paste(text, length: length) {
                state.message = refusal
                state.messageIsError = true
            }
            state.reasonEntry = entry
            return []
        }
        if var picker = state.unitPicker {
            _ = picker.query.paste(text, length: length)
            state.unitPicker = picker
            let first = Lists.pickableUnits(state).first?.id
            state.unitPicker?.selection = first
            return []
        }
        if state.search.typing, state.form == nil {
            if let refusal = state.search.query.paste(text, length: length) {
                state.message = refusal
                state.messageIsError = true
            } else {
                state.search.results = Lists.runSearch(state).map(\.id)
                state.search.selection = nil
            }
            return []
        }
        guard var form = state.form, !form.saving else { return [] }
        defer { state.form = form }
        var refusal: String?
        switch form.focus {
        case .status:
            refusal = "状态栏不能粘贴：用 ← → 或数字 1–4 选择"
        case .percent:
            let digits = String(TextField.cleaned(text).filter { $0 != " " })
            refusal = digits.allSatisfy({ $0.isASCII && $0.isNumber }) ? form.percent.paste(digits, length: digits.count)
                : "完成进度应为 0 到 100 的整数，未粘贴"
        case .date:
            let typed = String(TextField.cleaned(text).filter { $0 != " " })
            refusal = CivilDate(typed: typed) == nil ? "“\(typed.prefix(20))”不是日期，未粘贴" : nil
            if refusal == nil { form.date = TextField(typed, limit: 10) }
        case .note: refusal = form.note.paste(text, length: length)
        case .evidence: refusal = form.evidence.paste(text, length: length)
        }
        if let refusal { form.error = refusal } else { form.dirty = true; form.error = nil }
        return []
    }

    static func formKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var form = state.form, !form.saving else { return [] }
        defer { if state.form != nil { state.form = form } }
        switch key {
        case .escape:
            if form.dirty && form.error != "再按 Esc 放弃未保存的输入" {
                form.error = "再按 Esc 放弃未保存的输入"
                return []
            }
            state.form = nil
            state.message = "未保存"
            return []
        case .tab, .down:
            form.focus = FormState.Field(rawValue: (form.focus.rawValue + 1) % FormState.Field.allCases.count)!
        case .backTab, .up:
            let count = FormState.Field.allCases.count
            form.focus = FormState.Field(rawValue: (form.focus.rawValue + count - 1) % count)!
        case .control("s"), .function(2):
            return submit(&state, &form)
        case .enter:
            if form.focus == .evidence { return submit(&state, &form) }
            form.focus = FormState.Field(rawValue: form.focus.rawValue + 1)!
        case .control("c"), .control("q"):
            state.confirmQuit = form.dirty
            return form.dirty ? [] : [.quit]
        default:
            if form.focus == .status {
                let all: [Status] = [.notStarted, .inProgress, .done, .suspended]
                let index = all.firstIndex(of: form.status) ?? 0
                switch key {
                case .left: form.status = all[(index + 3) % 4]
                case .right, .character(" "): form.status = all[(index + 1) % 4]
                case let .character(ch):
                    if let n = ch.wholeNumberValue, (1...4).contains(n) { form.status = all[n - 1] } else { return [] }
                default: return []
                }
                if form.status == .done { form.percent = TextField("100", limit: 3) }
                form.dirty = true
                return []
            }
            var changed = false
            var full: String?
            func edit(_ field: inout TextField) {
                if case .character = key, field.isFull { full = field.fullMessage; return }
                changed = field.handle(key)
            }
            switch form.focus {
            case .percent:
                if case let .character(ch) = key, !ch.isASCII || !ch.isNumber { return [] }
                edit(&form.percent)
            case .date:
                if key == .character(" ") {
                    // Only a record that exists can be corrected.
                    guard form.expect > 0 else { form.error = "该任务还没有记录，无可更正"; return [] }
                    form.isCorrection.toggle()
                    form.dirty = true
                    return []
                }
                if case let .character(ch) = key, !(ch.isASCII && (ch.isNumber || "-/.".contains(ch))) { return [] }
                edit(&form.date)
            case .note: edit(&form.note)
            case .evidence: edit(&form.evidence)
            case .status: break
            }
            if let full { form.error = full }
            if changed { form.dirty = true; form.error = nil }
        }
        return []
    }

    static func submit(_ state: inout AppState, _ form: inout FormState) -> [Effect] {
        guard let data = state.data else { return [] }
        let percent = Int(form.percent.text)
        if !form.percent.isEmpty && percent == nil {
            form.error = "完成进度应为 0 到 100 的整数"
            return []
        }
        guard let date = CivilDate(typed: form.date.text) else {
            form.error = "登记日期“\(form.date.text)”不是日期：\(CivilDate.problem(typed: form.date.text))"
            form.focus = .date
            return []
        }
        // Checked here with the same rules as the command line, so the form says what is wrong before saving.
        let request = UpdateRequest(nodeID: form.assignment.nodeID, unit: form.assignment.unitID, status: form.status.rawValue,
                                    percent: percent, note: form.note.text, evidence: form.evidence.text, date: date)
        let previous = data.snapshot.standings.first { $0.assignment == form.assignment }?.percent
        if case let .failure(rejection) = request.resolve(in: data.plan, today: data.today, previousPercent: previous) {
            form.error = rejection.message
            return []
        }
        form.saving = true
        form.error = nil
        var submission = Submission(planID: data.plan.id, nodeID: form.assignment.nodeID, unitID: form.assignment.unitID,
                                    status: form.status.rawValue, percent: percent, note: form.note.text,
                                    evidence: form.evidence.isEmpty ? nil : form.evidence.text, expect: form.expect,
                                    date: date.description, corrects: form.isCorrection ? form.expect : nil)
        submission.reopens = form.reopens
        return [.submit(submission)]
    }

    // MARK: - mouse

    static func mouse(_ state: inout AppState, x: Int, y: Int, button: MouseButton) -> [Effect] {
        guard state.form == nil else { return [] }
        switch button {
        case .wheelUp: return screenKey(&state, .up)
        case .wheelDown: return screenKey(&state, .down)
        case .left:
            if y == 1 {
                // The tab bar: each tab is drawn by the header view at known columns.
                for (screen, range) in Layout.tabColumns(state) where range.contains(x) {
                    return switchScreen(&state, to: screen)
                }
                return []
            }
            func pick<ID: Equatable>(_ ids: [ID], _ current: ID?) -> ID? {
                let selected = current.flatMap { ids.firstIndex(of: $0) } ?? 0
                let hit = Layout.visibleRows(count: ids.count, selected: selected, state: state).first { $0.y == y }
                return hit.map { ids[$0.index] } ?? current
            }
            switch state.screen {
            case .overview: state.overviewSelection = pick(Lists.overview(state).map(\.unit.id), state.overviewSelection)
            case .tasks:
                guard x < Layout.treeWidth(state) else { return [] }
                state.taskSelection = pick(Lists.tasks(state).map(\.node.id), state.taskSelection)
            case .overdue: state.overdueSelection = pick(Lists.overdue(state).map(\.assignment), state.overdueSelection)
            case .unit: state.unitSelection = pick(Lists.unitAssignments(state).map(\.assignment), state.unitSelection)
            case .search: state.search.selection = pick(Lists.search(state).map(\.id), state.search.selection)
            default: break
            }
            return []
        }
    }

    // MARK: - helpers

    static func switchScreen(_ state: inout AppState, to screen: ScreenID) -> [Effect] {
        state.screen = screen
        if screen == .changes { return changesEffect(state) }
        if screen == .history, state.history == nil {
            if let assignment = state.unitSelection ?? Lists.unitAssignments(state).first?.assignment {
                return openHistory(&state, assignment)
            }
        }
        return []
    }

    static func neighbourTab(_ screen: ScreenID, by step: Int) -> ScreenID {
        let tabs = ScreenID.tabs
        let index = tabs.firstIndex(of: screen) ?? 0
        return tabs[(index + step + tabs.count) % tabs.count]
    }

    static func openHistory(_ state: inout AppState, _ assignment: Assignment) -> [Effect] {
        state.returnScreen = state.screen == .history ? state.returnScreen : state.screen
        state.screen = .history
        state.historySelection = 0
        if state.history?.assignment != assignment { state.history = HistoryData(assignment: assignment, events: []) }
        guard let plan = state.data?.plan else { return [] }
        return [.loadHistory(planID: plan.id, nodeID: assignment.nodeID, unitID: assignment.unitID)]
    }

    /// `e` from a screen other than 单位: the form opens over the unit's list, with the assignment selected.
    static func openFormOnUnitScreen(_ state: inout AppState, _ assignment: Assignment) -> [Effect] {
        let effects = openForm(&state, assignment)
        if state.form != nil {
            state.unitID = assignment.unitID
            state.unitSelection = assignment
            state.screen = .unit
        }
        return effects
    }

    static func openForm(_ state: inout AppState, _ assignment: Assignment) -> [Effect] {
        if state.readOnly {
            state.message = "领导视图为只读，不能登记进展"
            state.messageIsError = true
            return []
        }
        if let editable = state.editableUnits, !editable.contains(assignment.unitID) {
            state.message = "只能登记本单位的进展：此任务属于其他单位"
            state.messageIsError = true
            return []
        }
        guard let data = state.data else { return [] }
        // A finished year's plan shown at its last recorded day (nothing asked for) is its current state: recordable.
        if data.asOf != data.today && state.requestedAsOf != nil {
            state.message = "正在查看 \(data.asOf) 的情况；按 t 返回后再登记进展"
            state.messageIsError = true
            return []
        }
        let standing = data.snapshot.standings.first { $0.assignment == assignment }
        // Signed-off work takes no report (CarriedState.closedReason): a unit's clerk hears so at once, and the office's
        // form reopens it, saying so on the form.
        let closed = standing?.review == .approved
        if closed && !state.canDecide {
            state.message = "该任务已办结销号，不能再登记进展；如需重新办理，请联系督办室"
            state.messageIsError = true
            return []
        }
        // A finished year's plan is recorded as of the day on screen: today would carry the whole plan to today.
        let finished = data.plan.isFinished(today: data.today)
        state.form = FormState(assignment: assignment, expect: standing?.lastEventID ?? 0,
                               status: standing?.status ?? .notStarted, percent: standing?.percent ?? 0,
                               today: finished ? data.asOf : data.today)
        state.form?.reopens = closed
        state.form?.finishedPlan = finished
        guard standing?.lastEventID != nil else { return [] }
        return [.loadLatest(planID: data.plan.id, nodeID: assignment.nodeID, unitID: assignment.unitID)]
    }

    static func historyEffect(_ state: AppState) -> [Effect] {
        guard let assignment = state.history?.assignment, let plan = state.data?.plan else { return [] }
        return [.loadHistory(planID: plan.id, nodeID: assignment.nodeID, unitID: assignment.unitID)]
    }

    static func reloadEffect(_ state: AppState) -> [Effect] {
        guard let plan = state.data?.plan else { return [] }
        return [.loadSnapshot(planID: plan.id, asOfDate: state.requestedAsOf?.description)]
    }

    static func toggle(_ state: inout AppState, _ node: PlanNode) {
        if state.expanded.contains(node.id) { state.expanded.remove(node.id) } else { state.expanded.insert(node.id) }
    }

    /// Opens the ancestors of a node and selects it.
    static func reveal(_ state: inout AppState, nodeID: String) {
        guard let plan = state.data?.plan else { return }
        var parent = plan.node(nodeID)?.parentID
        while let id = parent, let node = plan.node(id) {
            if !Lists.isExpanded(node, state) { toggle(&state, node) }
            parent = node.parentID
        }
        state.taskSelection = nodeID
    }

    /// Moves a selection through a list of ids by a navigation key; other keys leave it.
    static func move<ID: Equatable>(_ key: Key, in ids: [ID], from current: ID?, page: Int) -> ID? {
        guard !ids.isEmpty else { return current }
        let index = current.flatMap { ids.firstIndex(of: $0) } ?? 0
        let target: Int
        switch key {
        case .down, .character("j"): target = index + 1
        case .up, .character("k"): target = index - 1
        case .pageDown, .control("f"): target = index + page
        case .pageUp, .control("b"): target = index - page
        case .home: target = 0
        case .end, .character("G"): target = ids.count - 1
        default: return current
        }
        return ids[max(0, min(ids.count - 1, target))]
    }

    /// After a reload, selections pointing at rows that no longer exist fall back to the first row.
    static func keepSelectionsValid(_ state: inout AppState) {
        guard let data = state.data else { return }
        // At most two to look up: a scan, not a set of the plan's thousands built on every reload.
        if let a = state.overdueSelection, !data.plan.assignments.contains(a) { state.overdueSelection = nil }
        if let a = state.unitSelection, !data.plan.assignments.contains(a) { state.unitSelection = nil }
        if let id = state.taskSelection, data.plan.node(id) == nil { state.taskSelection = nil }
        if let id = state.unitID, data.plan.registry.unit(id: id) == nil { state.unitID = nil }
    }

    /// The same day a month earlier or later, clamped to the month's length.
}

extension Substring {
    var replacingT: String { String(map { $0 == "T" ? " " : $0 }) }
}
