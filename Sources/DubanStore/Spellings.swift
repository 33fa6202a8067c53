import DubanCore

/// An enumeration's cases by the bytes of their raw values: a store reading thousands of rows matches a status in place
/// instead of making a String of it first and switching over the cases' Strings.
struct Spellings<T: CaseIterable & RawRepresentable & Sendable>: Sendable where T.RawValue == String {
    private let cases: [(value: T, utf8: [UInt8])] = T.allCases.map { ($0, Array($0.rawValue.utf8)) }

    /// The case spelled by `bytes`; nil when none is (an empty field, NULL, included).
    func value<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> T? {
        cases.first { $0.utf8.elementsEqual(bytes) }?.value
    }
}

/// The spellings both stores read states with.
enum StateSpellings {
    static let status = Spellings<Status>()
    static let review = Spellings<ReviewState>()
}
