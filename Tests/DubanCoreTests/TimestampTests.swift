import Foundation
import Testing
import DubanCore

/// Records written before carry ISO8601DateFormatter's text: the same for any instant and any offset (whole hours,
/// India's half hour, Nepal's quarter, west of Greenwich), across day, month, year and leap-day boundaries.
@Test func timestampIsWhatISO8601DateFormatterWrote() {
    let instants: [Double] = [0, -1, 951_782_399.999, 951_782_400.5, 1_709_164_800.123, 1_735_689_599.9994,
                              1_763_688_600.0456, 1_798_761_599.001, 4_102_444_800.25, 1_000_000_000.987]
    for offset in [0, 28_800, -18_000, 19_800, 20_700, -34_200, 50_400] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(secondsFromGMT: offset)!
        for instant in instants {
            let seconds = Int(instant.rounded(.down))
            let millis = Int(((instant - Double(seconds)) * 1000).rounded(.down))
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1000 + 0.0001))
            #expect(Timestamp.iso8601(secondsSinceEpoch: seconds, milliseconds: millis, utcOffsetSeconds: offset) == expected,
                    "instant \(instant), offset \(offset)")
        }
    }
}
