import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Bytes of an office text file → text. UTF-8 (with or without BOM) when the bytes are valid UTF-8; otherwise
/// whichever of GB18030 (covering GBK and GB2312, as most office files in China are) and Big5 (Taiwan and
/// Hong Kong copies) reads as Chinese. Any byte string decodes as *something* in GB18030, so the choice is
/// judged by how much of the result is everyday written Chinese.
public enum TextDecoding {
    public enum Encoding: String, Sendable, CaseIterable {
        case utf8 = "utf-8", gb18030 = "gb18030", big5 = "big5"

        var iconvName: String {
            switch self {
            case .utf8: return "UTF-8"
            case .gb18030: return "GB18030"
            case .big5: return "BIG5-HKSCS"
            }
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Not valid in the encoding that was asked for.
        case invalid(Encoding)
        /// Decodes, but not to Chinese in any encoding tried: the best guess and its share of common characters.
        case notChinese(best: Encoding, percent: Int)

        public var description: String {
            switch self {
            case let .invalid(encoding): return "文件不是有效的 \(encoding.rawValue) 编码"
            case let .notChinese(best, percent):
                return "文件编码无法识别：按 UTF-8、GB18030、Big5 解码都不像中文（最接近的 \(best.rawValue) 只有 \(percent)% 是常用汉字），"
                    + "可能是其他编码或已损坏；请用 WPS/记事本另存为 UTF-8，或用 --encoding 指定"
            }
        }
    }

    public static func decode(_ data: Data, forcing: Encoding? = nil) -> (String, Encoding)? {
        try? decodeOrExplain(data, forcing: forcing).get()
    }

    public static func decodeOrExplain(_ data: Data, forcing: Encoding? = nil) -> Result<(String, Encoding), Failure> {
        var bytes = data
        if forcing == nil || forcing == .utf8, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let forcing {
            let text = forcing == .utf8 ? String(data: bytes, encoding: .utf8) : iconv(data, from: forcing.iconvName)
            return text.map { .success(($0, forcing)) } ?? .failure(.invalid(forcing))
        }
        if let text = String(data: bytes, encoding: .utf8) { return .success((text, .utf8)) }
        let candidates = [Encoding.gb18030, .big5].compactMap { encoding in
            iconv(data, from: encoding.iconvName).map { (text: $0, encoding: encoding, score: commonShare($0)) }
        }
        guard let best = candidates.max(by: { $0.score < $1.score }) else { return .failure(.notChinese(best: .gb18030, percent: 0)) }
        guard best.score >= 0.35 else { return .failure(.notChinese(best: best.encoding, percent: Int(best.score * 100))) }
        return .success((best.text, best.encoding))
    }

    /// The share of Han characters that are among the most frequent in written Chinese (Simplified or
    /// Traditional forms). Real text scores above one half; bytes read in the wrong encoding, below a fifth.
    static func commonShare(_ text: String) -> Double {
        var han = 0, common = 0
        for scalar in text.unicodeScalars where ScriptConversion.isHan(scalar) {
            han += 1
            if commonCharacters.contains(scalar) { common += 1 }
        }
        return han == 0 ? 0 : Double(common) / Double(han)
    }

    /// About 600 of the most frequent characters of modern written Chinese and of official documents, in both scripts.
    static let commonCharacters: Set<Unicode.Scalar> = Set((
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
        + "十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相"
        + "全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料"
        + "象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取"
        + "据处府研务市县省局委办厅单位领导责落实推进完善制度信息公开服务政策解读平台网站门户渠道监督考核评估标准规范管理建设工作要点项目"
        + "措施保障组织协调社会群众企业经济发展改革财政预算决算审计环境保护安全生产卫生健康教育文化旅游交通运输住房城乡规划自然资源生态应急"
        + "市场监管民政人力资源社会保障医疗养老就业扶贫乡村振兴重点领域重大决策执行结果回应关切依申请办理答复复议诉讼行政许可处罚收费清单目录"
        + "年度季度月底前按照职能分工牵头负责配合参与各级有关相关直属机关部门人民政府办公室通知印发请认真贯彻执行结合实际切实做好确保及时准确"
        + "全面深化加强提升优化持续积极主动依法及时依规统筹集中专栏栏目发布更新维护数据开放共享便民利企营商环境督查通报约谈问责培训宣传"
        + "說對會學國們來時過還為與這個發動產經進實現當樣開關長門間問題種點從應變體機線經濟區縣單辦導責務請項據報處務務總計劃規劃劃環"
        + "境護衛醫療養舉機構類議記錄質價費災難難災義條網絡頁數據廳員會議幹團結組織聯繫確認證據況狀態數書畫評論"
    ).unicodeScalars)

    /// Converts with the C library's iconv: exact, and present on every Debian machine.
    static func iconv(_ data: Data, from encoding: String) -> String? {
        let cd = iconv_open("UTF-8", encoding)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = [CChar](repeating: 0, count: data.count)
        data.withUnsafeBytes { raw in
            for (i, b) in raw.enumerated() { input[i] = CChar(bitPattern: b) }
        }
        var output = [CChar](repeating: 0, count: data.count * 2 + 16)
        var inLeft = input.count
        var outLeft = output.count
        let converted = input.withUnsafeMutableBufferPointer { inBuffer -> Bool in
            output.withUnsafeMutableBufferPointer { outBuffer -> Bool in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                return Glibc.iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft) != -1
            }
        }
        guard converted, inLeft == 0 else { return nil }
        return String(decoding: output.prefix(output.count - outLeft).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
