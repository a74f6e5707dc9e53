"""Display labels (Chinese and English) and number formats, applied at render time.

Columns stay snake_case from SQL to DataFrame; pages turn them into labels here, in one table.
Chinese readers see 万户 and 亿元; English readers see grouped thousands and ¥…K/M/B (Babel).
"""

from __future__ import annotations

import pandas as pd
from babel.numbers import format_compact_decimal, format_decimal, format_percent

LANGS = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {
    # frame and navigation
    "app_title": ("浙江省城镇老旧小区改造综合考评", "Zhejiang old-community renovation evaluation"),
    "group_public": ("公众", "Public"),
    "group_evaluation": ("考评", "Evaluation"),
    "group_method": ("方法", "Method"),
    "page_progress": ("改造进度", "Progress"),
    "page_map": ("地图", "Map"),
    "page_leaderboard": ("排行榜", "Leaderboard"),
    "page_criterion": ("指标分析", "Criteria"),
    "page_bonus": ("加分项", "Bonus points"),
    "page_benchmark": ("比学赶超", "Benchmark"),
    "page_profile": ("单位档案", "Unit profile"),
    "page_methodology": ("评分方法", "Methodology"),
    "round": ("考评年度", "Round"),
    "round_option": ("{year}年度", "Round {year}"),
    "level": ("层级", "Level"),
    "stage": ("阶段", "Stage"),
    "language": ("语言 / Language", "语言 / Language"),
    "within": ("所属设区市", "Within city"),
    "all_cities": ("全省", "Whole province"),
    "unit": ("单位", "Unit"),
    "draft": ("草稿（未发布）", "draft (unpublished)"),
    "demo_badge": ("示例数据", "Demo data"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "chart_data": ("图表数据（表格）", "Chart data (table)"),
    "source_demo": ("数据来源：示例数据（模拟）", "Source: demo data (synthetic)"),
    "source_real": ("数据来源：考评数据库", "Source: evaluation database"),
    # levels and stages
    "city": ("设区市", "Cities"),
    "county": ("县（市、区）", "Counties"),
    "final": ("最终得分", "Final (verified)"),
    "self": ("市县自评", "Self-evaluation"),
    "cross": ("交叉互查", "Cross inspection"),
    "third_party": ("第三方评价", "Third-party evaluation"),
    # statuses
    "planned": ("计划", "Planned"),
    "started": ("已开工", "Started"),
    "completed": ("已完工", "Completed"),
    "accepted": ("已验收", "Accepted"),
    # leaderboard columns
    "rank": ("排名", "Rank"),
    "unit_name": ("单位", "Unit"),
    "unit_code": ("代码", "Code"),
    "total": ("总分", "Total"),
    "base": ("基础分", "Base"),
    "bonus": ("加分", "Bonus"),
    "bonus_claimed": ("申报加分", "Bonus claimed"),
    "deductions": ("扣分", "Deductions"),
    "grade": ("等次", "Grade"),
    "grade_name": ("等次", "Grade"),
    "rank_change": ("名次变化", "Rank change"),
    "total_change": ("总分变化", "Total change"),
    "rank_interval": ("名次区间(90%)", "Rank interval (90%)"),
    "tied": ("统计上并列", "Statistically tied"),
    "vetoed": ("一票否决", "Veto"),
    "unverified_count": ("未核验指标数", "Unverified indicators"),
    "p_top3": ("前三概率", "P(top 3)"),
    "leaderboard_caption": (
        "得分单位：分（{scale}）；⚠ 未核验：总分含核验阶段尚未评分的指标（由前一阶段得分替代；分阶段视图中为该阶段未评分的指标）；"
        "名次区间为权重扰动下的5%–95%分位，≈表示统计上并列",
        "Points ({scale}); ⚠ unverified: the total counts indicators their verifying stage has "
        "not scored (an earlier stage's points stand in; in a stage view, indicators that "
        "stage has not scored); rank interval = 5th–95th percentile under weight noise; ≈ "
        "marks statistically tied units"),
    "points_scale": ("基础分{base}，加分上限{bonus}", "base {base}, bonus up to {bonus}"),
    "points_scale_no_bonus": ("基础分{base}，无加分", "base {base}, no bonus"),
    "different_rubric": ("（评分标准不同）", " (different rubric)"),
    "leaderboard_chart": ("各维度得分构成", "Score by dimension"),
    "points_caption": ("单位：分", "Unit: points"),
    # progress
    "communities": ("小区", "Communities"),
    "households": ("户数", "Households"),
    "investment": ("投资", "Investment"),
    "target": ("目标", "Target"),
    "planned_investment": ("计划投资", "Planned investment"),
    "completed_investment": ("完成投资", "Completed investment"),
    # -- criterion, bonus, benchmark pages
    "crit_dimension": ("维度", "Dimension"),
    "crit_indicator": ("指标", "Indicator"),
    "crit_max_points": ("满分", "Max points"),
    "crit_verifying_stage": ("核验阶段", "Verified at"),
    "crit_distribution": ("各单位得分分布", "Distribution across units"),
    "crit_distribution_caption": (
        "每个点为一个单位的该指标得分，虚线为满分；单位：分",
        "Each dot is one unit's points on the indicator; dashed line = max points. Unit: points"),
    "crit_points": ("得分", "Points"),
    "crit_points_short": ("分", "pts"),
    "crit_stages": ("自评、互查、第三方评价对比", "Self vs cross vs third-party"),
    "crit_stages_caption": (
        "点为各阶段得分，◇为最终（核验）得分；⚠及红点：自评高出核验得分超过满分的{share}"
        "（自评失实）；按失实程度排序；单位：分",
        "Dots = points at each stage, ◇ = final (verified) points; ⚠ and a red dot: "
        "self-score above the verified score by more than {share} of max; most inflated first. "
        "Unit: points"),
    "crit_inflated": ("自评失实", "Self-score inflated"),
    "crit_verified_points": ("最终（核验）得分", "Final (verified)"),
    "crit_no_stage_detail": (
        "该指标由数据计算（{metric}），各阶段相同，没有分阶段打分明细；下面显示计算所依据的指标值。",
        "This indicator is computed from data ({metric}) and is the same at every stage: there "
        "is no stage detail. The metric it is computed from is shown instead."),
    "crit_metric_value": ("指标值（%）", "Metric value (%)"),
    "crit_metric_caption": (
        "柱长为指标值（%），标注为所得分数；数据来自小区台账和年度目标",
        "Bar = metric value (%), label = points earned; from the communities and targets data"),
    "crit_metric_start_rate": ("开工率", "start rate"),
    "crit_metric_completion_rate": ("上年度项目完工率", "prior-year completion rate"),
    "crit_metric_investment_execution": ("投资完成率", "investment completed"),
    "crit_metric_pm_coverage": ("物业管理覆盖率", "property-management coverage"),
    "crit_metric_satisfaction": ("居民满意度", "resident satisfaction"),
    "crit_table": ("各单位明细", "By unit"),
    "crit_table_caption": (
        "⚠ 未核验：核验阶段尚未打分，按较早阶段计分；∅ 无数据：按0分计；单位：分",
        "⚠ unverified: the verifying stage has not scored it, an earlier stage counts; "
        "∅ no data: counts as 0. Unit: points"),
    "crit_final_points": ("最终得分", "Final"),
    "crit_verified": ("核验", "Verified"),
    "crit_unverified": ("未核验", "unverified"),
    "crit_no_data": ("无数据", "No data"),
    "crit_heatmap": ("各单位各指标失分（满分−得分）", "Points lost by unit and indicator (max − points)"),
    "crit_heatmap_caption": (
        "颜色越深失分越多；单位按排名自上而下，指标按维度分组；单位：分",
        "Darker = more points lost; units in rank order, indicators grouped by dimension. "
        "Unit: points"),
    "crit_points_lost": ("失分", "Lost"),
    "bonus_matrix": ("各单位加分类别", "Bonus by unit and category"),
    "bonus_value": ("显示", "Show"),
    "bonus_v_claimed": ("申报", "Claimed"),
    "bonus_v_awarded": ("认定", "Awarded"),
    "bonus_v_rejected": ("未予认定", "Rejected"),
    "bonus_view": ("视图", "View"),
    "bonus_mode_heatmap": ("热力图", "Heatmap"),
    "bonus_mode_table": ("表格", "Table"),
    "bonus_matrix_caption": (
        "单位：分（各类别封顶前）；▲ 所在组达到封顶（{groups}），■ 加分总额达到封顶 {total} 分",
        "Points per category (before caps); ▲ group cap reached ({groups}); "
        "■ total bonus cap of {total} reached"),
    "bonus_sum": ("合计（封顶前）", "Sum (before caps)"),
    "bonus_group_cap": ("达到组封顶", "Group cap reached"),
    "bonus_total_cap": ("达到总封顶", "Total cap reached"),
    "bonus_counted": ("计入总分的加分", "Bonus counted"),
    "bonus_points_unit": ("分", "points"),
    "bonus_cases": ("加分案例", "Bonus cases"),
    "bonus_category": ("加分类别", "Bonus category"),
    "bonus_all_categories": ("全部类别", "All categories"),
    "bonus_case_title": ("案例", "Case"),
    "bonus_case_description": ("说明", "Description"),
    "bonus_case_claimed": ("申报分", "Claimed"),
    "bonus_case_awarded": ("认定分", "Awarded"),
    "bonus_review_stage": ("认定阶段", "Reviewed at"),
    "bonus_status": ("结果", "Result"),
    "bonus_status_awarded": ("予以认定", "Awarded"),
    "bonus_status_rejected": ("不予认定", "Rejected"),
    "bonus_status_pending": ("待核验", "Not yet reviewed"),
    "bonus_review_note": ("审核意见", "Review note"),
    "bonus_cases_caption": (
        "共{n}个案例；每类机制须有实例并经该类核验阶段认定方可得分，每类只计一次；单位：分",
        "{n} cases; a category earns its points once, if a case is awarded at its verifying "
        "stage. Unit: points"),
    "bonus_funding_mix": ("资金来源构成", "Funding mix by source"),
    "bonus_funding": ("资金", "Funding"),
    "bonus_funding_total": ("资金合计", "Total funding"),
    "bonus_seed_share": ("六类多元筹资渠道占比", "Share of the six seed channels"),
    "bonus_batch": ("年度批次", "batch"),
    "bonus_funding_caption": (
        "该年度批次改造小区的资金来源，按所在单位汇总；蓝色为中央、省级补助和市县财政，"
        "暖色为六类多元筹资渠道；单位：亿元",
        "Funding of the communities in the year's batch, by unit; blues = central and "
        "provincial subsidies and local budgets, warm colours = the six seed channels. Unit: ¥ bn"),
    "bonus_fund_central": ("中央补助", "Central subsidy"),
    "bonus_fund_provincial": ("省级补助", "Provincial subsidy"),
    "bonus_fund_local_fiscal": ("市县财政", "Local budget"),
    "bonus_fund_social_capital": ("社会资本", "Social capital"),
    "bonus_fund_residents": ("居民出资", "Residents"),
    "bonus_fund_pooled_fiscal": ("部门资金统筹", "Pooled departmental funds"),
    "bonus_fund_utilities": ("管线单位出资", "Utilities"),
    "bonus_fund_special_bonds": ("专项债", "Special bonds"),
    "bonus_fund_bank_credit": ("银行信贷", "Bank credit"),
    "bench_radar": ("各维度得分率", "Dimension scores vs peers"),
    "bench_radar_caption": (
        "各维度得分占该维度满分的比例（%），与同级中位数和第一名（第一名本身则与第二名）比较；"
        "径向轴自{floor}%起；最终得分",
        "Each dimension's points as a share of its max (%), against the peer median and the "
        "leader (the leader against second place); radial axis from {floor}%; final scores"),
    "bench_median": ("同级中位数", "Peer median"),
    "bench_second": ("第二名", "Second"),
    "bench_leader": ("第一名", "Leader"),
    "bench_above": ("上一名", "One rank above:"),
    "bench_is_first": ("{unit}已位列第一，下表为领先第二名的分差。",
                       "{unit} is already first; the table shows its lead over second place."),
    "bench_lead_table": ("领先第二名", "Lead over second place"),
    "bench_lead": ("领先分差", "Lead"),
    "bench_lead_caption": ("领先分差 = 本单位 − 第二名；单位：分",
                           "Lead = own − second place. Unit: points"),
    "bench_closing": ("赶超上一名的最少提分项", "Fewest gains to move up one rank"),
    "bench_unreachable": ("即使各指标均取满分，也无法超过{target}（加分与扣分不变）。",
                          "Even full marks on every indicator would not overtake {target} "
                          "(bonus and deductions held)."),
    "bench_closing_caption": (
        "按提分空间从大到小逐项提至满分，直至总分超过上一名；加分与扣分不变；单位：分",
        "Indicators raised to full marks, largest headroom first, until the total passes the "
        "unit above; bonus and deductions held. Unit: points"),
    "bench_current": ("现得分", "Current"),
    "bench_gain": ("需提高", "Gain"),
    "bench_new_total": ("提分后总分", "Total after"),
    "bench_gap_table": ("与上一名和第一名的差距", "Gaps to the unit above and to the leader"),
    "bench_scope": ("项目", "Scope"),
    "bench_own": ("本单位", "Own"),
    "bench_gap_above": ("与上一名差距", "Gap to above"),
    "bench_gap_leader": ("与第一名差距", "Gap to leader"),
    "bench_gap_caption": ("差距 = 对方 − 本单位，正数为需追赶的分数；单位：分",
                          "Gap = other − own; positive = ground to make up. Unit: points"),
    "bench_losses": ("与同级最优相比失分最多的指标", "Indicators losing most against the best peer"),
    "bench_indicator": ("指标", "Indicator"),
    "bench_best": ("同级最优", "Best peer"),
    "bench_best_unit": ("最优单位", "Best unit"),
    "bench_lost": ("失分", "Points lost"),
    "bench_losses_caption": ("失分 = 同级最优得分 − 本单位得分，取前5项；单位：分",
                             "Lost = best peer's points − own points, top 5. Unit: points"),
    "bench_no_losses": ("各项指标均已与同级最优持平。", "Level with the best peer on every indicator."),
    "bench_history": ("历年排名", "Rank history"),
    "bench_history_caption": ("各考评年度最终得分排名，第1名在最上方",
                              "Final-score rank in each round; first place at the top"),
    # -- progress, map pages
    "progress_year_heading": ("{year}年度 · 全省 · 截至{year}年12月31日",
                              "{year} · Province · as of 31 Dec {year}"),
    "progress_cum_heading": ("{first}年以来累计 · 截至{year}年12月31日",
                             "Cumulative since {first} · as of 31 Dec {year}"),
    "progress_card_started": ("开工小区", "Communities started"),
    "progress_card_completed": ("完工小区", "Communities completed"),
    "progress_card_accepted": ("验收小区", "Communities accepted"),
    "progress_card_households": ("惠及居民", "Households benefiting"),
    "progress_card_planned_investment": ("计划投资", "Planned investment"),
    "progress_card_completed_investment": ("完成投资", "Investment completed"),
    "progress_vs_target": ("较目标 {target}", "vs target {target}"),
    "progress_vs_plan": ("较计划投资 {target}", "vs planned {target}"),
    "progress_target_unpublished": ("目标未公布", "target not published"),
    "progress_help_started": ("{year}年计划（批次）中截至{year}年底已开工的小区；目标为{year}年计划数",
                              "Communities of the {year} plan started by 31 Dec {year}; "
                              "target: the {year} plan"),
    "progress_help_completed": ("{prev}年计划中截至{year}年底已完工的小区；目标为{prev}年计划数"
                                "（与考评“上年完工率”同一口径）",
                                "Communities of the {prev} plan completed by 31 Dec {year}; "
                                "target: the {prev} plan (as in the prior-year completion rate)"),
    "progress_help_accepted": ("上述完工小区中已通过验收的（验收状态以最新数据为准）",
                               "Of those completed, the communities accepted (acceptance as "
                               "recorded in the latest data)"),
    "progress_help_households": ("{year}年计划中已开工小区惠及的户数；目标为{year}年计划户数",
                                 "Households in the started communities of the {year} plan; "
                                 "target: the {year} plan"),
    "progress_help_planned_investment_wan": ("{year}年计划小区的计划投资；目标为{year}年计划投资",
                                             "Planned investment of the {year} plan's "
                                             "communities; target: the {year} plan"),
    "progress_help_completed_investment_wan": ("{year}年计划小区已完成的投资（以最新数据为准），"
                                               "与其计划投资相比",
                                               "Investment completed in the {year} plan's "
                                               "communities (latest data), against planned"),
    "progress_help_started_cum": ("{first}—{year}年各年计划中截至{year}年底已开工的小区；目标为各年计划之和",
                                  "Communities of the {first}–{year} plans started by 31 Dec "
                                  "{year}; target: the sum of those plans"),
    "progress_help_completed_cum": ("{first}—{year}年各年计划中截至{year}年底已完工的小区",
                                    "Communities of the {first}–{year} plans completed by "
                                    "31 Dec {year}"),
    "progress_help_accepted_cum": ("上述完工小区中已通过验收的（验收状态以最新数据为准）",
                                   "Of those completed, the communities accepted (acceptance as "
                                   "recorded in the latest data)"),
    "progress_help_households_cum": ("已开工小区惠及的户数；目标为各年计划户数之和",
                                     "Households in the started communities; target: the sum "
                                     "of the plans"),
    "progress_help_planned_investment_wan_cum": ("{first}—{year}年各年计划小区的计划投资",
                                                 "Planned investment of the {first}–{year} "
                                                 "plans' communities"),
    "progress_help_completed_investment_wan_cum": ("{first}—{year}年各年计划小区已完成的投资，"
                                                   "与其计划投资相比",
                                                   "Investment completed in the {first}–{year} "
                                                   "plans' communities, against planned"),
    "progress_cards_caption": ("数值下方为与目标之差（绿色超出、红色未达）；鼠标移到问号上查看统计口径",
                               "Under each number: the difference from its target (green ahead, "
                               "red behind); hover the question mark for the definition"),
    "progress_by_city": ("各设区市进度", "Progress by city"),
    "progress_city_caption": ("单位：个（小区）、万户、亿元；开工：当年计划截至年底开工数；"
                              "完工：上年计划截至年底完工数，完工目标为上年计划数；验收：其中已验收",
                              "Units: communities, households, ¥ million; started: this year's "
                              "plan started by year end; completed: last year's plan completed "
                              "by year end, against last year's plan; accepted: of those"),
    "progress_city_chart": ("各设区市开工、完工与目标", "Started and completed against target, "
                                                        "by city"),
    "progress_city_chart_caption": ("单位：个（小区）；灰色为目标",
                                    "Unit: communities; grey bars are the targets"),
    "progress_chart_started": ("开工 vs 当年目标", "Started vs this year's target"),
    "progress_chart_completed": ("完工 vs 上年目标", "Completed vs last year's target"),
    "progress_started": ("开工", "Started"),
    "progress_completed": ("完工", "Completed"),
    "progress_plan": ("计划（开工目标）", "Plan (start target)"),
    "progress_households": ("惠及户数", "Households"),
    "progress_households_target": ("户数目标", "Household target"),
    "progress_trend": ("历年改造进度（全省）", "Progress over the years (province)"),
    "progress_trend_communities": ("小区（个）", "Communities"),
    "progress_trend_households": ("惠及户数（户）", "Households"),
    "progress_trend_caption": ("单位：个、户；开工与户数按当年计划、完工按上年计划计，截至各年12月31日；"
                               "目标未公布的年份不显示目标；阴影为所选年度",
                               "Units: communities, households; started and households count "
                               "the year's plan, completed last year's plan, as of 31 Dec; no "
                               "marker where a target was not published; shaded: selected year"),
    "progress_map": ("改造小区分布（示意图）", "Renovated communities (schematic map)"),
    "progress_map_caption": ("{legend}；截至{year}年12月31日的状态；每点一个小区",
                             "{legend}; status as of 31 Dec {year}; one dot per community"),
    "map_sampled": ("均匀抽样显示 {shown:,} / {total:,} 个小区",
                    "An even sample: {shown:,} of {total:,} communities"),
    "progress_batch": ("{year}年计划", "{year} plan"),
    "progress_col_city": ("设区市", "City"),
    "progress_col_started": ("开工", "Started"),
    "progress_col_started_target": ("开工目标", "Start target"),
    "progress_col_start_rate": ("开工率%", "Start rate %"),
    "progress_col_completed": ("完工", "Completed"),
    "progress_col_completed_target": ("完工目标", "Completion target"),
    "progress_col_completion_rate": ("完工率%", "Completion rate %"),
    "progress_col_accepted": ("验收", "Accepted"),
    "progress_col_households": ("户数(万户)", "Households"),
    "progress_col_households_target": ("户数目标(万户)", "Household target"),
    "progress_col_planned_investment": ("计划投资(亿元)", "Planned inv. (¥ m)"),
    "progress_col_completed_investment": ("完成投资(亿元)", "Completed inv. (¥ m)"),
    "progress_col_investment_target": ("投资目标(亿元)", "Inv. target (¥ m)"),
    "map_options": ("地图选项：着色指标、小区图层、范围", "Map options: colour, communities, area"),
    "map_measure": ("着色指标", "Colour by"),
    "map_start_rate": ("开工率", "Start rate"),
    "map_completion_rate": ("上年完工率", "Prior-year completion rate"),
    "map_points": ("小区图层", "Community layer"),
    "map_points_points": ("小区点位（按状态着色）", "Community points (by status)"),
    "map_points_hexagon": ("小区密度（六边形）", "Community density (hexagons)"),
    "map_points_none": ("不显示", "None"),
    "map_title": ("{measure}分布", "{measure} by unit"),
    "map_legend": ("图例", "Legend"),
    "map_no_data": ("无数据", "No data"),
    "map_units": ("{n}个", "n = {n}"),
    "map_rank": ("第{rank}名", "rank {rank}"),
    "map_open_profile": ("打开单位档案…", "Open profile of …"),
    "map_caption": ("颜色：{measure}{classes}；点击地名打开单位档案；开工率、完工率截至{year}年12月31日",
                    "Colour: {measure}{classes}; click a region's name to open its profile; "
                    "rates as of 31 Dec {year}"),
    "map_quartiles": ("（按四分位分为四档，颜色越深数值越高）",
                      " in four quartile classes, darker is higher"),
    "map_hex_class": ("每格{n}个小区", "{n} per hexagon"),
    "map_points_caption": ("小区：{legend}", "Communities: {legend}"),
    "map_density_caption": ("六边形颜色越深，小区越密集（此模式下区域不着色）；点击地名打开单位档案",
                            "Darker hexagons: more communities (regions are not coloured in this "
                            "mode); click a region's name to open its profile"),
    "map_schematic": ("示意图，不作为界线认定依据。边界：{source}",
                      "Schematic map (示意), not for determining boundaries. Boundaries: {source}"),
    # -- profile and methodology pages
    "pf_select_unit": ("选择单位", "Choose a unit"),
    "pf_level_city": ("设区市", "City"),
    "pf_level_county": ("县（市、区）", "County-level unit"),
    "pf_rank_of": ("第{rank}名 / 共{n}个", "#{rank} of {n}"),
    "pf_rank_in_city": ("市内排名", "Rank within city"),
    "pf_vs_last": ("较上一年度", "Change vs last round"),
    "pf_no_previous": ("无上一年度可比", "no previous round"),
    "pf_change": ("{rank}，总分{total}", "{rank}, total {total}"),
    "pf_rank_moved": ("名次{arrow}", "rank {arrow}"),
    "pf_rank_same": ("名次持平", "rank unchanged"),
    "pf_final_note": ("总分、排名和等次按最终得分（核验后），在全省同级单位中比较。",
                      "Total, rank and grade use the final (verified) scores, compared with all "
                      "peers of the same level in the province."),
    "pf_scores_by_stage": ("分阶段得分", "Scores by stage"),
    "pf_stage_chart": ("各维度分阶段得分", "Points by dimension and stage"),
    "pf_stage_caption": ("单位：分；横线为该维度满分；自评、互查、第三方为各阶段自己的打分，{final}",
                         "Unit: points; dashes mark each dimension's maximum; self, cross and "
                         "third-party are each stage's own scores, {final}"),
    "pf_final_verifying": ("最终得分按核验阶段核定", "final is as verified"),
    "pf_final_blend": ("最终得分为各阶段加权（{weights}）",
                       "final is a weighted mean of the stages ({weights})"),
    "pf_max": ("满分", "Max"),
    "pf_item": ("项目", "Item"),
    "pf_points": ("分值", "Points"),
    "pf_year": ("年度", "Year"),
    "pf_bonus_heading": ("加分", "Bonus points"),
    "pf_deductions_heading": ("扣分与一票否决", "Deductions and vetoes"),
    "pf_category": ("加分类别", "Bonus category"),
    "pf_group": ("分组", "Group"),
    "pf_claimed": ("申报", "Claimed"),
    "pf_awarded": ("认定", "Awarded"),
    "pf_rejected": ("未认定", "Rejected"),
    "pf_cap": ("封顶", "Cap reached"),
    "pf_group_cap": ("达到分组上限", "group cap"),
    "pf_total_cap": ("达到加分总上限", "total cap"),
    "pf_bonus_total": ("加分合计（封顶后）：{x}分", "Bonus after caps: {x} points"),
    "pf_bonus_caption": ("单位：分；每类以核验阶段认定为准，再按分组上限和总上限封顶",
                         "Unit: points; each category as its verifying stage awarded it, then "
                         "group caps and the total cap"),
    "pf_cases": ("加分案例", "Bonus cases"),
    "pf_no_cases": ("本年度未申报加分案例。", "No bonus case claimed this round."),
    "pf_case_title": ("案例", "Case"),
    "pf_case_description": ("说明", "Description"),
    "pf_pending": ("待核验", "not yet verified"),
    "pf_deduction_item": ("扣分项目", "Deduction item"),
    "pf_reason": ("原因", "Reason"),
    "pf_auto_reason": ("自动扣分：自评虚高的指标达{n}项及以上",
                       "Automatic: self-evaluation inflated on {n} or more indicators"),
    "pf_no_deductions": ("本年度无扣分。", "No deductions this round."),
    "pf_veto": ("一票否决：{items}。等次定为最低等次，排名列于所有未被否决的单位之后。",
                "Veto: {items}. The grade is set to the lowest band and the unit ranks after "
                "every unit without a veto."),
    "pf_deductions_caption": ("单位：分（已按各项范围和上限核定）",
                              "Unit: points (clipped to each item's range and caps)"),
    "pf_history": ("等次与排名历史", "Grade and rank history"),
    "pf_history_chart": ("历年排名", "Rank by round"),
    "pf_history_caption": ("各考评年度最终得分在全省同级中的排名，第1名在最上方；点旁为等次",
                           "Final-score rank among province peers in each round, first place "
                           "at the top; labels give the grade"),
    "pf_history_rubrics": ("各年度按当年的评分标准评分（{spans}）：总分和等次以当年标准为准，"
                           "不同标准之间不宜直接比较。",
                           "Each round is scored with its own rubric ({spans}): totals and "
                           "grades follow that round's rubric and do not compare directly "
                           "across rubrics."),
    "pf_strengths": ("优势指标", "Strengths"),
    "pf_weaknesses": ("薄弱指标", "Weaknesses"),
    "pf_above": ("{code} {name}：得{own}分（满分{max}），比同级中位数高{diff}分",
                 "{code} {name}: {own} of {max} points, {diff} above the peer median"),
    "pf_below": ("{code} {name}：得{own}分（满分{max}），比同级中位数低{diff}分",
                 "{code} {name}: {own} of {max} points, {diff} below the peer median"),
    "pf_none_above": ("没有高于同级中位数的指标。", "No indicator is above the peer median."),
    "pf_none_below": ("没有低于同级中位数的指标。", "No indicator is below the peer median."),
    "pf_sw_title": ("优势与短板", "Strengths and weaknesses"),
    "pf_sw_caption": ("与全省同级单位的中位数比较（最终得分），按差距占该项满分的比例排序",
                      "Compared with the median of all province peers (final points), ordered "
                      "by the gap as a share of the indicator's maximum"),
    "pf_communities": ("改造小区", "Renovated communities"),
    "pf_map_title": ("改造小区分布（示意图）", "Renovated communities (schematic map)"),
    "pf_map_caption": ("点为小区：● 已验收 ■ 已完工 ▲ 已开工 ◆ 计划；边界为示意，非审定地图，"
                       "来源见 data/geo/ATTRIBUTION.md",
                       "Dots are communities: ● accepted ■ completed ▲ started ◆ planned; "
                       "boundaries are schematic, not an approved map (see "
                       "data/geo/ATTRIBUTION.md)"),
    "pf_community": ("小区", "Community"),
    "pf_county": ("所属县（市、区）", "County"),
    "pf_batch": ("批次", "Batch"),
    "pf_status": ("状态", "Status"),
    "pf_count": ("小区数", "Communities"),
    "pf_households_unit": ("户", "households"),
    "pf_planned_wan": ("计划投资（万元）", "Planned investment (10k yuan)"),
    "pf_completed_wan": ("完成投资（万元）", "Completed investment (10k yuan)"),
    "pf_community_total": ("共{n}个小区，惠及{hh}，计划投资{inv}。",
                           "{n} communities, {hh}, planned investment {inv}."),
    "pf_not_visible": ("{year}年度{unit}的考评结果尚未发布，您的账号无权查看其草稿。",
                       "{unit}'s {year} results are not published and your account may not "
                       "see its draft."),
    "pf_community_caption": ("全部批次；状态截至{as_of}；投资单位：万元",
                             "All batches; status as of {as_of}; investment in 10k yuan"),
    "pf_no_communities": ("没有该单位的小区数据。", "No community data for this unit."),
    "pf_report": ("打印报告", "Printable report"),
    "pf_report_help": ("供领导会议使用：HTML 可直接在浏览器中打印，PDF 为同样内容。",
                       "For a leadership meeting: the HTML prints from any browser; the PDF "
                       "has the same content."),
    "pf_report_html": ("下载报告（HTML）", "Download report (HTML)"),
    "pf_report_pdf": ("下载报告（PDF）", "Download report (PDF)"),
    "pf_pdf_unavailable": ("PDF 暂不可用（缺少中文字体），HTML 报告不受影响，可在浏览器中打印为 PDF。",
                           "PDF unavailable (no Chinese font on this server); the HTML report "
                           "works and prints to PDF from a browser."),
    "pf_report_title": ("{year}年度城镇老旧小区改造综合考评 · {unit}",
                        "{year} old-community renovation evaluation · {unit}"),
    "pf_report_footer": ("浙江省城镇老旧小区改造综合考评", "Zhejiang old-community renovation "
                         "evaluation"),
    "mt_rubric": ("评分标准", "The rubric"),
    "mt_constructed": ("说明：", "Note: "),
    "mt_total_rule": ("总分 = 各维度得分之和（满分{base}分）＋ 加分（上限{bonus}分）− 扣分（上限{ded}分）。",
                      "Total = sum of the dimensions (at most {base}) + bonus (at most {bonus}) "
                      "− deductions (at most {ded})."),
    "mt_rank_rule": ("排名按总分由高到低，以显示的两位小数比较：显示相同的总分名次相同，其后名次顺延"
                     "（如1、2、2、4）；一票否决的单位排在所有未被否决的单位之后。",
                     "Ranks follow the total, compared as shown (two decimals): equal totals share "
                     "a rank and the next one is skipped (1, 2, 2, 4); a vetoed unit ranks after "
                     "every unit without a veto."),
    "mt_dimensions": ("考评维度", "Dimensions"),
    "mt_dimension": ("维度", "Dimension"),
    "mt_code": ("代码", "Code"),
    "mt_name": ("名称", "Name"),
    "mt_points": ("分值", "Points"),
    "mt_n_indicators": ("指标数", "Indicators"),
    "mt_indicators": ("评分指标", "Indicators"),
    "mt_indicator": ("指标", "Indicator"),
    "mt_max": ("满分", "Max"),
    "mt_verifying": ("核验阶段", "Verified by"),
    "mt_rule": ("评分规则", "Scoring rule"),
    "mt_description": ("说明", "Description"),
    "mt_source_col": ("评分方式", "Scored by"),
    "mt_derived": ("📊 由数据计算：{metric}", "📊 computed from data: {metric}"),
    "mt_manual": ("✍️ 评审打分", "✍️ scored by evaluators"),
    "mt_dim_expander": ("{code} {name} · {max}分 · {n}项指标",
                        "{code} {name} · {max} points · {n} indicators"),
    "mt_bonus": ("加分项", "Bonus points"),
    "mt_bonus_rule": ("加分总上限{cap}分，各分组另有上限；每个类别以核验阶段认定为准，只计一次。"
                      "申报的案例须附佐证材料（形成机制并有实例），核验阶段逐案认定或不予认定并写明理由。",
                      "Bonus is capped at {cap} points in total and per group; each category "
                      "counts once, as its verifying stage awarded it. A claimed case needs an "
                      "evidence file (a mechanism with a real case); the verifying stage "
                      "accepts or rejects each case with a reason."),
    "mt_group": ("分组", "Group"),
    "mt_group_cap": ("分组上限", "Group cap"),
    "mt_deductions": ("扣分项与一票否决", "Deductions and vetoes"),
    "mt_min": ("最少扣分", "Min"),
    "mt_max_deduction": ("最多扣分", "Max"),
    "mt_item_cap": ("该项上限", "Item cap"),
    "mt_deduction_rule": ("扣分合计上限{cap}分。每条扣分须在该项分值范围内并写明理由，超出范围即拒绝录入（不截断）。",
                          "Deductions are capped at {cap} points in total. Each entry must lie "
                          "within its item's range and give a reason; an entry outside the "
                          "range is refused, never clipped."),
    "mt_vetoes": ("以下情形一票否决，等次直接定为“{grade}”，排名列于所有未被否决的单位之后：",
                  "Any of these vetoes the unit: its grade is set to “{grade}” and it ranks "
                  "after every unit without a veto:"),
    "mt_credibility": ("自评可信度：某项指标自评分比核验后得分高出该项满分的{pct}以上，即为自评虚高；"
                       "虚高指标达{n}项的单位，自动扣“{item}”{points}分。",
                       "Credibility: a self-score more than {pct} of the indicator's maximum "
                       "above the verified score is inflated; a unit with {n} or more inflated "
                       "indicators loses “{item}”, {points} points, automatically."),
    "mt_grades": ("等次划分", "Grade bands"),
    "mt_range": ("分数区间", "Score range"),
    "mt_process": ("三阶段考评流程", "The three-stage process"),
    "mt_process_text": (
        "1. **市县自评**：各设区市和县（市、区）按评分标准逐项自评打分，并申报加分案例。\n"
        "2. **交叉互查**：全省分为{n}个检查组，每组由一个设区市住建部门带队，检查另一个设区市及其"
        "所辖县（市、区），任何一组都不检查本市。检查组核验“交叉互查”阶段的指标和加分类别。\n"
        "3. **第三方评价**：专业机构现场核查并抽样调查居民，核验“第三方评价”阶段的指标和加分类别。",
        "1. **Self-evaluation**: every city and county scores itself on each indicator and "
        "claims its bonus cases.\n"
        "2. **Cross inspection**: {n} groups, each led by one city's housing department, inspect "
        "another city and its counties; no group inspects its own city. They verify the "
        "indicators and bonus categories marked 'Cross inspection'.\n"
        "3. **Third-party evaluation**: an independent firm checks on site and surveys "
        "residents, verifying the indicators and bonus categories marked 'Third-party'."),
    "mt_groups": ("{year}年度交叉互查分组", "Cross-inspection groups, {year}"),
    "mt_group_no": ("组别", "Group"),
    "mt_leader": ("带队城市", "Led by"),
    "mt_inspected": ("检查城市", "Inspects"),
    "mt_own_city": ("检查本市", "Own city"),
    "mt_own_no": ("否 ✅", "no ✅"),
    "mt_own_yes": ("是 ❌", "yes ❌"),
    "mt_groups_caption": ("每组检查一个设区市及其所辖县（市、区）；带队城市与检查城市不同",
                          "Each group inspects one city and its counties; the leading city is "
                          "never the inspected one"),
    "mt_no_groups": ("本年度尚无分组记录。", "No groups recorded for this round."),
    "mt_reconcile": ("最终得分如何核定", "How the final score is set"),
    "mt_reconcile_verifying": (
        "每项指标以其**核验阶段**的得分为准（见指标表“核验阶段”列）。该阶段尚未打分时，取最近的"
        "前一阶段得分，并标为“未核验”；各阶段都没有得分的计0分。后一阶段不会替代前一阶段。"
        "由数据计算的指标（开工率、完工率等）各阶段相同，始终视为已核验；缺数据的计0分并注明。",
        "Each indicator counts the points of its **verifying stage** (column 'Verified by'). "
        "If that stage has not scored it yet, the nearest earlier stage counts and the "
        "indicator is marked unverified; with no score at any stage it gets 0. A later stage "
        "never stands in for an earlier one. Indicators computed from data (start rate, "
        "completion, …) are the same at every stage and always verified; missing data scores 0 "
        "and is flagged."),
    "mt_reconcile_blend": (
        "每项指标的最终得分为各阶段得分的加权平均：{weights}。某阶段缺失时，按其余阶段重新分配"
        "权重，并标为“未核验”。",
        "Each indicator's final points are a weighted mean of the stages: {weights}. With a "
        "stage missing, the weights are spread over the stages present and the indicator is "
        "marked unverified."),
    "mt_source_note": ("评分标准来源", "Source of the rubric"),
    "mt_whatif": ("权重模拟：如果各维度权重不同，排名会怎样？",
                  "What if the dimensions were weighted differently?"),
    "mt_whatif_help": ("拖动滑块改变各维度的权重（默认为评分标准中的满分）。权重按比例折算为总分{base}分，"
                       "各维度按得分率×新权重计分；加分、扣分和一票否决不变。",
                       "Move a slider to change a dimension's weight (default: its maximum in "
                       "the rubric). Weights are rescaled to a total of {base}; each dimension "
                       "scores its share of the maximum × its new weight; bonus, deductions and "
                       "vetoes stay as they are."),
    "mt_weight": ("{code} {name}", "{code} {name}"),
    "mt_reset": ("↺ 恢复默认权重", "↺ Reset weights"),
    "mt_weights_used": ("折算后的权重：{w}", "Rescaled weights: {w}"),
    "mt_all_zero": ("权重不能全部为0，已按默认权重计算。",
                    "Weights cannot all be 0; the default weights are used."),
    "mt_new_rank": ("新排名", "New rank"),
    "mt_base_rank": ("原排名", "Base rank"),
    "mt_change": ("变化", "Change"),
    "mt_new_total": ("新总分", "New total"),
    "mt_base_total": ("原总分", "Base total"),
    "mt_whatif_caption": ("按最终得分模拟；▲上升 ▼下降；单位：分", "Simulated on the final scores; "
                          "▲ up ▼ down; unit: points"),
    "mt_uncertainty": ("排名有多确定？", "How certain are the ranks?"),
    "mt_uncertainty_text": (
        "各维度的权重是人定的，稍有不同，排名就可能变化。为检验排名的稳定性，我们做了{draws}次模拟："
        "每次把每个维度的权重随机上下浮动（典型幅度约±{pct}），折算回总分{base}分后重新计算总分和"
        "排名；加分和扣分不变。\n\n"
        "- **名次区间（90%）**：在90%的模拟中，该单位的名次落在这个范围内。区间越窄，排名越稳定。\n"
        "- **统计上并列（≈）**：两个单位的名次区间有重叠，说明合理的权重变动就可能让它们交换位置，"
        "它们的先后不宜看作确定的差别。\n"
        "- **前三概率**：模拟中名列前三的比例。",
        "The dimension weights are a human choice; slightly different weights could change the "
        "ranking. To test how stable it is, we ran {draws} simulations: each time every "
        "dimension's weight wobbles at random (typically by about ±{pct}), the weights are "
        "rescaled to {base}, and totals and ranks are recomputed; bonus and deductions stay "
        "fixed.\n\n"
        "- **Rank interval (90%)**: in 90% of the simulations the unit's rank fell in this "
        "range. The narrower it is, the more stable the rank.\n"
        "- **Statistically tied (≈)**: two units whose intervals overlap could swap places "
        "under reasonable weights, so their order is not a firm difference.\n"
        "- **P(top 3)**: the share of simulations in which the unit ranked third or better."),
    "mt_interval_chart": ("名次区间（90%）", "Rank intervals (90%)"),
    "mt_median_rank": ("中位名次", "Median rank"),
    "mt_tied_with": ("与之并列", "Tied with"),
    "mt_interval_caption": ("色条为5%–95%分位的名次区间，圆圈为实际名次，红色竖线为模拟中位名次；"
                            "同色色条为一个并列组；单位：名次",
                            "Bars span the 5th–95th percentile rank, circles mark the actual "
                            "rank, red ticks the median simulated rank; one colour per tied "
                            "group; unit: rank"),
    "mt_uncertainty_final_only": ("名次区间按最终得分计算。", "Rank intervals use the final scores."),
    # -- home
    "page_home": ("首页", "Home"),
    "home_intro": (
        "浙江省按照市县自评、交叉互查、第三方专业机构评价的流程，从{dimensions}{n}个方面，"
        "对11个设区市和90个县（市、区）开展城镇老旧小区改造综合考评。",
        "Zhejiang evaluates its 11 cities and 90 counties on old-community renovation in three "
        "stages (self-evaluation, cross inspection, third-party evaluation) across {n} "
        "dimensions: {dimensions}."),
    "home_public": ("社会公众", "The public"),
    "home_public_question": ("改造进展到哪里了？在哪里？", "How far has renovation come, and where?"),
    "home_leaders": ("领导", "Leadership"),
    "home_leaders_question": ("谁领先、谁落后、谁进步了？", "Who leads, who lags, who moved?"),
    "home_units": ("市县", "Cities and counties"),
    "home_units_question": ("在哪里失分？怎样提升一个名次？",
                            "Where do we lose points, and what would lift us one rank?"),
    # -- community search
    "page_community": ("小区查询", "Find a community"),
    "cm_intro": ("我家小区改造了吗？改了什么？输入小区名称（可只输一部分，或拼音首字母，如 hgxc），"
                 "或选择所在县（市、区）。",
                 "Was my community renovated, and what was done? Type part of its name in "
                 "Chinese or the first letters of its pinyin (e.g. hgxc), or choose its county."),
    "cm_search": ("小区名称或拼音首字母", "Community name or pinyin initials"),
    "cm_search_placeholder": ("例如：化工新村 或 hgxc", "e.g. 化工新村 or hgxc"),
    "cm_county": ("所在县（市、区）", "County"),
    "cm_all_counties": ("全省", "Whole province"),
    "cm_results": ("找到 {n} 个小区", "{n} communities found"),
    "cm_more": ("仅列出前 {shown} 个：请输入更完整的名称或选择县（市、区）。",
                "Showing the first {shown}: type more of the name or choose a county."),
    "cm_none": ("没有找到匹配的小区。这里只有已发布年度改造计划内的小区。",
                "No community matches. Only communities in the plans of published years are "
                "listed."),
    "cm_start_hint": ("输入名称或选择县（市、区）开始查询。", "Type a name or choose a county to start."),
    "cm_not_found": ("链接中的小区不存在或尚未公布。", "The community in the link does not exist or is "
                     "not published."),
    "cm_back": ("返回查询", "Back to search"),
    "cm_batch": ("改造批次", "Plan"),
    "cm_households": ("户数", "Households"),
    "cm_started": ("开工日期", "Started"),
    "cm_completed": ("完工日期", "Completed"),
    "cm_lifts": ("加装电梯（部）", "Lifts added"),
    "cm_built": ("建成年份", "Built"),
    "cm_status_as_of": ("状态截至 {as_of}（已发布数据）", "Status as of {as_of} (published data)"),
    "cm_items": ("改造内容", "What was done"),
    "cm_items_text": ("基础类 {basic} 项 · 完善类 {improvement} 项 · 提升类 {enhancement} 项",
                      "basic: {basic} · improvement: {improvement} · enhancement: {enhancement} "
                      "items"),
    "cm_management": ("长效管理", "Long-term management"),
    "cm_pm_professional": ("专业化物业管理", "Professional property management"),
    "cm_pm_quasi": ("准物业管理", "Quasi property management"),
    "cm_pm_none": ("暂无物业管理", "No property management yet"),
    "cm_fund_yes": ("已建立维修资金", "maintenance fund in place"),
    "cm_fund_no": ("尚未建立维修资金", "no maintenance fund yet"),
    "cm_investment": ("投资", "Investment"),
    "cm_investment_text": ("计划投资 {planned}，已完成 {completed}",
                           "planned {planned}, completed {completed}"),
    "cm_funding": ("资金来源", "Funding by source"),
    "cm_source": ("来源", "Source"),
    "cm_amount_wan": ("金额（万元）", "Amount (10k yuan)"),
    "cm_share": ("占比", "Share"),
    "cm_satisfaction": ("居民满意度", "Resident satisfaction"),
    "cm_satisfaction_none": ("尚未公布（完工后调查）", "Not published yet (surveyed after completion)"),
    "cm_location": ("位置（示意图）", "Location (schematic map)"),
    "cm_location_caption": ("◆ 为本小区，点为同县其他改造小区；边界为示意，非审定地图",
                            "◆ this community, dots: other renovated communities of the county; "
                            "schematic boundaries, not an approved map"),
    "cm_share_heading": ("分享本小区", "Share this community"),
    "cm_permalink": ("本页链接", "Link to this page"),
    "cm_qr_caption": ("二维码：扫码打开本小区页面", "QR code: scan to open this community's page"),
    # -- big screen
    "page_screen": ("大屏展示", "Big screen"),
    "screen_title": ("浙江省城镇老旧小区改造 · {year}年度", "Zhejiang old-community renovation · {year}"),
    "screen_updated": ("刷新于 {time}", "Updated {time}"),
    "screen_rate": ("{year}年开工目标完成率", "{year} start target reached"),
    "screen_started_of": ("已开工 **{started}**，目标 {target}", "**{started}** started of {target}"),
    "screen_counter": ("{year}年已开工小区", "Communities started in {year}"),
    "screen_since": ("历年计划累计开工 {n}", "{n} started across all plans so far"),
    "screen_panel_map": ("{year}年改造小区分布（示意图）", "Renovated communities, {year} (schematic)"),
    "screen_panel_map_caption": ("▲ 已开工 · ■ 已完工 · ● 已验收；边界为示意，非审定地图",
                                 "▲ started · ■ completed · ● accepted; schematic boundaries, "
                                 "not an approved map"),
    "screen_panel_ranking": ("{year}年度综合考评 · 设区市前五名", "{year} evaluation · top five cities"),
    "screen_panel_ranking_caption": ("按最终得分排名", "Ranked by final score"),
    "screen_panel_cities": ("{year}年各设区市开工目标完成率", "Start target reached by city, {year}"),
    "screen_panel_cities_caption": ("虚线为100%", "Dashed line: 100%"),
    "screen_panel_trend": ("历年改造进度（全省）", "Progress over the years (province)"),
    "screen_panel_trend_caption": ("开工与户数按当年计划、完工按上年计划计，截至各年12月31日",
                                   "Started and households count the year's plan, completed "
                                   "last year's plan, as of 31 Dec"),
    "screen_dot_map": ("地图", "Map"),
    "screen_dot_ranking": ("排名", "Ranking"),
    "screen_dot_cities": ("各市", "Cities"),
    "screen_dot_trend": ("历年", "Years"),
    # -- roles, login and data management
    "group_manage": ("管理", "Management"),
    "no_rounds": ("暂无已发布的考评结果。管理员登录后可导入数据、发布考评年度。",
                  "No published results yet. An administrator can sign in to import data and "
                  "publish a round."),
    "create_round": ("新建考评年度", "New round"),
    "rubric_version": ("评分标准版本", "Rubric version"),
    "page_data": ("数据管理", "Data management"),
    "data_refused": ("无权访问：请以管理员、市县或检查组账户登录。",
                     "Not allowed: sign in as an administrator, unit or inspection group."),
    "login": ("🔐 登录", "🔐 Sign in"),
    "signed_in_as": ("已登录：", "Signed in as"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出登录", "Sign out"),
    "session_expired": ("会话已过期，请重新登录。", "Your session expired; please sign in again."),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "role_public": ("公众", "public"),
    "role_leader": ("领导", "leader"),
    "role_unit": ("市县用户", "unit user"),
    "role_group": ("检查组", "inspection group"),
    "role_admin": ("管理员", "administrator"),
    "role_third_party": ("第三方机构", "third-party institution"),
    # audit log actions (evalcore.vocab.AUDIT_ACTIONS, keys from vocab.audit_label_key)
    "audit_import": ("导入", "import"),
    "audit_revert": ("撤销导入", "revert"),
    "audit_publish": ("发布", "publish"),
    "audit_unpublish": ("撤回发布", "unpublish"),
    "audit_create_round": ("新建考评年度", "create round"),
    "audit_build_demo": ("生成示例数据", "build demo data"),
    "audit_build_national": ("生成全国基准数据", "build national benchmark data"),
    "audit_unlock_account": ("解锁账户", "unlock account"),
    "audit_set_deadlines": ("设置考评时间", "set deadlines"),
    "audit_assign_groups": ("分配检查组", "assign inspection groups"),
    "audit_set_targets": ("设置目标任务", "set targets"),
    "audit_enter_scores": ("在线填报评分", "enter scores"),
    "audit_submit_stage": ("提交", "submit a stage"),
    "audit_reopen_stage": ("退回重填", "reopen a stage"),
    "audit_claim_bonus": ("申报加分案例", "claim a bonus case"),
    "audit_review_bonus": ("核定加分案例", "review a bonus case"),
    "audit_enter_deduction": ("录入扣分或否决", "enter a deduction or veto"),
    "audit_record_problem": ("记录问题", "record a problem"),
    "audit_answer_problem": ("报送整改情况", "answer a problem"),
    "audit_close_problem": ("整改销号", "sign off a problem"),
    "audit_return_problem": ("整改退回", "send a problem back"),
    "audit_add_evidence": ("上传佐证材料", "add evidence"),
    "audit_withdraw_bonus": ("撤回加分案例", "withdraw a bonus case"),
    # -- round setup (pages/round_setup.py)
    "page_round_setup": ("年度设置", "Round setup"),
    # online entry (pages/entry.py, issue 11)
    "page_entry": ("在线填报", "Online entry"),
    "entry_refused": ("在线填报仅对可以填报得分的账号开放（市县、检查组、第三方机构、管理员）",
                      "Online entry is for accounts that enter scores (units, inspection "
                      "groups, the third-party institution, administrators)"),
    "entry_no_rounds": ("目前没有进行中的（未发布的）考评年度", "There is no draft round to enter"),
    "entry_no_units": ("您在该年度该阶段没有可填报的单位（检查组需先由管理员分配）",
                       "You have no unit to enter for this stage of this round (a group needs "
                       "its assignment first)"),
    "entry_unit": ("单位", "Unit"),
    "entry_caption": ("表单与Excel模板相同：每项得分在 0 至满分之间，空白表示未评。保存为草稿后可继续修改；提交后该阶段锁定。",
                      "The form is the Excel template's row: points from 0 to the maximum, "
                      "blank = not scored. A saved draft can be changed; submitting locks "
                      "the stage."),
    "entry_evaluator": ("评分人", "Evaluator"),
    "entry_points": ("得分（0–{max}）", "Points (0–{max})"),
    "entry_note": ("说明", "Note"),
    "entry_rule": ("评分规则", "Rule"),
    "entry_derived": ("由数据计算：{value} 分（不需填写）", "Computed from the data: {value} (not typed)"),
    "entry_evidence_count": ("佐证材料 {n} 份", "{n} evidence file(s)"),
    "entry_counts_verifying": ("本阶段为该项的核定阶段", "This stage verifies this indicator"),
    "entry_counts_until": ("该项由“{stage}”核定；在其评分之前暂以本阶段得分计（未核定）",
                           "Verified at '{stage}'; until then these points stand in "
                           "(unverified)"),
    "entry_counts_not": ("该项由“{stage}”核定；本阶段得分仅作记录，不计入总分",
                         "Verified at '{stage}'; points at this stage are recorded, not "
                         "counted"),
    "entry_counts_blend": ("本阶段得分按权重计入", "Points at this stage count with its weight"),
    "entry_save": ("保存草稿", "Save draft"),
    "entry_saved": ("已保存草稿，审计编号 {id}", "Draft saved (audit entry {id})"),
    "entry_state_draft": ("状态：草稿（未提交）。", "Status: draft (not submitted)."),
    "entry_state_submitted": ("状态：已由 {by} 于 {at} 提交，已锁定。", "Status: submitted by {by} on {at}; locked."),
    "entry_state_reopened": ("状态：已由管理员重新开放（理由：{reason}），可以修改后再次提交。",
                             "Status: reopened by an administrator (reason: {reason}); change "
                             "and submit again."),
    "entry_window": ("填报时间：{opens} 至 {closes}。", "Open from {opens} to {closes}."),
    "entry_window_none": ("本阶段未设截止日期。", "No deadline is set for this stage."),
    "entry_window_is_before": ("尚未开始。", "Not open yet."),
    "entry_window_is_after": ("已截止。", "Closed."),
    "entry_submit_header": ("提交", "Submit"),
    "entry_missing": ("以下 {n} 项尚未评分：{codes}", "{n} indicator(s) not scored yet: {codes}"),
    "entry_confirm": ("我确认提交：提交后本阶段锁定，只有管理员可以重新开放",
                      "I confirm: once submitted, the stage is locked; only an "
                      "administrator can reopen it"),
    "entry_submit": ("提交本阶段", "Submit this stage"),
    "entry_submitted": ("已提交并锁定，审计编号 {id}", "Submitted and locked (audit entry {id})"),
    "entry_reopen_reason": ("重新开放的理由", "Reason for reopening"),
    "entry_reopen": ("重新开放", "Reopen"),
    "entry_reopened": ("已重新开放，审计编号 {id}", "Reopened (audit entry {id})"),
    "entry_evidence_header": ("佐证材料", "Evidence files"),
    "entry_evidence_caption": ("接受 PDF、JPEG、PNG、DOCX、XLSX（按内容判断，与扩展名无关），单个文件不超过 {file_mb} MB，每单位每年度合计不超过 {unit_mb} MB。",
                               "PDF, JPEG, PNG, DOCX or XLSX (judged by the content, not the "
                               "name), up to {file_mb} MB each and {unit_mb} MB per unit "
                               "and round."),
    "entry_evidence_indicator": ("所属指标", "For indicator"),
    "entry_evidence_file": ("选择文件", "Choose a file"),
    "entry_evidence_add": ("上传佐证材料", "Upload evidence"),
    "entry_evidence_choose": ("请先选择文件（及所属指标），再上传", "Choose a file (and its indicator) first"),
    "entry_evidence_none": ("本阶段尚无佐证材料", "No evidence for this stage yet"),
    "evidence_added": ("已上传佐证材料 {id}", "Evidence {id} uploaded"),
    "file_name": ("文件名", "File name"),
    "size_kb": ("大小（KB）", "Size (KB)"),
    "uploaded_by": ("上传人", "Uploaded by"),
    "uploaded_at": ("上传时间", "Uploaded at"),

    "setup_page_refused": ("无权访问：年度设置仅向可设置考评年度的账户开放。",
                      "Not allowed: round setup is for accounts that may set rounds up."),
    "setup_deadlines": ("考评时间", "deadlines"),
    "setup_groups": ("检查组", "inspection groups"),
    "setup_targets": ("目标任务", "targets"),
    "setup_history": ("修改记录", "Changes"),
    "setup_tab_deadlines": ("考评时间", "Deadlines"),
    "setup_tab_groups": ("检查组", "Inspection groups"),
    "setup_tab_targets": ("目标任务", "Targets"),
    "setup_self_due": ("市县自评截止日期", "Self-evaluation due"),
    "setup_cross_window": ("交叉互查时间（开始—截止）", "Cross inspection (opens – closes)"),
    "setup_third_party_window": ("第三方评价时间（开始—截止）", "Third-party evaluation (opens – closes)"),
    "setup_deadlines_caption": ("日期须在考评年度前后一年内；市县自评须在交叉互查开始前截止，第三方评价不早于交叉互查开始。",
                                "Dates lie within the round's year, one year either side; the "
                                "self-evaluation is due before the cross inspection opens, and "
                                "the third-party window opens no earlier than it."),
    "save_deadlines": ("保存考评时间", "Save deadlines"),
    "deadlines_saved_page": ("已保存考评时间，审计编号 {id}。", "Deadlines saved; audit entry {id}."),
    "setup_group_no": ("组号", "Group"),
    "setup_leader_city": ("牵头城市", "Led by"),
    "setup_inspected_city": ("被检查城市", "Inspects"),
    "setup_leader_name": ("组长姓名", "group leader's name"),
    "setup_leader_title": ("组长职务", "group leader's title"),
    "setup_members": ("成员", "members"),
    "suggest_rotation": ("按轮换规则生成建议", "Suggest the rotation"),
    "setup_rotation_caption": ("轮换规则：按代码排序，第 i 个设区市牵头的检查组检查其后第 {k} 个设区市（循环计数），"
                               "每年移动一位，不会检查本市。",
                               "Rotation: the group led by the i-th city (in code order) "
                               "inspects the city {k} places after it (counting round); it moves "
                               "by one place a year and never reaches its own city."),
    "setup_groups_stored": ("以下为已保存的检查组。", "These are the stored groups."),
    "setup_groups_suggested": ("以下为建议的轮换，尚未保存。", "This is the suggested rotation; it is not saved yet."),
    "setup_groups_problems": ("检查组设置有以下问题，保存将被拒绝：",
                              "The groups have these problems; saving them will be refused:"),
    "save_groups": ("保存检查组", "Save groups"),
    "groups_saved_page": ("已保存检查组，审计编号 {id}。", "Groups saved; audit entry {id}."),
    "setup_investment_wan": ("投资（万元）", "Investment (¥10k)"),
    "setup_targets_caption": ("各单位当年计划：开工小区数、受益户数和投资（万元）。开工率和上年完工率按目标任务计算；空白表示未设定。",
                              "Each unit's plan for the year: communities to start, households "
                              "and investment (¥10k). Start and completion rates are measured "
                              "against them; blank means not set."),
    "save_targets": ("保存目标任务", "Save targets"),
    "targets_saved_page": ("已保存目标任务，审计编号 {id}。", "Targets saved; audit entry {id}."),
    "setup_targets_problems": ("目标任务有以下问题：", "The targets have these problems:"),
    "setup_import": ("从文件导入", "Import from a file"),
    "setup_revert_entry": ("撤销哪次修改", "Change to revert"),
    "setup_revert": ("撤销此修改", "Revert this change"),
    "setup_no_history": ("本年度尚无设置修改。", "No setup change in this round yet."),
    "tab_import": ("导入", "Import"),
    "tab_audit": ("审计日志", "Audit log"),
    "tab_publish": ("发布", "Publishing"),
    "download_template": ("下载填报模板 (Excel)", "Download the template (Excel)"),
    "upload": ("上传文件 (CSV 或 Excel)", "Upload a file (CSV or Excel)"),
    "import_refused": ("文件未通过校验，未写入任何数据（{n} 个问题）：",
                       "The file was refused and nothing was written ({n} problems):"),
    "import_ready": ("校验通过：新增 {new}，修改 {changed}，未变 {unchanged}。确认后一次性写入。",
                     "Valid: {new} new, {changed} changed, {unchanged} unchanged. "
                     "Confirm to write it in one transaction."),
    "confirm_import": ("确认导入", "Confirm import"),
    "import_done": ("已导入，审计编号 {id}。", "Imported; audit entry {id}."),
    "file": ("文件", "File"),
    "row": ("行", "Row"),
    "column": ("列", "Column"),
    "reason": ("原因", "Reason"),
    "old_value": ("原值", "Stored value"),
    "new_value": ("新值", "New value"),
    "change": ("变化", "Change"),
    "change_new": ("新增", "new"),
    "change_changed": ("修改", "changed"),
    "change_unchanged": ("未变", "unchanged"),
    "time": ("时间", "Time"),
    "actor": ("操作人", "Actor"),
    "action": ("操作", "Action"),
    "detail": ("详情", "Detail"),
    "search": ("搜索详情", "Search the detail"),
    "revert_entry": ("撤销哪次导入", "Import to revert"),
    "revert": ("撤销导入", "Revert import"),
    "reverted": ("已撤销，审计编号 {id}。", "Reverted; audit entry {id}."),
    "published_done": ("已发布，审计编号 {id}。", "Published; audit entry {id}."),
    "unpublished_done": ("已撤回发布，审计编号 {id}。", "Unpublished; audit entry {id}."),
    "round_created": ("已创建考评年度，审计编号 {id}。", "Round created; audit entry {id}."),
    # sign-in events beside the audit log (evalcore.views.data.SIGN_IN_ACTIONS), unlocking
    "sign_in_events": ("登录记录", "Sign-in events"),
    "signin_ok": ("登录成功", "signed in"),
    "signin_failed": ("登录失败", "failed sign-in"),
    "signin_lockout": ("锁定", "locked out"),
    "locked_account": ("被锁定的账户", "Locked account"),
    "unlock_account": ("解锁账户", "Unlock account"),
    "account_unlocked": ("已解锁账户 {id}。", "Account {id} unlocked."),
    "publish": ("发布", "Publish"),
    "unpublish": ("撤回发布", "Unpublish"),
    "published": ("已发布", "published"),
    # the audit filter's first option (evalcore.ui.actions.audit_actions)
    "audit_all": ("全部操作", "all actions"),
    # what a page says instead of failing (evalcore.ui.widgets, evalcore.ui.actions)
    "no_units_visible": ("此视图中没有您可查看的单位：草稿年度只显示您有权查看的单位。请更换年度、层级或范围。",
                         "No unit you may see is in this view: a draft round shows only the "
                         "units you may see. Choose another round, level or area."),
    "page_failed": ("此页面暂时无法显示，错误已记录。请更换选项或稍后再试。",
                    "This page cannot be shown; the error has been logged. Change the options "
                    "or try again later."),
    "data_read_only": ("此实例为只读，不提供数据管理。", "This instance is read-only: data "
                       "management is not available here."),
    "msg_action_failed": ("操作失败，未写入任何数据；错误已记录。",
                          "The action failed and nothing was written; the error has been "
                          "logged."),
    # the leadership page (pages/leadership.py)
    "page_leadership": ("领导参阅", "For leadership"),
    "ld_refused": ("此页面仅供领导和管理员使用，请以相应账号登录。",
                   "This page is for leaders and administrators: sign in with such an account."),
    "ld_tab_notice": ("年度通报", "Annual notice"),
    "ld_tab_incentives": ("考评激励", "Incentives"),
    "ld_draft_note": ("本年度尚未发布：通报各页均带“草稿”标记。",
                      "This round is not published: every page of the notice is marked DRAFT."),
    "ld_notice_help": ("通报内容由数据生成，可在下方逐段修改（每行一段）后导出；Word 版便于办公室继续编辑。",
                       "The notice is generated from the data; edit any section below (one "
                       "paragraph a line), then export. The Word file stays editable."),
    "ld_opening": ("导语", "Opening"),
    "ld_notice_docx": ("⬇️ 通报（Word）", "⬇️ Notice (Word)"),
    "ld_notice_pdf": ("⬇️ 通报（PDF）", "⬇️ Notice (PDF)"),
    "ld_no_rule": ("评分标准 {rubric} 未规定考评结果与激励挂钩的规则。",
                   "Rubric {rubric} declares no rule linking results to incentives."),
    "ld_pool_wan": ("激励资金总额（万元）", "Incentive pool (¥10,000)"),
    "ld_weight": ("分配系数", "Weight"),
    "ld_amount_yuan": ("分配金额（元）", "Amount (¥)"),
    "ld_amount_whatif": ("试算权重下金额（元）", "Amount with these weights (¥)"),
    "ld_change_yuan": ("变化（元）", "Change (¥)"),
    "ld_rank_whatif": ("试算排名", "Rank with these weights"),
    "ld_nominated": ("推荐督查激励", "Nominated for the inspection incentive"),
    "ld_whatif": ("按其他维度权重试算", "With other dimension weights"),
    "ld_ties_note": ("资金总额无法在并列单位间精确到分均分，尾差按排名依次分配。",
                     "The pool cannot be split equally to the fen within a tie: the last fen "
                     "go in rank order."),
    # the annual notice (通报), evalcore/notice.py
    "nt_issuer": ("浙江省城镇老旧小区改造工作领导小组办公室",
                  "Office of the Zhejiang Leading Group for Old-Community Renovation"),
    "nt_number": ("浙旧改办〔{next}〕　号", "Zhe Jiu Gai Ban [{next}] No. __"),
    "nt_title": ("关于{year}年度全省城镇老旧小区改造工作综合考评结果的通报",
                 "Notice on the results of the {year} comprehensive evaluation of old-community "
                 "renovation in the province"),
    "nt_addressees": ("各设区市、县（市、区）城镇老旧小区改造工作领导小组办公室：",
                      "To the renovation leading-group offices of every city and county:"),
    "nt_opening": ("根据全省城镇老旧小区改造工作综合考评安排，经市县自评、交叉互查和第三方专业机构评价，"
                   "{year}年度综合考评工作已经完成。现将考评结果通报如下：",
                   "After self-evaluation, cross inspection and third-party evaluation, the {year} "
                   "comprehensive evaluation is complete. Its results are as follows:"),
    "nt_date": ("{next}年　月　日", "__ ______ {next}"),
    "nt_draft_mark": ("草稿", "DRAFT"),
    "nt_numbers_heading": ("一、总体情况", "1. The round in numbers"),
    "nt_numbers_starts": ("全年新开工改造城镇老旧小区{started}个，为年度目标{target}个的{rate}。",
                          "{started} old communities were started against a target of {target} "
                          "({rate})."),
    "nt_numbers_households": ("惠及居民{households}，为目标{target}的{rate}。",
                              "They benefit {households}, against a target of {target} ({rate})."),
    "nt_numbers_investment": ("计划总投资{planned}，已完成投资{completed}，完成率{rate}",
                              "Planned investment is {planned}, of which {completed} was spent "
                              "({rate})"),
    "nt_numbers_investment_target": ("；年度投资目标{target}，计划投资达目标的{rate}",
                                     "; the year's investment target is {target} ({rate} "
                                     "planned)"),
    "nt_numbers_completed": ("上年度计划项目完工{completed}个，为计划{target}个的{rate}。",
                             "{completed} of the previous year's {target} planned communities "
                             "were completed ({rate})."),
    "nt_cities_heading": ("二、设区市考评排名", "2. City ranking"),
    "nt_cities_text": ("{n}个设区市考评排名如下，{first}以{total}分位列第一。",
                       "The {n} cities rank as follows; {first} is first with {total} points."),
    "nt_city": ("设区市", "City"),
    "nt_counties_heading": ("三、县（市、区）考评等次（{n}个）", "3. Counties by grade ({n} units)"),
    "nt_band": ("{grade}（{n}个）：{units}。", "{grade} ({n}): {units}."),
    "nt_none": ("无", "none"),
    "nt_veto": ("{unit}因{items}实行一票否决，考评等次定为最低等次。",
                "{unit} is vetoed ({items}): its grade is the lowest."),
    "nt_practices_heading": ("四、典型做法", "4. Typical practices"),
    "nt_practices_intro": ("本轮共有{n}个地区的加分案例经核定认可，现将部分典型做法列举如下：",
                           "Bonus cases of {n} units were accepted; some typical practices:"),
    "nt_practice": ("{unit}：{title}（{category}）。", "{unit}: {title} ({category})."),
    "nt_practices_none": ("本轮无经核定认可的加分案例。", "No bonus case was accepted this round."),
    "nt_problems_heading": ("五、主要问题及整改情况", "5. Main problems and their rectification"),
    "nt_problems_none": ("本轮未记录问题整改数据。",
                         "No problems or rectification were recorded this round."),
    "nt_problems_summary": ("本轮共发现问题{n}个，已整改{done}个，整改率{rate}。",
                            "{n} problems were found; {done} are rectified ({rate})."),
    "nt_closing_heading": ("六、下一步工作要求", "6. Next steps"),
    "nt_closing_text": ("各地要对照考评结果，认真总结经验、查找不足，对考评中发现的问题逐项整改到位，"
                        "进一步健全统筹协调、项目推进、资金筹集和长效管理机制，推动城镇老旧小区改造"
                        "工作提质增效。",
                        "Every city and county should learn from these results, rectify every "
                        "problem found, and strengthen coordination, delivery, fund-raising and "
                        "long-term management."),
    # -- problems and rectification (整改, issue 11): pages/problems.py, views/problems.py
    "page_problems": ("问题整改", "Problems & rectification"),
    "crit_metric_rectification_rate": ("问题整改销号率", "rectification rate"),
    "problem_status_open": ("待整改", "open"),
    "problem_status_answered": ("已报送整改", "answered"),
    "problem_status_returned": ("已退回", "returned"),
    "problem_status_closed": ("已销号", "closed"),
    "problem_severity_minor": ("一般", "minor"),
    "problem_severity_major": ("较重", "major"),
    "problem_severity_serious": ("严重", "serious"),
    "problem_found_cross": ("交叉互查", "cross inspection"),
    "problem_found_third_party": ("第三方评价", "third party"),
    "problem_found_admin": ("管理员", "administrator"),
    "pr_col_id": ("编号", "No."),
    "pr_col_unit": ("单位", "Unit"),
    "pr_col_status": ("状态", "Status"),
    "pr_col_overdue": ("逾期", "Overdue"),
    "pr_col_age_days": ("已历天数", "Days open"),
    "pr_col_severity": ("严重程度", "Severity"),
    "pr_col_deadline": ("整改期限", "Deadline"),
    "pr_col_found_stage": ("发现环节", "Found at"),
    "pr_col_indicator_code": ("相关指标", "Indicator"),
    "pr_col_community_id": ("相关小区", "Community"),
    "pr_form_indicator": ("相关指标（可选）", "Indicator (optional)"),
    "pr_form_community": ("相关小区（可选）", "Community (optional)"),
    "pr_col_description": ("问题描述", "Description"),
    "pr_col_answer": ("整改情况", "What was done"),
    "pr_col_review_note": ("审核意见", "Reviewer's note"),
    "pr_col_found_by": ("发现人", "Found by"),
    "pr_col_found_at": ("发现日期", "Found on"),
    "pr_col_answered_at": ("报送日期", "Answered on"),
    "pr_col_closed_at": ("销号日期", "Closed on"),
    "pr_col_recorded": ("发现问题", "Recorded"),
    "pr_col_outstanding": ("未销号", "Not closed"),
    "pr_col_closed": ("已销号", "Closed"),
    "pr_col_rate": ("销号率", "Share closed"),
    "pr_col_file_name": ("文件", "File"),
    "pr_col_subject": ("类别", "Kind"),
    "pr_col_size_kb": ("大小（KB）", "Size (KB)"),
    "pr_col_uploaded_by": ("上传人", "Uploaded by"),
    "pr_col_uploaded_at": ("上传日期", "Uploaded on"),
    "pr_subject_problem": ("问题佐证", "problem evidence"),
    "pr_subject_rectification": ("整改佐证", "rectification evidence"),
    "pr_description": ("问题描述", "description"),
    "pr_answer_field": ("整改情况", "what was done"),
    "pr_review_note": ("审核意见", "reviewer's note"),
    "pr_page_refused": ("您的账号无权查看问题整改。", "Your account may not see problems and "
                        "their rectification."),
    "pr_caption": ("{year} 年度考评中发现的问题及其整改：您有权查看的单位。",
                   "Problems found in the {year} round and their rectification: the units you "
                   "may see."),
    "pr_tab_list": ("问题清单", "Problems"),
    "pr_tab_units": ("按单位统计", "By unit"),
    "pr_tab_record": ("记录问题", "Record a problem"),
    "pr_tab_answer": ("报送整改", "Answer"),
    "pr_tab_review": ("销号或退回", "Sign off or send back"),
    "pr_all": ("全部", "all"),
    "pr_overdue": ("逾期", "overdue"),
    "pr_overdue_only": ("只看逾期", "Overdue only"),
    "pr_overdue_rule": ("逾期：未销号且已过整改期限（已报送但尚未销号的问题同样计为逾期）。已历天数：从发现到销号，未销号的到今天。",
                        "Overdue: not closed and past its deadline (an answered problem still "
                        "waiting for sign-off counts too). Days open: from finding to closing, "
                        "or to today."),
    "pr_none": ("没有符合条件的问题。", "No problem matches."),
    "pr_no_units": ("本年度没有您可以记录问题的单位。", "There is no unit you may record "
                    "problems for in this round."),
    "pr_evidence_of": ("查看佐证材料：问题", "Evidence of problem"),
    "pr_no_evidence": ("该问题没有您可查看的佐证材料。", "This problem has no evidence you may "
                       "see."),
    "pr_files": ("问题佐证材料（PDF、JPEG、PNG、DOCX、XLSX）", "Evidence (PDF, JPEG, PNG, DOCX, "
                 "XLSX)"),
    "pr_rectification_files": ("整改佐证材料（PDF、JPEG、PNG、DOCX、XLSX）",
                               "Rectification evidence (PDF, JPEG, PNG, DOCX, XLSX)"),
    "pr_record": ("记录问题", "Record the problem"),
    "pr_problem": ("问题", "Problem"),
    "pr_answer": ("报送整改情况", "Send the answer"),
    "pr_nothing_to_answer": ("没有待整改或被退回的问题。", "No open or returned problem to "
                             "answer."),
    "pr_nothing_to_review": ("没有已报送、待销号的问题。", "No answered problem waits for "
                             "sign-off."),
    "pr_review_rule": ("只有发现该问题的账号或管理员可以销号或退回；退回须写明意见。",
                       "Only the account that found the problem or an administrator may sign "
                       "it off or send it back; sending back needs a note."),
    "pr_close": ("销号", "Sign off"),
    "pr_return": ("退回", "Send back"),
    "pr_recorded_done": ("已记录问题，审计编号 {id}。", "Problem recorded; audit entry {id}."),
    "pr_answered_done": ("已报送整改情况，审计编号 {id}。", "Answer sent; audit entry {id}."),
    "pr_closed_done": ("已销号，审计编号 {id}。", "Signed off; audit entry {id}."),
    "pr_returned_done": ("已退回，审计编号 {id}。", "Sent back; audit entry {id}."),
    "pr_profile_heading": ("问题整改", "Problems and rectification"),
    "pr_profile_caption": ("{year} 年度考评中发现的问题（设区市含所辖县（市、区））。",
                           "Problems found in the {year} round (a city's include its "
                           "counties')."),
    "pr_profile_link": ("打开问题整改页面", "Open the problems page"),
    "pr_import_heading": ("批量导入问题（Excel 或 CSV）", "Record many problems (Excel or CSV)"),
    "pr_import_ready": ("文件无误：将记录 {n} 个问题。", "The file is valid: {n} problem(s) will "
                        "be recorded."),
    # -- round status (pages/round_status.py, evalcore/views/round_status.py; issue 11)
    "page_round_status": ("考评进度", "Round status"),
    "status_page_refused": ("无权访问：考评进度仅向可查看报送情况的账户开放。",
                            "Not allowed: the round status is for accounts that may see "
                            "submissions."),
    "status_intro": ("{year}年度考评截至 {as_of} 的进展：各单位各阶段的报送情况、缺项、截止日期与逾期事项、"
                     "未销号问题，以及总分含未核验指标的单位。",
                     "Round {year} as of {as_of}: which units have submitted each stage, "
                     "what is missing, deadlines and what is overdue, open problems, and the "
                     "units whose totals include unverified indicators."),
    "status_as_of_demo": ("示例数据按 {as_of} 的进展计算逾期。",
                          "Demo data: overdue is measured as of {as_of}."),
    "status_no_units": ("此层级中没有您可查看报送情况的单位。请更换层级。",
                        "No unit at this level whose submissions you may see. Choose another "
                        "level."),
    "status_submitted": ("已提交", "submitted"),
    "status_reopened": ("已退回重填", "reopened"),
    "status_draft": ("草稿", "draft"),
    "status_empty": ("未填报", "nothing entered"),
    "status_missing_n": ("缺{n}项", "{n} missing"),
    "status_overdue": ("逾期", "overdue"),
    "status_deadlines": ("截止日期与报送", "Deadlines and submissions"),
    "status_opens": ("开始", "Opens"),
    "status_closes": ("截止", "Closes"),
    "status_window": ("状态", "Window"),
    "status_window_closed": ("已截止", "closed"),
    "status_window_open": ("进行中", "open"),
    "status_window_unset": ("未设定", "not set"),
    "status_late_units": ("逾期未提交", "Overdue, not submitted"),
    "status_units": ("各单位报送情况", "Submissions by unit"),
    "status_units_caption": ("✅ 已提交（锁定）；↩️ 已退回重填（草稿，附原因）；✏️ 草稿（已录入未提交）；— 未填报；"
                             "⏰ 截止后仍未提交。缺项：该阶段应评而未评分的指标数。",
                             "✅ submitted (locked); ↩️ reopened (a draft again, with a reason); "
                             "✏️ draft (entered, not submitted); — nothing entered; ⏰ not "
                             "submitted after its deadline. Missing: indicators the stage "
                             "should score and has not."),
    "status_cases_pending": ("待审核加分案例", "Bonus cases awaiting review"),
    "status_problems_open": ("未销号问题", "Open problems"),
    "status_problems_overdue": ("逾期问题", "Overdue problems"),
    "status_missing": ("缺项明细", "What is missing"),
    "status_missing_caption": ("各阶段应评分而尚无分值的指标（按核验阶段：自评填报全部指标，交叉互查、第三方评价填报由其核验或尚待其后阶段核验的指标）。",
                               "Indicators a stage should score and has no points for (by "
                               "verifying stage: self-evaluation declares every indicator; "
                               "each later stage scores those it or a later stage verifies)."),
    "status_indicators": ("指标", "Indicators"),
    "status_category": ("加分类别", "Category"),
    "status_case_no": ("案例序号", "Case"),
    "status_verifying_stage": ("审核阶段", "Reviewed at"),
    "status_problems": ("逾期未销号的问题", "Problems past their deadline"),
    "status_problem_id": ("问题编号", "Problem"),
    "status_found_stage": ("发现阶段", "Found at"),
    "status_severity": ("严重程度", "Severity"),
    "status_deadline": ("整改期限", "Deadline"),
    "status_problem_status": ("状态", "Status"),
    "status_severity_minor": ("一般", "minor"),
    "status_severity_major": ("较重", "major"),
    "status_severity_serious": ("严重", "serious"),
    "status_problem_open": ("待整改", "open"),
    "status_problem_answered": ("已报送整改", "answered"),
    "status_problem_returned": ("已退回", "returned"),
    "status_problem_closed": ("已销号", "closed"),
    "status_finder_admin": ("省级", "province (admin)"),
    "status_unverified": ("总分含未核验指标的单位", "Units ranked on unverified indicators"),
    "status_unverified_summary": ("{n} / {of} 个单位的总分含未核验指标（核验阶段尚未评分，由前一阶段得分替代）。",
                                  "{n} of {of} units rank partly on unverified indicators (their "
                                  "verifying stage has not scored them; an earlier stage's "
                                  "points stand in)."),
    "status_stand_in": ("替代阶段", "Standing in"),
    "status_none": ("无", "none"),
    "status_blend": ("现有阶段按权重重新归一", "the stages present, weights renormalised"),
    "status_nothing_overdue": ("没有逾期未销号的问题。", "No problem is past its deadline."),
    "status_nothing_missing": ("没有缺项。", "Nothing is missing."),
    "status_no_cases_pending": ("没有待审核的加分案例。", "No bonus case awaits review."),
    "status_all_verified": ("所有单位的总分均已核验。", "Every unit's total is verified."),
    "unverified_n": ("{mark}（{n}项）", "{mark} ({n})"),
    # -- bonus cases and deductions workspace (pages/bonus_cases.py)
    "page_bonus_cases": ("加分案例与扣分", "Bonus cases and deductions"),
    "bc_page_refused": ("无权访问：本页面向可申报或核验加分案例、录入扣分的账户开放。",
                        "Not allowed: this page is for accounts that may claim or review bonus "
                        "cases or enter deductions."),
    "bc_no_units": ("{year} 年度没有您可操作的单位（检查组尚未分配？）。",
                    "No unit you may act for in round {year} (inspection groups not assigned "
                    "yet?)."),
    "bc_points_now": ("当前可得加分（已认定，封顶后）", "Bonus now (accepted, after caps)"),
    "bc_points_if_all": ("若申报全部认定（封顶后）", "If every claim were accepted (after caps)"),
    "bc_total_cap": ("加分总上限", "Total bonus cap"),
    "bc_caps_caption": ("每个类别有一个案例被认定即得该类别分值；▲ 表示所在组已达组上限，超出部分不计。"
                        "只计核验阶段认定的案例（形成机制并有实例）。",
                        "A category earns its points once one of its cases is accepted; ▲: its "
                        "group's cap is reached and points above it do not count. Only cases "
                        "accepted at the verifying stage count (a mechanism with a real case)."),
    "bc_review_tab": ("核验", "Review"),
    "bc_deductions": ("扣分与一票否决", "Deductions and vetoes"),
    "bc_files_tab": ("模板与导入导出", "Templates, import and export"),
    "bc_no_cases": ("该单位本年度尚无加分案例。", "This unit has no bonus case in this round."),
    "bc_claim_heading": ("申报或修改案例", "Claim or edit a case"),
    "bc_claim_caption": ("每个案例至少上传一个佐证材料才能申报；核验前可修改或撤回。",
                         "A case needs at least one evidence file; it can be edited or "
                         "withdrawn until it is reviewed."),
    "bc_not_a_reviewer": ("您的账号不核验加分案例。", "Your account does not review bonus cases."),
    "bc_deductions_caption": ("扣分须在该项分值范围内（超出即拒绝，不截断）并写明理由；一票否决不扣分，"
                              "定为最低等次并排在所有未被否决的单位之后。",
                              "Points must lie within the item's range (outside it they are "
                              "refused, never clipped) and need a reason; a veto carries no "
                              "points, sets the lowest grade and ranks the unit after every "
                              "unit without a veto."),
    "bc_kind_bonus": ("加分案例", "bonus cases"),
    "bc_kind_deductions": ("扣分与否决", "deductions and vetoes"),
    "bc_template": ("下载模板（含已有数据，亦为导出）", "Download the template (with the stored rows: "
                    "also the export)"),
    "bc_claimed": ("已保存加分案例（记录 {id}）。", "Bonus case saved (entry {id})."),
    "bc_withdrawn": ("已撤回加分案例（记录 {id}）。", "Bonus case withdrawn (entry {id})."),
    "bc_reviewed": ("已保存核验结论（记录 {id}）。", "Verdict saved (entry {id})."),
    "bc_deducted": ("已保存扣分（记录 {id}）。", "Deduction saved (entry {id})."),
    "bc_files_help": ("按文件内容判断类型，只接受 {types}。", "Judged by content: {types} only."),
    "bc_new_case": ("新案例", "New case"),
    "bc_case_title": ("案例名称", "Case title"),
    "bc_claim_which": ("案例", "Case"),
    "bc_amount_wan": ("筹集金额（万元）", "Amount raised (¥10k)"),
    "bc_amount_help": ("仅资金筹集类别填写。", "For funding channels only."),
    "bc_evidence": ("佐证材料", "Evidence files"),
    "bc_claim": ("申报", "Claim"),
    "bc_save_case": ("保存修改", "Save changes"),
    "bc_withdraw": ("撤回此案例", "Withdraw this case"),
    "bc_unit_funding": ("本单位小区该渠道资金", "The unit's own community funding in"),
    "bc_funding_batch": ("{year} 年度批次", "{year} batch"),
    "bc_funding_with_money": ("有该渠道资金的小区", "Communities with money in it"),
    "bc_funding_upto": ("截至 {year} 年度累计", "All batches to {year}"),
    "bc_no_evidence": ("此案例没有佐证材料。", "This case has no evidence file."),
    "bc_nothing_to_review": ("该单位没有由您核验的案例。", "This unit has no case for you to review."),
    "bc_review_which": ("待核验的案例", "Case to review"),
    "bc_verdict": ("核验结论", "Verdict"),
    "bc_verdict_accepted": ("予以认定", "Accept"),
    "bc_verdict_rejected": ("不予认定", "Reject"),
    "bc_review_reason": ("理由（必填）", "Reason (required)"),
    "bc_save_verdict": ("保存核验结论", "Save the verdict"),
    "bc_no_items": ("本年度评分标准没有扣分项。", "This round's rubric has no deduction item."),
    "bc_item": ("扣分项或否决项", "Deduction item or veto"),
    "bc_points": ("分值", "Points"),
    "bc_points_help": ("须在该项范围内；一票否决留空。", "Within the item's range; leave blank for a veto."),
    "bc_reason": ("理由", "Reason"),
    "bc_enter_deduction": ("保存扣分", "Save the deduction"),
    "bc_case_no": ("编号", "No."),
    "bc_files": ("佐证材料数", "Evidence files"),
    "bc_group": ("所属组（上限）", "Group (cap)"),
    "bc_seq": ("序号", "No."),
    "bc_recorded_by": ("录入人", "Entered by"),
}


def t(key: str, lang: str = "zh") -> str:
    """The label for `key` in `lang`; the key itself if it has no label (visible, not silent)."""
    zh, en = LABELS.get(key, (key, key))
    return en if lang == "en" else zh


def column_labels(columns: list[str], lang: str) -> dict[str, str]:
    return {c: t(c, lang) for c in columns}


# Numbers in each language's conventions (Babel's CLDR data, shipped in its wheel): grouping,
# 万/亿 in Chinese, percent signs. Units stay ours: 户, 元, households, ¥.
LOCALES = {"zh": "zh_Hans_CN", "en": "en"}


def _missing(x: float | None) -> bool:
    return x is None or pd.isna(x)


def _locale(lang: str) -> str:
    return LOCALES["en" if lang == "en" else "zh"]


def fmt_number(n: float, lang: str = "zh") -> str:
    """A whole number with grouping: 1,768."""
    return "–" if _missing(n) else format_decimal(n, "#,##0", locale=_locale(lang))


def fmt_households(n: float, lang: str = "zh") -> str:
    """46万户 / 460,000 households (Chinese counts households in 万)."""
    if _missing(n):
        return "–"
    if lang == "en":
        return f"{fmt_number(n, lang)} households"
    return format_compact_decimal(n, locale=_locale(lang), fraction_digits=1) + "户"


def fmt_money_wan(wan: float, lang: str = "zh") -> str:
    """Money given in 万元: 145亿元, 40万元 / ¥14.5B, ¥400K."""
    if _missing(wan):
        return "–"
    yuan = wan * 10_000
    sign = "-" if yuan < 0 else ""
    if lang == "en":
        return f"{sign}¥" + format_compact_decimal(abs(yuan), locale="en", fraction_digits=2)
    return sign + format_compact_decimal(abs(yuan), locale=_locale(lang), fraction_digits=1) + "元"


def fmt_pct(x: float, lang: str = "zh") -> str:
    """A share as a percentage with one decimal: 0.5 → 50.0%."""
    return "–" if _missing(x) else format_percent(x, "#,##0.0%", locale=_locale(lang))


def label_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy with display labels as column names (for on-screen tables and downloads)."""
    return frame.rename(columns=column_labels(list(frame.columns), lang))
