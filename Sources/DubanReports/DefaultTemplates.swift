/// The wording of the documents. A clerk overrides these by putting files of the same name in the
/// templates directory (`duban export templates -o DIR` writes these out as a starting point).
public enum DefaultTemplates {
    public static let bulletin = #"""
@title 关于{{planName}}｜落实情况的通报
@to {{addressees}}：
　　为推动{{planName}}各项任务落地见效，{{office}}对{{period}}（截至{{asOfChinese}}）的落实情况进行了梳理。现将有关情况通报如下。
@h1 一、总体情况
　　{{planName}}共部署工作任务{{itemCount}}项，分解为责任分工{{assignmentCount}}项{{#suspended}}（其中暂缓{{suspended}}项，不计入统计）{{/suspended}}。截至{{asOfChinese}}，已完成{{done}}项{{#review}}（经审核销号）{{/review}}，完成率{{completionRate}}，其中逾期完成{{doneLate}}项；{{#pendingReview}}已报完成、待审核{{pendingReview}}项；{{/pendingReview}}逾期未完成{{overdue}}项；进度滞后{{lagging}}项{{#extended}}；经批准延期{{extended}}项，按延期后的时限计算{{/extended}}。亮红灯{{red}}项、黄灯{{yellow}}项。各项任务平均进度{{meanPercent}}，时间进度{{timeElapsed}}，{{#behind}}平均进度落后于时间进度{{gap}}个百分点。{{/behind}}{{^behind}}平均进度不落后于时间进度。{{/behind}}
{{#hasSince}}
　　自{{sinceChinese}}以来，新完成{{sinceDone}}项，新增逾期{{sinceOverdue}}项，新增进度滞后{{sinceLagging}}项{{#sinceExtended}}，获批延期{{sinceExtended}}项{{/sinceExtended}}{{#sinceReturned}}，审核退回{{sinceReturned}}项{{/sinceReturned}}{{#sinceMissed}}；{{sinceMissed}}个单位未按时报送进展{{/sinceMissed}}。
{{/hasSince}}
@h1 二、各{{districts}}进展
　　按照任务完成率、按时完成率和平均进度综合评分，各{{districts}}排名如下：
@table ranking
{{#hasApart}}
　　{{apartList}}承担的任务不足各{{districts}}中位数的一半，不参与排名，其完成情况列于表末。
{{/hasApart}}
{{#hasCommended}}
　　{{commendedList}}任务推进有力、完成及时，予以通报表扬，并推荐为真抓实干督查激励对象。
{{/hasCommended}}
{{#hasNamed}}
　　{{namedList}}存在逾期未完成任务，予以通报，请于收到本通报后{{replyDays}}个工作日内将整改情况报{{office}}。
{{/hasNamed}}
@h1 三、存在问题
{{#problemGroups}}
@h2 {{heading}}
　　{{lead}}{{#units}}{{unit}}{{count}}{{countWord}}{{#items}}（{{items}}）{{/items}}{{^last}}；{{/last}}{{/units}}。
{{/problemGroups}}
{{#hasProblemGroups}}
　　各单位全部问题任务详见督办台账。
{{/hasProblemGroups}}
{{^hasProblemGroups}}
　　截至目前，未发现逾期、进度滞后或逾期完成的任务。
{{/hasProblemGroups}}
@h1 四、下一步工作要求
@h2 （一）压实工作责任。
　　各责任单位要对照工作要点逐项梳理，明确责任领导和具体责任人，对逾期和滞后任务制定整改措施，确保按期完成。
@h2 （二）加快工作进度。
{{#yearOver}}
　　尚未完成的任务要限期整改到位，逐项说明原因和完成时间，确保全部任务落地见效。
{{/yearOver}}
{{^yearOver}}
　　进度落后于时间进度的单位要倒排工期、挂图作战，{{#halfYearGone}}确保“时间过半、任务过半”，{{/halfYearGone}}确保全年任务按时完成。
{{/yearOver}}
@h2 （三）加强督查考核。
　　{{office}}将持续跟踪督办，定期通报工作落实情况，并将落实情况纳入绩效考核和真抓实干督查激励评估范围。

　　附件：各{{districts}}任务完成情况统计表
@signature {{issuer}}
@date {{dateChinese}}
@pagebreak
@attachment 附件
@title 各{{districts}}任务完成情况统计表
@table appendix
"""#

    public static let reminder = #"""
@title 催办单
　　编号：{{number}}
@to {{unit}}：
{{#hasItems}}
　　根据《{{planTitle}}》任务分工，截至{{asOfChinese}}，你单位承担的以下{{count}}项任务逾期未完成或进度滞后：
@table items
{{/hasItems}}
{{#missedReports}}
　　按照“{{cycle}}”的要求，你单位{{missedReports}}的工作进展未按时报送，请一并补报。
{{/missedReports}}
　　请于{{replyBy}}前（{{replyWithin}}个工作日内）将办理进展、存在困难及整改措施书面报送{{office}}，并在督办系统中更新进展。
　　联系人：　　　　　　　联系电话：
@signature {{issuer}}
@date {{dateChinese}}
@pagebreak
@h1 回执
　　编号：{{number}}
　　{{unit}}已收到本催办单。上述任务的整改措施和预计完成时间如下：
@blank 8
　　单位负责人（签字）：
　　填报人：　　　　　　　联系电话：
　　填报日期：　　　年　　月　　日
"""#
}
