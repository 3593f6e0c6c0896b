"""The ledger's part of seed_demo (registered in GovernanceConfig.ready).

What it adds
- A matters catalogue for 莱芜区 and 政和县 (27 categories, each routed to a department of the
  district where one is responsible, a few urgent ones counted in hours) with per-level time
  limits where departments get longer.
- Ledgers: per village/community a reception-day demand ledger and a grid problem ledger, per
  township a 12345 hotline ledger, and Laiwu's "小马拉大车" rectification list of 20 problems,
  each with its completion deadline and long-term mechanism.
- A year of items up to now with believable histories (accepted, studied at the weekly review,
  handed to a department, resolved, verified, the resident called back; some late, supervised,
  extended, explained or reopened), past weekly review meetings, and, for the demo accounts,
  work waiting today: new demands of 花园社区 awaiting the weekly review, matters handed to
  区住建局 awaiting acceptance, pending extension requests, items to verify and call back.
- `--scale district`: about ITEMS_PER_UNIT items for every further village and community of
  Laiwu (~100,000 with Laiwu's 860), with the same histories, bulk-inserted in chunks.

How histories are written
Each item is played through `Story`, which mirrors governance.ledger.services step by step
(same field changes, same event per step, same deadlines from governance.workdays) but with
explicit timestamps instead of timezone.now(), and checks each step against the lifecycle
table (rules.STEPS). While a story runs, it also does what the reminder sweep would have done
in that time: marks `yellow_reminded_at` at the first sweep after the item turned yellow and
supervises (督办) items overdue by SHANZHI_ESCALATE_AFTER_WORKDAYS working days, with the same
event as services.item_supervise. Steps planned after now are not taken, so recent items are
still open. The rows are then bulk-inserted, so figures (read from the item timestamps) and
timelines (the events) agree, and the first real sweep finds only what is due today.

Idempotent: catalogue entries, time limits, ledgers and schedules are created only when
missing; item histories only for ledgers that have no items yet. Item numbers come from the
same NumberSequence rows the services use, which are moved past the numbers given out.
"""

import datetime
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Max, Q
from django.utils import timezone

from governance import access, workdays
from governance.demo import day_start, district_of, insert_rows, localdate
from governance.ledger import lifecycle
from governance.ledger.rules import STEPS
from governance.ledger.services import DEFAULT_ACCEPT_LIMIT, DEFAULT_HANDLE_LIMIT, TimeLimits
from governance.models import (
    OPEN_STATUSES,
    CategoryTimeLimit,
    EventAction,
    ExtensionRequest,
    ExtensionStatus,
    Ledger,
    LedgerEvent,
    LedgerItem,
    LedgerKind,
    Level,
    MatterCategory,
    Membership,
    NumberSequence,
    ReviewDecision,
    ReviewKind,
    ReviewMeeting,
    ReviewSchedule,
    Role,
    Satisfaction,
    Source,
    Status,
    TimeUnit,
    Unit,
)

LAIWU_CODE, ZHENGHE_CODE = "370116", "350725"
PREFIXES = {LAIWU_CODE: "LW", ZHENGHE_CODE: "ZH"}
# The departments of each district that categories are routed to, by role.
DEPARTMENTS = {
    LAIWU_CODE: {
        "housing": "区住建局",
        "urban": "区城管局",
        "civil": "区民政局",
        "hr": "区人社局",
        "health": "区卫健局",
        "social": "区委社会工作部",
        "organisation": "区委组织部",
    },
    # A county's 住建局 also runs urban management.
    ZHENGHE_CODE: {"housing": "县住建局", "urban": "县住建局", "hr": "县人社局"},
}
#: District scale: items per further village or community in the year (a community counts
#: twice, a village once, so that the total is this times the number of units).
ITEMS_PER_UNIT = 125
CHUNK = 4000
HISTORY_DAYS = 365
QUARTER = datetime.timedelta(minutes=15)
# The weekly meeting studies items from 15:00 and is recorded when it ends.
RECORDED_AFTER = datetime.timedelta(minutes=90)
MINUTE = datetime.timedelta(minutes=1)
ONE_DAY = datetime.timedelta(days=1)
H, W = TimeUnit.HOUR, TimeUnit.WORKDAY


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    department: str | None  # a key of DEPARTMENTS
    limits: tuple[int, int, int, str]  # accept, handle, verify, counted in
    urban: float  # how often it comes up in a city community …
    rural: float  # … and in a village
    titles: tuple[str, ...]
    measures: str
    result: str


CATALOGUE = (
    CategorySpec(
        "0101",
        "房屋漏水",
        "housing",
        (1, 10, 5, W),
        8,
        1,
        ("{b}号楼顶楼住户屋顶漏水", "{b}号楼{u}单元楼道墙面渗水", "楼上卫生间漏水殃及楼下住户"),
        "联系物业和施工单位现场查找漏点，明确维修责任和费用分担",
        "已修补屋面防水层并更换破损管道，雨后回访无渗漏",
    ),
    CategorySpec(
        "0102",
        "物业服务",
        "housing",
        (1, 10, 5, W),
        7,
        0,
        ("小区保洁不到位、楼道杂物堆放", "物业收费标准未公示", "小区门禁损坏长期无人维修"),
        "约谈物业服务企业负责人，限期整改并纳入物业服务综合评价",
        "物业公司已整改，增加保洁频次并在公告栏公示收费标准",
    ),
    CategorySpec(
        "0103",
        "电梯故障",
        "housing",
        (1, 24, 8, H),
        3,
        0,
        ("{b}号楼电梯频繁停运", "{b}号楼{u}单元电梯异响、运行不稳"),
        "通知电梯维保单位到场检修，必要时申请特种设备检验",
        "维保单位已更换故障部件，电梯恢复正常运行",
    ),
    CategorySpec(
        "0104",
        "供暖问题",
        "housing",
        (1, 3, 2, W),
        4,
        1,
        ("{b}号楼住户家中暖气不热", "小区供暖管道漏水"),
        "联系热力公司入户测温、排查管网",
        "热力公司已排气调压，入户复测室温达到18℃以上",
    ),
    CategorySpec(
        "0105",
        "燃气安全隐患",
        "housing",
        (1, 4, 4, H),
        1,
        0.5,
        ("{b}号楼楼道内有燃气异味", "沿街餐馆燃气管道私接乱改"),
        "立即通知燃气公司抢修，疏散周边住户",
        "燃气公司已关阀检修并更换老化接口",
    ),
    CategorySpec(
        "0106",
        "二次供水",
        "housing",
        (1, 12, 8, H),
        2,
        0,
        ("{b}号楼高层住户水压不足", "小区二次供水水箱清洗不及时"),
        "联系供水公司检修加压设备并安排水箱清洗消毒",
        "加压泵已检修，水箱已清洗消毒并公示水质检测报告",
    ),
    CategorySpec(
        "0107",
        "老旧小区改造",
        "housing",
        (2, 20, 5, W),
        2,
        0,
        ("老旧小区外墙保温层脱落", "小区雨污管网老化、雨天积水"),
        "纳入老旧小区改造计划，先行设置警示区和临时防护",
        "已完成外墙修复和雨污分流改造",
    ),
    CategorySpec(
        "0201",
        "道路破损",
        "urban",
        (1, 10, 5, W),
        3,
        5,
        ("{place}路面坑洼积水", "村内主干道路面破损", "通往田间的生产路塌陷"),
        "联系城管部门现场勘察，制定修补方案",
        "已完成路面修补并恢复通行",
    ),
    CategorySpec(
        "0202",
        "路灯不亮",
        "urban",
        (1, 5, 3, W),
        4,
        4,
        ("{place}路灯不亮", "村口路灯损坏，夜间出行不便"),
        "报城管部门路灯所检修",
        "已更换灯具和线路，路灯恢复照明",
    ),
    CategorySpec(
        "0203",
        "垃圾清运",
        "urban",
        (1, 3, 2, W),
        4,
        5,
        ("小区垃圾桶满溢、清运不及时", "村头垃圾堆放点长期未清理"),
        "协调环卫公司增加清运频次",
        "垃圾已清运，清运频次调整为每日两次",
    ),
    CategorySpec(
        "0204",
        "占道经营",
        "urban",
        (1, 5, 3, W),
        3,
        1,
        ("{place}流动摊贩占道经营", "沿街商户店外经营堵塞人行道"),
        "联合城管执法中队劝导整治",
        "已规劝摊贩进入便民市场经营，人行道恢复畅通",
    ),
    CategorySpec(
        "0205",
        "违章搭建",
        "urban",
        (2, 20, 5, W),
        2,
        1,
        ("{b}号楼一楼住户私搭阳光房", "楼顶违规搭建彩钢房"),
        "下达限期拆除通知书，逾期由执法部门依法处置",
        "违建已由当事人自行拆除，现场恢复原状",
    ),
    CategorySpec(
        "0206",
        "井盖缺失破损",
        "urban",
        (1, 24, 8, H),
        1,
        0.5,
        ("{place}窨井盖缺失，存在安全隐患",),
        "现场设置围挡警示，通知权属单位补装",
        "权属单位已补装防坠井盖",
    ),
    CategorySpec(
        "0207",
        "绿化养护",
        "urban",
        (1, 10, 5, W),
        2,
        1,
        ("小区绿化带树木遮挡低楼层采光", "行道树枯死无人补植"),
        "联系园林绿化部门修剪补植",
        "已修剪遮挡枝条并补植行道树",
    ),
    CategorySpec(
        "0208",
        "停车管理",
        "urban",
        (1, 10, 5, W),
        5,
        1,
        ("车辆乱停堵塞消防通道", "电动车楼道充电、飞线充电"),
        "召开居民议事会协商停车方案，增设电动车集中充电桩",
        "已施划停车位并建成集中充电车棚，消防通道保持畅通",
    ),
    CategorySpec(
        "0209",
        "噪音扰民",
        "urban",
        (1, 3, 2, W),
        4,
        1,
        ("楼下烧烤店夜间噪音扰民", "周边工地夜间施工噪音大", "广场舞音响声音过大"),
        "上门劝导并联系执法部门检查",
        "经协调已调整营业和施工时间，噪音问题解决",
    ),
    CategorySpec(
        "0301",
        "养老服务",
        "civil",
        (1, 10, 5, W),
        3,
        4,
        ("独居老人申请助餐服务", "高龄老人申请居家养老上门服务", "幸福院冬季取暖设施不足"),
        "入户评估老人需求，对接长者食堂和居家养老服务中心",
        "已纳入助餐和居家养老服务名单，每周上门服务两次",
    ),
    CategorySpec(
        "0302",
        "低保与临时救助",
        "civil",
        (2, 15, 5, W),
        1.5,
        3,
        ("困难家庭申请临时救助", "因病致贫家庭咨询低保政策"),
        "入户核查家庭收入和财产状况，按程序提交审核",
        "经审核已发放临时救助金，符合条件的纳入低保",
    ),
    CategorySpec(
        "0303",
        "残疾人帮扶",
        "civil",
        (2, 15, 5, W),
        1,
        1.5,
        ("残疾人申请辅助器具", "重度残疾人申请护理补贴"),
        "协助准备材料并报残联审核",
        "辅助器具已发放，护理补贴按月发放",
    ),
    CategorySpec(
        "0304",
        "就业帮扶",
        "hr",
        (1, 10, 5, W),
        2,
        2,
        ("失业人员求助推荐就业岗位", "返乡青年咨询创业扶持政策"),
        "登记求职意向，推送零工市场和企业岗位信息",
        "已推荐至辖区企业就业并办理就业登记",
    ),
    CategorySpec(
        "0305",
        "欠薪讨要",
        "hr",
        (1, 5, 3, W),
        1,
        2,
        ("农民工反映工地拖欠工资", "务工人员被拖欠劳务费"),
        "移交劳动保障监察机构调查，约谈用工单位",
        "用工单位已足额支付拖欠工资",
    ),
    CategorySpec(
        "0306",
        "社保医保咨询",
        "hr",
        (1, 5, 3, W),
        2,
        2,
        ("咨询城乡居民养老保险缴费", "灵活就业人员咨询医保办理"),
        "现场解答政策，帮办代办参保手续",
        "已帮助居民完成参保缴费",
    ),
    CategorySpec(
        "0307",
        "医疗卫生服务",
        "health",
        (1, 10, 5, W),
        1.5,
        2,
        ("社区卫生服务站开诊时间短", "村卫生室缺少常用药品"),
        "反映至卫健部门，协调延长开诊时间和药品配送",
        "卫生服务站已实行错时延时服务，常用药品配齐",
    ),
    CategorySpec(
        "0308",
        "环境卫生与病媒防治",
        "health",
        (1, 5, 3, W),
        2,
        1.5,
        ("地下室积水滋生蚊虫", "农贸市场周边鼠患严重"),
        "组织病媒生物消杀，清理积水和卫生死角",
        "已完成消杀和积水清理，复查未见异常",
    ),
    CategorySpec(
        "0401",
        "矛盾纠纷调解",
        "social",
        (1, 5, 3, W),
        2,
        3,
        ("邻里因漏水赔偿发生纠纷", "宅基地边界纠纷", "业主与物业费用纠纷"),
        "组织人民调解员和网格员上门调解",
        "双方达成调解协议并履行完毕",
    ),
    CategorySpec(
        "0402",
        "家庭邻里纠纷",
        None,
        (1, 5, 3, W),
        2,
        3,
        ("邻居堆放杂物占用公共楼道", "赡养老人家庭纠纷"),
        "两委干部上门谈心谈话，做好疏导",
        "经调解双方和解，杂物已清理",
    ),
    CategorySpec(
        "0403",
        "政策咨询",
        None,
        (1, 3, 2, W),
        2,
        2,
        ("咨询老年人优待证办理", "咨询新生儿落户和医保参保"),
        "现场解答，告知办理流程和材料",
        "已一次性告知并帮办代办",
    ),
    CategorySpec(
        "0499",
        "其他诉求",
        None,
        (1, 15, 5, W),
        1,
        1,
        ("建议在小区增设健身器材", "建议增设快递驿站"),
        "纳入社区为民办实事项目研究",
        "已协调共建单位落实",
    ),
)

# Departments get longer at their level for the slow building work.
LEVEL_LIMITS = {
    ("0101", Level.DEPARTMENT): (1, 15, 5, W),
    ("0107", Level.DEPARTMENT): (2, 30, 5, W),
    ("0201", Level.DEPARTMENT): (1, 15, 5, W),
    ("0205", Level.DEPARTMENT): (2, 30, 5, W),
    ("0203", Level.TOWNSHIP): (1, 2, 2, W),
}

PLACES = ("小区南门外", "小区东门", "幸福路与汶河大道交口", "菜市场北侧", "学校门口", "村委会门前")
PLACES_RURAL = ("村东头", "村委会门前", "村南大街", "小学门口", "村西桥头")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐亓吕韩魏"
GIVEN = "秀英丽华明建国军芳伟敏静强磊洋艳勇杰娟涛超霞平刚桂兰凤玲"
MOBILE = ("135", "137", "138", "139", "150", "152", "158", "159", "186", "187", "188")

REPLIES = (
    "已现场答复居民，讲明办理流程和时限",
    "书记接待日现场答复，明确由社区跟进",
    "已电话答复居民处理进度",
)
EXPLANATIONS = (
    "该事项已进入司法诉讼程序，已告知居民通过法律途径解决",
    "经核实不符合政策条件，已向居民解释说明",
    "涉及规划调整，暂不具备实施条件，已向居民说明并纳入长期计划",
    "诉求超出政策标准，已做好解释工作，居民表示理解",
)
EXTENSION_REASONS = (
    "需走招标采购程序，时限内无法完成",
    "涉及多个产权单位，需协调后统一施工",
    "维修材料需定制，供货周期较长",
    "连续降雨，室外施工暂停",
)
HAND_OVER_NOTES = (
    "超出社区办理能力，需{dept}协调解决",
    "社区党组织研究后，转{dept}限时办理",
    "属{dept}职责范围，转办",
)
RETURN_NOTES = ("经核实属物业服务合同纠纷，不属本部门职责", "属村（居）民自治事项，退回属地办理")
VERIFY_NOTES = ("网格员现场核实已整改到位", "社区现场查看，问题已解决", "入户核实，居民确认")
VERIFY_FAIL_NOTES = ("现场查看仍未整改到位，需继续办理", "居民反映问题反复，需彻底整改")
CALL_BACK_NOTES = {
    Satisfaction.SATISFIED: "电话回访，居民表示满意",
    Satisfaction.BASIC: "电话回访，居民表示基本满意",
    Satisfaction.UNSATISFIED: "电话回访，居民表示不满意，要求继续处理",
}

# 小马拉大车: (problem, what it looks like, measures, long-term mechanism, responsible, months).
RECTIFICATION = (
    (
        "村（社区）挂牌过多、牌子乱挂",
        "村（社区）办公场所悬挂各类机构牌子、制度牌过多，标识混乱。",
        "全面清理村（社区）挂牌，只保留党组织、村（居）委会等规定牌子。",
        "建立村（社区）挂牌事项准入审批制度，未经区委社会工作部审核一律不得挂牌。",
        "social",
        2,
    ),
    (
        "考核检查过多过频",
        "各部门对村（社区）的考核、检查、督查名目多、频次高，基层疲于应付。",
        "对面向村（社区）的考核检查事项全面梳理，整合为年度综合考核。",
        "实行督查检查考核年度计划备案管理，计划外事项一律不得开展。",
        "social",
        3,
    ),
    (
        "台账材料繁多、重复填报",
        "同一数据多个部门重复要求社区填报，纸质台账和电子报表并存。",
        "精简村（社区）台账，取消重复报表，推行“一表通”。",
        "建立基层报表统一管理和数据共享机制，新增报表须经审核。",
        "social",
        4,
    ),
    (
        "违规借调社区工作者",
        "部分单位长期借调社区工作者到机关工作，社区人手紧张。",
        "开展违规借调社区工作者问题排查，借调人员全部返岗。",
        "建立借调审批报备和季度排查制度，违规借调纳入考核扣分。",
        "organisation",
        2,
    ),
    (
        "政务APP和工作群过多",
        "社区工作者手机安装政务APP、加入工作群过多，“指尖上的形式主义”突出。",
        "清理整合面向基层的政务APP和工作群，停用功能重复的应用。",
        "实行政务应用程序准入和年度评估制度。",
        "social",
        3,
    ),
    (
        "社区开具证明事项过多",
        "要求社区出具居住、亲属关系等不该由社区开具的证明。",
        "清理社区证明事项，公布保留的证明事项清单。",
        "实行社区出具证明事项清单动态管理，清单外证明一律不开。",
        "social",
        2,
    ),
    (
        "职能部门随意向社区转嫁任务",
        "部门将本应自身承担的工作以“属地管理”名义下派社区。",
        "制定社区工作事项清单，明确依法履职、协助和负面事项。",
        "建立社区工作事项准入制度，清单外事项须经审批并“费随事转”。",
        "social",
        5,
    ),
    (
        "评比达标表彰名目繁多",
        "面向村（社区）的评比、达标、示范创建活动过多。",
        "清理规范面向基层的评比达标表彰和创建示范活动。",
        "实行评比表彰项目年度审批制度。",
        "organisation",
        3,
    ),
    (
        "社区工作者待遇偏低、队伍不稳",
        "社区工作者薪酬偏低，人员流失较多。",
        "落实社区工作者岗位等级序列薪酬体系。",
        "建立社区工作者薪酬动态增长机制，每两年调整一次。",
        "organisation",
        6,
    ),
    (
        "乡镇（街道）权责不对等",
        "“属地管理”泛化，乡镇（街道）有责无权、有责无力。",
        "制定乡镇（街道）履行职责事项清单，厘清基本、配合和上级收回事项。",
        "建立属地管理事项责任清单动态调整机制。",
        "social",
        6,
    ),
    (
        "乡镇（街道）工作力量不足",
        "乡镇（街道）人员编制偏少，年轻化、专业化力量不足。",
        "为乡镇（街道）核增10个行政编制和90个事业编制，配强工作力量。",
        "建立编制资源向基层倾斜的动态调整机制。",
        "organisation",
        8,
    ),
    (
        "会议多、文件多",
        "要求村（社区）干部参加的会议多，转发文件多。",
        "精简会议文件，能合并的合并，能视频的视频。",
        "实行会议文件年度计划管理和统筹审核。",
        "organisation",
        2,
    ),
    (
        "网格员承担过多非网格事务",
        "网格员被安排承担大量与网格无关的工作，入户走访时间不足。",
        "制定网格事项清单目录，清理非网格事务。",
        "建立网格事项准入制度，清单外事项不得交由网格员承担。",
        "social",
        3,
    ),
    (
        "“一票否决”和责任状过多",
        "对村（社区）设置的“一票否决”事项和签订的责任状过多。",
        "清理规范“一票否决”和签订责任状事项。",
        "建立“一票否决”事项清单管理制度，清单外一律取消。",
        "organisation",
        3,
    ),
    (
        "党群服务中心被挪作他用",
        "部分党群服务中心办公化、被挪作他用，服务功能弱化。",
        "开展党群服务中心规范使用专项检查，腾退办公用房。",
        "制定党群服务阵地使用管理办法，纳入年度考核。",
        "organisation",
        4,
    ),
    (
        "社区经费保障不足",
        "社区工作经费和服务群众专项经费不到位、拨付不及时。",
        "落实社区工作经费和服务群众专项经费，按季度拨付。",
        "建立经费保障与使用监管机制，纳入区级财政预算。",
        "social",
        5,
    ),
    (
        "村（社区）承担招商引资、协税护税等任务",
        "向村（社区）下达招商引资、协税护税等超出职责的任务指标。",
        "全面取消向村（社区）下达的招商引资、协税护税指标。",
        "将违规下达任务纳入基层减负监测点定期报告。",
        "social",
        2,
    ),
    (
        "过度留痕、要求拍照上传",
        "督查检查重留痕轻实效，要求基层大量拍照、填表、上传。",
        "规范督查检查方式，减少痕迹管理要求。",
        "推行“无感督查”，以实绩论英雄。",
        "social",
        3,
    ),
    (
        "社区工作者能力不足、培训缺乏",
        "新任社区工作者业务不熟，矛盾调解、群众工作能力不足。",
        "建立“区级—乡镇（街道）—村（社区）”三级培训体系，开展专题培训。",
        "实行社区工作者年度轮训制度和“每月一评分、每季一考核、半年一晾晒”。",
        "organisation",
        6,
    ),
    (
        "物业服务企业职责不清、工单过多",
        "物业服务企业与社区职责划分不清，物业工单大量转给社区。",
        "联合区委社会工作部、区住建局明确物业服务与社区治理职责边界。",
        "建立街道社区对物业服务企业综合评价和排名机制。",
        "housing",
        4,
    ),
)


# --- time ------------------------------------------------------------------------------------


def due_date(due_at: datetime.datetime) -> datetime.date:
    return localdate(due_at - datetime.timedelta(microseconds=1))


def next_tick(moment: datetime.datetime) -> datetime.datetime:
    """The first beat of the reminder sweep (every 15 minutes) at or after `moment`."""
    base = moment.replace(second=0, microsecond=0)
    extra = base.minute % 15
    if extra or base != moment:
        base += datetime.timedelta(minutes=15 - extra if extra else 15)
    return base


def encode(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


class Clock:
    """The working-day calendar, with the answers that only depend on dates remembered."""

    def __init__(self, now: datetime.datetime, rng: random.Random):
        self.now = now
        self.rng = rng
        self.calendar = workdays.WorkCalendar()
        self.escalate_after = settings.SHANZHI_ESCALATE_AFTER_WORKDAYS
        self._deadlines: dict = {}
        self._added: dict = {}
        self._between: dict = {}

    def deadline(self, start, amount: int, unit: str) -> datetime.datetime:
        if unit == TimeUnit.HOUR:
            return workdays.deadline(start, amount, unit, calendar=self.calendar)
        key = (localdate(start), amount)
        if key not in self._deadlines:
            self._deadlines[key] = workdays.deadline(start, amount, unit, calendar=self.calendar)
        return self._deadlines[key]

    def warn(self, start, due) -> datetime.datetime:
        return workdays.warn_moment(start, due, calendar=self.calendar)

    def add_workdays(self, day: datetime.date, n: int) -> datetime.date:
        key = (day, n)
        if key not in self._added:
            self._added[key] = workdays.add_workdays(day, n, calendar=self.calendar)
        return self._added[key]

    def workdays_between(self, a: datetime.date, b: datetime.date) -> int:
        key = (a, b)
        if key not in self._between:
            self._between[key] = workdays.workdays_between(a, b, calendar=self.calendar)
        return self._between[key]

    def is_workday(self, day: datetime.date) -> bool:
        return self.calendar.is_workday(day)

    def at(self, day: datetime.date, first=8.5, last=17.5) -> datetime.datetime:
        minutes = self.rng.randint(int(first * 60), int(last * 60))
        return day_start(day) + datetime.timedelta(minutes=minutes)

    def later(self, moment, workdays_after: int) -> datetime.datetime:
        """A moment in office hours `workdays_after` working days after `moment` (0: the same
        day, a little later)."""
        if workdays_after <= 0:
            return moment + datetime.timedelta(minutes=self.rng.randint(15, 150))
        day = self.add_workdays(localdate(moment), workdays_after)
        return max(self.at(day), moment + MINUTE)

    def workday_before(self, n: int) -> datetime.date:
        """The n-th working day before today (n >= 1)."""
        day = localdate(self.now)
        while n:
            day -= ONE_DAY
            n -= self.is_workday(day)
        return day


# --- one item's history, mirroring governance.ledger.services ---------------------------------


@dataclass
class Meetings:
    """The weekly review meetings written so far: (community id, day) → ReviewMeeting."""

    created: dict = field(default_factory=dict)


class World:
    """What stories need to know: units, accounts acting at each unit, time limits."""

    def __init__(self, clock: Clock, units: dict[int, Unit]):
        self.clock = clock
        self.units = units
        self.accounts: dict[int, int] = {}  # unit id → the account acting for it
        self.grid_accounts: dict[int, int] = {}
        self.overrides: dict = {}
        # A superuser acts only where nobody else holds a role.
        for user_id, unit_id, role in (
            Membership.objects.current(localdate(clock.now))
            .filter(unit_id__in=list(units), user__is_active=True)
            .order_by("user__is_superuser", "user__username")
            .values_list("user_id", "unit_id", "role")
        ):
            if role == Role.GRID_WORKER:
                self.grid_accounts.setdefault(unit_id, user_id)
            elif "handle_items" in access.CAPABILITIES.get(role, ()):
                self.accounts.setdefault(unit_id, user_id)
        for limit in CategoryTimeLimit.objects.filter(category__district_id__in=list(units)):
            self.overrides[(limit.category_id, limit.level)] = limit

    def account(self, unit_id: int | None) -> int | None:
        return self.accounts.get(unit_id) if unit_id else None

    def account_above(self, unit_id: int) -> int | None:
        return self.account(self.units[unit_id].parent_id)

    # The three answers the lifecycle steps ask of their `rules` (services.Rules for real).

    def deadline(self, start, amount: int, unit: str) -> datetime.datetime:
        return self.clock.deadline(start, amount, unit)

    def warn(self, start, due) -> datetime.datetime:
        return self.clock.warn(start, due)

    def time_limits(self, category, responsible: Unit, ledger: Ledger) -> TimeLimits:
        if category is not None:
            source = self.overrides.get((category.pk, Level.of(responsible))) or category
            return TimeLimits(
                source.accept_limit, source.handle_limit, source.verify_limit, source.limit_unit
            )
        return TimeLimits(
            DEFAULT_ACCEPT_LIMIT,
            ledger.default_handle_limit or DEFAULT_HANDLE_LIMIT,
            5,
            TimeUnit.WORKDAY,
        )


class Story:
    """An item and its events, played step by step with explicit times.

    Each step is the lifecycle step the service of the same name takes (ledger.lifecycle), at
    the story's moment instead of now; it is not taken (and no later one is) when its time is
    after now. `finish()` plays the sweeps up to now.
    """

    def __init__(
        self,
        world: World,
        *,
        ledger: Ledger,
        number: str,
        title: str,
        unit: Unit,
        responsible: Unit,
        category: MatterCategory | None,
        source: str,
        received_at: datetime.datetime,
        actor: int | None,
        description: str = "",
        resident_name: str = "",
        resident_phone: str = "",
        due_at: datetime.datetime | None = None,
        measures: str = "",
        long_term_mechanism: str = "",
    ):
        self.world = world
        self.clock = world.clock
        self.ledger = ledger
        self.category = category
        #: (action, actor id, at, from status, to status, note, data): LedgerEvent rows.
        self.events: list[tuple] = []
        self.extensions: list[ExtensionRequest] = []
        #: (community id, meeting day, decision, the REVIEW event's data, recorded by)
        self.studied: list[tuple] = []
        self.stopped = False
        self.last_at = received_at
        # Related rows are set as objects, so that the lifecycle steps read them without a query.
        self.item = item = LedgerItem(
            ledger=ledger,
            number=number,
            title=title,
            description=description,
            source=source,
            unit=unit,
            category=category,
            responsible_unit=responsible,
            resident_name=resident_name,
            resident_phone=resident_phone,
            received_at=received_at,
            measures=measures,
            long_term_mechanism=long_term_mechanism,
            created_by_id=actor,
            status=Status.RECEIVED,
        )
        self.deadline_since = received_at
        limits = world.time_limits(category, responsible, ledger)
        change = lifecycle.register(item, limits=limits, rules=world, due_at=due_at)
        self._events(change, actor, received_at)

    # What every step shares.

    @property
    def responsible(self) -> Unit:
        return self.world.units[self.item.responsible_unit_id]

    def local_account(self) -> int | None:
        return self.world.account(self.item.responsible_unit_id)

    def origin_account(self) -> int | None:
        return self.world.account(self.ledger.unit_id)

    def _record(self, action, actor, at, from_status="", note="", **data) -> None:
        self.events.append((action, actor, at, from_status, self.item.status, note, data))

    def _events(self, change: lifecycle.Change, actor, at) -> None:
        for action, from_status, note, data in change.events:
            self._record(action, actor, at, from_status, note, **data)

    def _begin(self, step: str, at: datetime.datetime) -> datetime.datetime | None:
        """The time the step is taken (after the previous one), or None once past now."""
        if self.stopped:
            return None
        at = max(at, self.last_at + MINUTE)
        if at > self.clock.now:
            self.stopped = True
            return None
        if self.item.status not in STEPS[step].from_statuses:
            raise AssertionError(f"{step} from {self.item.status}: {self.item.title}")
        self._sweep(at)
        return at

    def _apply(self, change: lifecycle.Change, actor, at) -> bool:
        """What services._apply does: a new version, the events, pending requests withdrawn."""
        self.item.version += 1
        if change.withdraw_extensions:
            for extension in self.extensions:
                if extension.status == ExtensionStatus.PENDING:
                    extension.status = ExtensionStatus.WITHDRAWN
                    extension.decided_at = at
        self._events(change, actor, at)
        if "due_at" in change.fields:
            self.deadline_since = at
        self.last_at = at
        return True

    def _sweep(self, until: datetime.datetime) -> None:
        """What the reminder sweeps would have done before `until`."""
        item = self.item
        if item.status not in OPEN_STATUSES or item.due_at is None:
            return
        if item.yellow_reminded_at is None and item.warn_at is not None:
            tick = next_tick(max(item.warn_at, self.deadline_since))
            if tick < until and tick < item.due_at:
                item.yellow_reminded_at = tick
        if item.supervised_at is None:
            after = self.clock.escalate_after
            day = self.clock.add_workdays(due_date(item.due_at), after)
            tick = max(day_start(day) + QUARTER, next_tick(self.deadline_since), item.due_at)
            if tick < until:
                overdue = self.clock.workdays_between(due_date(item.due_at), localdate(tick))
                # As services.item_supervise: no new version.
                self._events(lifecycle.supervise(item, tick, overdue_workdays=overdue), None, tick)
                self.last_at = max(self.last_at, tick)

    # The steps: each the lifecycle step of the same name.

    def accept(self, at, actor) -> bool:
        at = self._begin("accept", at)
        return at is not None and self._apply(lifecycle.accept(self.item, at, actor), actor, at)

    def start(self, at, actor) -> bool:
        at = self._begin("start", at)
        return at is not None and self._apply(lifecycle.start(self.item, at), actor, at)

    def plan(self, at, actor, measures, due_on=None, reviewed=False) -> bool:
        at = self._begin("plan", at)
        if at is None:
            return False
        change = lifecycle.plan(
            self.item, at, measures=measures, rules=self.world, due_on=due_on, reviewed=reviewed
        )
        self._apply(change, actor, at)
        if reviewed:
            self._meeting_recorded(at + RECORDED_AFTER, actor, measures)
        return True

    def _meeting_recorded(self, at, actor, decision) -> None:
        """reviews.review_meeting_record at the end of the weekly meeting: a decision and a
        "studied at a review meeting" event (the meeting's id is filled in on writing)."""
        if at > self.clock.now:
            return
        self._sweep(at)
        day = localdate(at)
        self._record(
            EventAction.REVIEW,
            actor,
            at,
            from_status=self.item.status,
            note=decision,
            meeting=None,  # set on writing, once the meeting has its id
            kind=ReviewKind.WEEKLY.value,
            held_on=day.isoformat(),
        )
        data = self.events[-1][-1]
        self.studied.append((self.item.responsible_unit_id, day, decision, data, actor))
        self.last_at = at

    def reply(self, at, actor, reply) -> bool:
        at = self._begin("reply", at)
        return at is not None and self._apply(lifecycle.reply(self.item, at, reply), actor, at)

    def hand_over(self, at, actor, department: Unit, note) -> bool:
        at = self._begin("hand_over", at)
        if at is None:
            return False
        change = lifecycle.hand_over(
            self.item, at, department=department, note=note, rules=self.world
        )
        return self._apply(change, actor, at)

    def return_(self, at, actor, note) -> bool:
        at = self._begin("return", at)
        if at is None:
            return False
        change = lifecycle.back_from_department(self.item, EventAction.RETURN, note, "")
        return self._apply(change, actor, at)

    def resolve(self, at, actor, result) -> bool:
        at = self._begin("resolve", at)
        return at is not None and self._apply(lifecycle.resolve(self.item, at, result), actor, at)

    def verify(self, at, actor, passed: bool, note="") -> bool:
        at = self._begin("verify" if passed else "verify_fail", at)
        if at is None:
            return False
        return self._apply(lifecycle.verify(self.item, at, passed=passed, note=note), actor, at)

    def satisfaction(self, at, actor, satisfaction, note="") -> bool:
        at = self._begin("satisfaction", at)
        if at is None:
            return False
        change = lifecycle.record_satisfaction(
            self.item, at, satisfaction=satisfaction, note=note, rules=self.world
        )
        return self._apply(change, actor, at)

    def explain(self, at, actor, explanation) -> bool:
        at = self._begin("explain", at)
        if at is None:
            return False
        return self._apply(lifecycle.close_explained(self.item, at, explanation), actor, at)

    def extension_request(self, at, actor, reason, due_on) -> ExtensionRequest | None:
        at = None if actor is None else self._begin("extension_request", at)
        if at is None:
            return None
        extension, change = lifecycle.extension_request(
            self.item, at, requested_by_id=actor, reason=reason, due_on=due_on
        )
        self.extensions.append(extension)
        self._apply(change, actor, at)
        return extension

    def extension_decide(self, extension, at, actor, approve: bool, note="") -> bool:
        at = None if actor is None else self._begin("extension_decide", at)
        if at is None:
            return False
        change = lifecycle.extension_decide(
            self.item,
            extension,
            at,
            decided_by_id=actor,
            approve=approve,
            note=note,
            rules=self.world,
        )
        return self._apply(change, actor, at)

    def finish(self) -> "Story":
        self._sweep(self.clock.now)
        return self


# --- believable histories --------------------------------------------------------------------


class Plot:
    """Plays an item through one of the usual courses, drawing delays and outcomes from rng."""

    def __init__(self, world: World, rng: random.Random, review: Callable | None):
        self.world = world
        self.clock = world.clock
        self.rng = rng
        #: review(story, moment) → the next weekly review after `moment`, for community items.
        self.review = review

    def play(self, s: Story, spec: CategorySpec | None) -> Story:
        rng, clock = self.rng, self.clock
        t = s.item.received_at
        local = s.local_account()
        if s.item.source == Source.RECEPTION_DAY and rng.random() < 0.3:
            # Answered on the spot at the reception day; most are settled within days.
            t += datetime.timedelta(minutes=rng.randint(10, 60))
            if not s.reply(t, local, rng.choice(REPLIES)):
                return s.finish()
            if rng.random() < 0.7:
                t = clock.later(t, rng.choice((0, 0, 1, 2)))
                if s.resolve(t, local, spec.result if spec else "已现场解决"):
                    self.close_out(s, t, spec)
                return s.finish()
        else:
            delay = 0 if rng.random() < 0.7 else (1 if rng.random() < 0.8 else rng.randint(2, 4))
            t = clock.later(t, delay)
            if not s.accept(t, local):
                return s.finish()
        # Matters due within the week are handled at once; the rest wait for the weekly review,
        # which sets measures (and a deadline where the category gave none).
        due = s.item.due_at
        urgent = due is not None and (clock.workdays_between(localdate(t), due_date(due)) <= 5)
        if self.review is not None and not urgent and s.item.reviewed_at is None:
            t = self.review(s, t)
            due_on = None
            if s.item.due_at is None:
                due_on = clock.add_workdays(localdate(t), rng.choice((5, 10, 10, 15)))
            measures = spec.measures if spec else "社区党组织研究，明确责任人跟进办理"
            if not s.plan(t, local, measures, due_on=due_on, reviewed=True):
                return s.finish()
        department = self.department(s)
        roll = rng.random()
        if department is not None and roll < 0.3:
            self.handed_over(s, t, department, spec)
        elif roll > 0.96:
            s.explain(clock.later(t, rng.randint(1, 5)), local, rng.choice(EXPLANATIONS))
        else:
            self.handle(s, t, local, spec)
        return s.finish()

    def department(self, s: Story) -> Unit | None:
        if s.category is None or s.category.department_id is None:
            return None
        return self.world.units.get(s.category.department_id)

    def handle(self, s: Story, t, actor, spec, late_share=0.1) -> None:
        rng, clock = self.rng, self.clock
        if s.item.status == Status.RECEIVED or (
            s.item.status == Status.ACCEPTED and rng.random() < 0.4
        ):
            t = clock.later(t, rng.choice((0, 1, 1, 2)))
            if not s.start(t, actor):
                return
        if rng.random() < 0.08:
            t = self.extend(s, t, actor)
            if t is None:
                return
        t = self.resolve_time(s, t, late_share)
        if s.resolve(t, actor, spec.result if spec else "已办理完毕"):
            self.close_out(s, t, spec)

    def handed_over(self, s: Story, t, department: Unit, spec) -> None:
        rng, clock = self.rng, self.clock
        t = clock.later(t, rng.choice((0, 0, 1, 2)))
        note = rng.choice(HAND_OVER_NOTES).format(dept=department.name)
        if not s.hand_over(t, s.local_account(), department, note):
            return
        handler = self.world.account(department.pk)
        t = clock.later(t, 0 if rng.random() < 0.7 else rng.choice((1, 1, 2, 3)))
        if not s.accept(t, handler):
            return
        if rng.random() < 0.05:
            t = clock.later(t, rng.randint(1, 3))
            if s.return_(t, handler, rng.choice(RETURN_NOTES)):
                t = self.resolve_time(s, t, 0.2)
                if s.resolve(t, s.local_account(), spec.result if spec else "已办理完毕"):
                    self.close_out(s, t, spec)
            return
        self.handle(s, t, handler, spec, late_share=0.15)

    def extend(self, s: Story, t, actor):
        """Ask for more time before the deadline; the level above decides. Returns the time
        after the decision, or None when the story stopped."""
        rng, clock, item = self.rng, self.clock, s.item
        above = self.world.account_above(item.responsible_unit_id)
        if actor is None or above is None or item.due_at is None or item.due_at <= t:
            return t
        left = clock.workdays_between(localdate(t), due_date(item.due_at))
        t = clock.later(t, max(0, left - rng.randint(1, 3)))
        if t >= item.due_at:
            return t
        due_on = clock.add_workdays(due_date(item.due_at), rng.randint(5, 15))
        extension = s.extension_request(t, actor, rng.choice(EXTENSION_REASONS), due_on)
        if extension is None:
            return None
        t = clock.later(t, rng.choice((0, 1, 1, 2)))
        approve = rng.random() < 0.8
        note = "同意延期，请抓紧办理" if approve else "理由不充分，请按原时限办结"
        if not s.extension_decide(extension, t, above, approve, note):
            return None
        return t

    def resolve_time(self, s: Story, t, late_share: float):
        rng, clock, item = self.rng, self.clock, s.item
        if item.due_at is None:
            return clock.later(t, rng.randint(1, 10))
        if item.due_at <= t:
            return clock.later(t, rng.randint(0, 3))
        left = max(0, clock.workdays_between(localdate(t), due_date(item.due_at)))
        roll = rng.random()
        if roll < 0.01:  # stuck for months
            return clock.later(t, left + rng.randint(60, 200))
        if roll < late_share:
            return clock.later(t, left + rng.randint(1, 15))
        if item.due_at - t < datetime.timedelta(days=1):  # counted in hours
            return t + (item.due_at - t) * rng.uniform(0.3, 0.9)
        return clock.later(t, rng.randint(0, max(0, left - 1)))

    def close_out(self, s: Story, t, spec) -> None:
        """Verification where it arose and the resident's call-back."""
        rng, clock = self.rng, self.clock
        origin = s.origin_account()
        t = clock.later(t, rng.choice((0, 1, 1, 2, 3)))
        if rng.random() < 0.03:
            if not s.verify(t, origin, False, rng.choice(VERIFY_FAIL_NOTES)):
                return
            t = clock.later(t, rng.randint(1, 4))
            if not s.resolve(t, s.local_account(), spec.result if spec else "已整改到位"):
                return
            t = clock.later(t, rng.randint(0, 2))
        if not s.verify(t, origin, True, rng.choice(VERIFY_NOTES)):
            return
        t = clock.later(t, rng.choice((0, 1, 1, 2)))
        roll = rng.random()
        satisfaction = (
            Satisfaction.SATISFIED
            if roll < 0.8
            else Satisfaction.BASIC
            if roll < 0.95
            else Satisfaction.UNSATISFIED
        )
        if not s.satisfaction(t, origin, satisfaction, CALL_BACK_NOTES[satisfaction]):
            return
        if satisfaction == Satisfaction.UNSATISFIED:
            t = clock.later(t, rng.randint(2, 8))
            if not s.resolve(
                t, s.local_account(), "重新整改：" + (spec.result if spec else "已处理")
            ):
                return
            t = clock.later(t, rng.randint(0, 2))
            if s.verify(t, origin, True, rng.choice(VERIFY_NOTES)):
                t = clock.later(t, rng.randint(0, 2))
                basic = Satisfaction.BASIC
                s.satisfaction(t, origin, basic, CALL_BACK_NOTES[basic])


# --- catalogue, ledgers, schedules -------------------------------------------------------------


def seed_catalogue(districts: dict[str, Unit], created: Counter) -> dict[int, dict]:
    """The matters catalogue of each district: {district id: {code: MatterCategory}}."""
    departments = {
        (u.parent_id, u.name): u
        for u in Unit.objects.filter(parent__in=districts.values(), kind=Unit.Kind.DEPARTMENT)
    }
    existing = defaultdict(dict)
    for category in MatterCategory.objects.filter(district__in=districts.values()):
        existing[category.district_id][category.code] = category
    missing = []
    for code, district in districts.items():
        for spec in CATALOGUE:
            if spec.code in existing[district.pk]:
                continue
            name = DEPARTMENTS[code].get(spec.department)
            department = departments.get((district.pk, name))
            accept, handle, verify, unit = spec.limits
            missing.append(
                MatterCategory(
                    district=district,
                    code=spec.code,
                    name=spec.name,
                    department=department,
                    accept_limit=accept,
                    handle_limit=handle,
                    verify_limit=verify,
                    limit_unit=unit,
                )
            )
    for category in MatterCategory.objects.bulk_create(missing):
        existing[category.district_id][category.code] = category
    created["categories"] += len(missing)

    have = set(
        CategoryTimeLimit.objects.filter(category__district__in=districts.values()).values_list(
            "category_id", "level"
        )
    )
    limits = []
    for district in districts.values():
        for (code, level), (accept, handle, verify, unit) in LEVEL_LIMITS.items():
            category = existing[district.pk][code]
            if (category.pk, level) not in have:
                limits.append(
                    CategoryTimeLimit(
                        category=category,
                        level=level,
                        accept_limit=accept,
                        handle_limit=handle,
                        verify_limit=verify,
                        limit_unit=unit,
                    )
                )
    CategoryTimeLimit.objects.bulk_create(limits)
    created["time limits"] += len(limits)
    return existing


def ledger_rows(district: Unit, units: list[Unit]) -> list[Ledger]:
    """The ledgers every village/community and township of a district keeps."""
    prefix = PREFIXES[district.code]
    rows = []
    for unit in units:
        if unit.kind in Unit.KINDS_BY_LEVEL[3]:
            rows.append(
                Ledger(
                    unit=unit,
                    name=f"{unit.name}书记接待日诉求台账",
                    kind=LedgerKind.RECEPTION_DAY,
                    prefix=prefix,
                    description="社区书记接待日每周固定一天坐班收集的居民诉求，每周研究、限时办结。",
                )
            )
            rows.append(
                Ledger(
                    unit=unit,
                    name=f"{unit.name}网格问题台账",
                    kind=LedgerKind.GRID_PROBLEM,
                    prefix=prefix,
                    description="网格员入户走访和巡查发现的问题。",
                )
            )
        elif unit.kind in Unit.KINDS_BY_LEVEL[2]:
            rows.append(
                Ledger(
                    unit=unit,
                    name=f"{unit.name}12345热线转办台账",
                    kind=LedgerKind.HOTLINE,
                    prefix=prefix,
                    default_handle_limit=10,
                    description="12345政务服务便民热线转办的工单。",
                )
            )
    if district.code == LAIWU_CODE:
        rows.append(
            Ledger(
                unit=district,
                name="“小马拉大车”突出问题专项整治清单",
                kind=LedgerKind.RECTIFICATION,
                prefix=prefix,
                description="梳理问题清单20条并建立台账，明确完成时限，形成长效机制。",
            )
        )
    return rows


def seed_ledger_rows(wanted: list[Ledger], created: Counter) -> dict[tuple[int, str], Ledger]:
    """Create the ledgers that are missing; {(unit id, kind): ledger} of all of them."""
    units = {ledger.unit_id for ledger in wanted}
    existing = {
        (ledger.unit_id, ledger.name): ledger
        for ledger in Ledger.objects.filter(unit_id__in=units).order_by("pk")
    }
    missing = [ledger for ledger in wanted if (ledger.unit_id, ledger.name) not in existing]
    for start in range(0, len(missing), 2000):
        Ledger.objects.bulk_create(missing[start : start + 2000])
    created["ledgers"] += len(missing)
    for ledger in missing:
        existing[(ledger.unit_id, ledger.name)] = ledger
    return {
        (ledger.unit_id, ledger.kind): existing[(ledger.unit_id, ledger.name)] for ledger in wanted
    }


# --- writing -----------------------------------------------------------------------------------


class Numbers:
    """Item numbers from the NumberSequence rows the services use."""

    def __init__(self):
        self.last: dict[tuple[str, int], int] = {}

    def next(self, prefix: str, received_at) -> str:
        year = localdate(received_at).year
        key = (prefix, year)
        if key not in self.last:
            row = NumberSequence.objects.filter(prefix=prefix, year=year).first()
            self.last[key] = row.last if row else 0
        self.last[key] += 1
        return f"{prefix}-{year}-{self.last[key]:06d}"

    def save(self) -> None:
        for (prefix, year), last in self.last.items():
            sequence, _ = NumberSequence.objects.get_or_create(prefix=prefix, year=year)
            if sequence.last < last:
                NumberSequence.objects.filter(pk=sequence.pk).update(last=last)


EVENT_FIELDS = ("item_id", "action", "actor_id", "at", "from_status", "to_status", "note", "data")


def insert_items(items: list[LedgerItem]) -> None:
    """Insert with ids given out here (PostgreSQL: from the table's sequence; SQLite, whose
    writers are serialised: after the largest), so rows go in by insert_rows; elsewhere
    bulk_create."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [LedgerItem._meta.db_table, len(items)],
            )
            ids = [row[0] for row in cursor.fetchall()]
    elif connection.vendor == "sqlite":
        first = (LedgerItem.objects.aggregate(last=Max("id"))["last"] or 0) + 1
        ids = range(first, first + len(items))
    else:
        LedgerItem.objects.bulk_create(items, batch_size=1000)
        return
    stamp = timezone.now()
    fields = [f.attname for f in LedgerItem._meta.concrete_fields]
    for item, pk in zip(items, ids, strict=True):
        item.pk = pk
        item.created_at = item.updated_at = stamp
        item._state.adding = False
    insert_rows(LedgerItem, tuple(fields), [tuple(getattr(i, f) for f in fields) for i in items])


def write(stories: list[Story], meetings: Meetings, created: Counter) -> None:
    insert_items([s.item for s in stories])
    new_meetings = {}
    for s in stories:
        for community, day, _decision, _data, actor in s.studied:
            key = (community, day)
            if key not in meetings.created and key not in new_meetings:
                new_meetings[key] = ReviewMeeting(
                    kind=ReviewKind.WEEKLY,
                    unit_id=community,
                    held_on=day,
                    attendees="社区党组织书记、两委成员、网格员代表",
                    notes="研究本周书记接待日和网格走访收集的群众诉求，明确措施和完成期限。",
                    recorded_by_id=actor,
                )
    ReviewMeeting.objects.bulk_create(list(new_meetings.values()), batch_size=1000)
    meetings.created.update(new_meetings)
    decisions = []
    for s in stories:
        for community, day, decision, data, _actor in s.studied:
            meeting = meetings.created[(community, day)].pk
            data["meeting"] = meeting
            decisions.append((meeting, s.item.pk, decision))
    insert_rows(LedgerEvent, EVENT_FIELDS, [(s.item.pk, *e) for s in stories for e in s.events])
    insert_rows(ReviewDecision, ("meeting_id", "item_id", "decision"), decisions)
    extensions = [x for s in stories for x in s.extensions]
    for extension in extensions:
        extension.item_id = extension.item.pk
    ExtensionRequest.objects.bulk_create(extensions, batch_size=1000)
    created["items"] += len(stories)
    created["events"] += sum(len(s.events) for s in stories)
    created["meetings"] += len(new_meetings)


# --- what is planned where ---------------------------------------------------------------------


@dataclass
class Seedling:
    """An item to be: where and when it arises and what it is about."""

    received_at: datetime.datetime
    ledger: Ledger
    unit: Unit
    responsible: Unit
    spec: CategorySpec | None
    category: MatterCategory | None
    source: str
    title: str
    description: str
    resident: tuple[str, str]


class Planner:
    def __init__(self, world: World, rng: random.Random, catalogue: dict):
        self.world = world
        self.clock = world.clock
        self.rng = rng
        self.catalogue = catalogue
        self.children = defaultdict(list)
        for unit in world.units.values():
            self.children[unit.parent_id].append(unit)
        for kids in self.children.values():
            kids.sort(key=lambda u: u.path)
        self.reception_days: dict[int, int] = {}
        self.review_days: dict[int, int] = {}

    def resident(self) -> tuple[str, str]:
        rng = self.rng
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        return name, rng.choice(MOBILE) + f"{rng.randrange(10**8):08d}"

    def spec_for(self, unit: Unit) -> CategorySpec:
        urban = unit.kind == Unit.Kind.COMMUNITY
        weights = [spec.urban if urban else spec.rural for spec in CATALOGUE]
        return self.rng.choices(CATALOGUE, weights)[0]

    def title(self, spec: CategorySpec, unit: Unit) -> str:
        rng = self.rng
        places = PLACES if unit.kind == Unit.Kind.COMMUNITY else PLACES_RURAL
        return rng.choice(spec.titles).format(
            b=rng.randint(1, 28), u=rng.randint(1, 4), place=rng.choice(places)
        )

    def moment(self, kind: str, community: Unit, start: datetime.date, days: int):
        """When an item of this ledger kind arises, uniformly over `days` days from `start`."""
        rng, clock = self.rng, self.clock
        day = start + datetime.timedelta(days=rng.randrange(days))
        if kind == LedgerKind.RECEPTION_DAY:
            weekday = self.reception_days[community.pk]
            day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
            return clock.at(day, 8.5, 11.5)
        if kind == LedgerKind.HOTLINE:
            return clock.at(day, 7, 22)
        if not clock.is_workday(day) and rng.random() < 0.7:
            day = clock.add_workdays(day, 1)
        return clock.at(day, 8, 18)

    def seedling(self, ledger: Ledger, community: Unit, received_at, *, category_share=0.85):
        rng = self.rng
        spec = self.spec_for(community)
        grids = self.children.get(community.pk, [])
        if ledger.kind == LedgerKind.GRID_PROBLEM and grids:
            unit, source = rng.choice(grids), Source.GRID_VISIT
        elif ledger.kind == LedgerKind.HOTLINE:
            unit, source = community, Source.HOTLINE
        else:
            unit, source = community, Source.RECEPTION_DAY
        responsible = ledger.unit
        district = district_of(community, self.world.units)
        category = self.catalogue[district.pk][spec.code] if rng.random() < category_share else None
        resident = (
            self.resident() if source != Source.GRID_VISIT or rng.random() < 0.5 else ("", "")
        )
        title = self.title(spec, community)
        # The resident's name stays in its own (masked) field, never in the free text.
        who = "居民" if resident[0] else "网格员"
        description = f"{who}反映：{community.name}{title}，请求尽快处理。"
        return Seedling(
            received_at,
            ledger,
            unit,
            responsible,
            spec,
            category,
            source,
            title,
            description,
            resident,
        )

    def review_moment(self, s: Story, moment):
        """The community's next weekly review after `moment`: its review day, 15:00."""
        community = s.item.responsible_unit_id
        weekday = self.review_days.get(community, 4)
        day = localdate(moment)
        day += datetime.timedelta(days=(weekday - day.weekday()) % 7 or 7)
        return day_start(day) + datetime.timedelta(hours=15)

    def grow(self, seedlings: list[Seedling], numbers: Numbers, meetings, created) -> None:
        """Number the items in the order they arose, play them and write them, in chunks."""
        seedlings.sort(key=lambda p: p.received_at)
        for start in range(0, len(seedlings), CHUNK):
            stories = []
            for p in seedlings[start : start + CHUNK]:
                stories.append(self.story(p, numbers.next(p.ledger.prefix, p.received_at)))
            write(stories, meetings, created)
        numbers.save()

    def story(self, p: Seedling, number: str) -> Story:
        world = self.world
        creator = (
            world.grid_accounts.get(p.unit.pk)
            if p.source == Source.GRID_VISIT
            else world.account(p.ledger.unit_id)
        )
        s = Story(
            world,
            ledger=p.ledger,
            number=number,
            title=p.title,
            unit=p.unit,
            responsible=p.responsible,
            category=p.category,
            source=p.source,
            received_at=p.received_at,
            actor=creator,
            description=p.description,
            resident_name=p.resident[0],
            resident_phone=p.resident[1],
        )
        review = self.review_moment if p.ledger.kind != LedgerKind.HOTLINE else None
        return Plot(world, self.rng, review).play(s, p.spec)


# --- the seeder --------------------------------------------------------------------------------


def seed_ledgers(*, stdout, scale, rng):
    created = Counter()
    # Each part draws from its own stream, so adding to one does not change the others.
    demo_rng = random.Random(rng.getrandbits(64))
    district_rng = random.Random(rng.getrandbits(64))
    now = timezone.now().replace(second=0, microsecond=0)

    districts = {u.code: u for u in Unit.objects.filter(code__in=PREFIXES, kind=Unit.Kind.DISTRICT)}
    if not districts:
        return
    catalogue = seed_catalogue(districts, created)
    in_districts = Q()
    for district in districts.values():
        in_districts |= Q(path__startswith=district.path)
    units = {u.pk: u for u in Unit.objects.filter(in_districts)}
    world = World(Clock(now, demo_rng), units)
    planner = Planner(world, demo_rng, catalogue)
    numbers, meetings = Numbers(), Meetings()
    # The demo histories cover the foundation's townships and villages, not those that
    # `--scale district` adds.
    foundation = foundation_codes()
    demo_units = {
        pk: u
        for pk, u in units.items()
        if u.code in foundation and u.kind in (*Unit.KINDS_BY_LEVEL[2], *Unit.KINDS_BY_LEVEL[3])
    }
    wanted = []
    for district in districts.values():
        wanted += ledger_rows(
            district, [u for u in demo_units.values() if u.path.startswith(district.path)]
        )
    ledgers = seed_ledger_rows(wanted, created)
    seed_schedules(
        planner, [u for u in demo_units.values() if u.kind in Unit.KINDS_BY_LEVEL[3]], created
    )

    if not LedgerItem.objects.filter(ledger__in=list(ledgers.values())).exists():
        seed_demo_history(planner, ledgers, numbers, meetings, created)
        seed_rectification(world, districts.get(LAIWU_CODE), ledgers, numbers, created)
        seed_demo_accounts_work(world, planner, ledgers, numbers, meetings, created)
        numbers.save()

    if scale == "district" and LAIWU_CODE in districts:
        district_world = World(Clock(now, district_rng), units)
        seed_district_scale(
            Planner(district_world, district_rng, catalogue),
            districts[LAIWU_CODE],
            Numbers(),
            meetings,
            created,
        )
    if created.total():
        stdout.write(
            "台账演示数据：新建事项分类 {categories} 个、台账 {ledgers} 本、事项 {items} 条、"
            "办理记录 {events} 条、每周研究会议 {meetings} 次。".format_map(created)
        )


def foundation_codes() -> set[str]:
    from governance.management.commands.seed_demo import foundation_plan

    return {unit.code for unit in foundation_plan().units}


def seed_schedules(planner: Planner, communities: list[Unit], created: Counter) -> None:
    """Each community's reception day and weekly review day (most review on Friday)."""
    rng = random.Random(f"schedules:{len(communities)}")
    have = dict(
        ReviewSchedule.objects.filter(unit__in=communities).values_list("unit_id", "weekday")
    )
    missing = []
    for community in sorted(communities, key=lambda u: u.path):
        # 花园社区 receives on Wednesdays; the others on a weekday of their own.
        planner.reception_days[community.pk] = (
            2 if community.name == "花园社区" else rng.randint(0, 3)
        )
        review = have.get(community.pk)
        if review is None:
            review = 4 if rng.random() < 0.8 or community.name == "花园社区" else 3
            missing.append(ReviewSchedule(unit=community, weekday=review))
        planner.review_days[community.pk] = review
    ReviewSchedule.objects.bulk_create(missing)
    created["schedules"] += len(missing)


def seed_demo_history(planner: Planner, ledgers, numbers, meetings, created) -> None:
    """A year of items in every demo ledger; 花园社区, where the demo secretary works, gets more."""
    rng, clock = planner.rng, planner.clock
    start = localdate(clock.now) - datetime.timedelta(days=HISTORY_DAYS)
    seedlings = []
    for (unit_id, kind), ledger in sorted(ledgers.items(), key=lambda kv: kv[1].name):
        unit = planner.world.units[unit_id]
        if kind == LedgerKind.RECTIFICATION:
            continue
        if kind == LedgerKind.HOTLINE:
            count = rng.randint(2, 4)
        elif unit.name == "花园社区":
            count = 36 if kind == LedgerKind.RECEPTION_DAY else 18
        else:
            urban = unit.kind == Unit.Kind.COMMUNITY
            count = rng.randint(2, 6) if urban else rng.randint(1, 4)
        for _ in range(count):
            if kind == LedgerKind.HOTLINE:
                villages = planner.children.get(unit.pk) or [unit]
                where = rng.choice(villages)
                received = planner.moment(kind, where, start, HISTORY_DAYS)
                p = planner.seedling(ledger, where, received, category_share=0.9)
                p.unit = where
            else:
                received = planner.moment(kind, unit, start, HISTORY_DAYS)
                share = 0.6 if kind == LedgerKind.RECEPTION_DAY else 0.9
                p = planner.seedling(ledger, unit, received, category_share=share)
            if p.received_at < clock.now - datetime.timedelta(hours=1):
                seedlings.append(p)
    planner.grow(seedlings, numbers, meetings, created)


def seed_rectification(world: World, laiwu: Unit | None, ledgers, numbers, created) -> None:
    """The 20 problems of the "小马拉大车" list, drawn up about eight months ago."""
    if laiwu is None:
        return
    ledger = ledgers[(laiwu.pk, LedgerKind.RECTIFICATION)]
    clock = world.clock
    rng = random.Random("rectification")
    departments = {
        u.name: u
        for u in world.units.values()
        if u.parent_id == laiwu.pk and u.kind == "department"
    }
    admin = world.account(laiwu.pk)
    decider = (
        get_user_model()
        .objects.filter(username="admin", is_active=True)
        .values_list("pk", flat=True)
        .first()
    ) or admin
    drawn_up = clock.at(clock.workday_before(120), 9, 10)
    stories = []
    for n, (title, problem, measures, mechanism, who, months) in enumerate(RECTIFICATION):
        responsible = departments.get(DEPARTMENTS[LAIWU_CODE][who], laiwu)
        due_on = localdate(drawn_up) + datetime.timedelta(days=30 * months + 15 * (n % 2))
        s = Story(
            world,
            ledger=ledger,
            number=numbers.next(ledger.prefix, drawn_up + n * MINUTE),
            title=title,
            unit=laiwu,
            responsible=responsible,
            category=None,
            source=Source.RECTIFICATION,
            received_at=drawn_up + n * MINUTE,
            actor=admin,
            description=problem,
            due_at=day_start(due_on + ONE_DAY),
            measures=measures,
            long_term_mechanism=mechanism,
        )
        t = clock.later(s.item.received_at, 2)
        s.accept(t, admin)
        t = clock.later(t, 1)
        s.start(t, admin)
        if n in (3, 6):  # two take longer, with the district's approval
            request_at = day_start(due_on - datetime.timedelta(days=5)) + datetime.timedelta(
                hours=10
            )
            later_on = due_on + datetime.timedelta(days=60)
            reason = "涉及多个部门职责调整，需延长时限"
            extension = s.extension_request(request_at, admin, reason, later_on)
            if extension is not None and s.extension_decide(
                extension, request_at + ONE_DAY, decider, True, "同意延期"
            ):
                due_on = later_on
        finish_at = clock.at(due_on - datetime.timedelta(days=rng.randint(3, 20)))
        if s.resolve(finish_at, admin, f"已完成整改：{measures}"):
            t = clock.later(finish_at, rng.randint(3, 10))
            if s.verify(t, admin, True, "区委社会工作部组织现场核查，整改到位"):
                t = clock.later(t, rng.randint(5, 15))
                s.satisfaction(t, admin, Satisfaction.SATISFIED, "基层干部满意度测评：满意")
        stories.append(s.finish())
    write(stories, Meetings(), created)


def seed_demo_accounts_work(world, planner, ledgers, numbers, meetings, created) -> None:
    """Work waiting today for the demo accounts, whatever the random history left open."""
    huayuan = next(
        (u for u in world.units.values() if u.name == "花园社区" and u.kind == "community"), None
    )
    housing = next(
        (u for u in world.units.values() if u.name == "区住建局" and u.kind == "department"), None
    )
    if huayuan is None or housing is None:
        return
    clock = world.clock
    reception = ledgers[(huayuan.pk, LedgerKind.RECEPTION_DAY)]
    grid_ledger = ledgers[(huayuan.pk, LedgerKind.GRID_PROBLEM)]
    district = district_of(huayuan, planner.world.units)
    categories = planner.catalogue[district.pk]
    secretary = world.account(huayuan.pk)
    grids = planner.children.get(huayuan.pk) or [huayuan]

    def story(ledger, title, code, received, source=Source.RECEPTION_DAY, unit=huayuan):
        resident = planner.resident()
        creator = world.grid_accounts.get(unit.pk) if source == Source.GRID_VISIT else secretary
        return Story(
            world,
            ledger=ledger,
            number=numbers.next(ledger.prefix, received),
            title=title,
            unit=unit,
            responsible=huayuan,
            category=categories[code] if code else None,
            source=source,
            received_at=received,
            actor=creator,
            description=f"居民反映：{title}。",
            resident_name=resident[0],
            resident_phone=resident[1],
        )

    def studied(s: Story, before, measures: str) -> None:
        """Accepted on the spot, then studied at the weekly review if one came in between."""
        t = clock.later(s.item.received_at, 0)
        s.accept(t, secretary)
        review = planner.review_moment(s, t)
        s.plan(min(review, before - QUARTER), secretary, measures, reviewed=review < before)

    stories = []
    # New demands of this week, not yet studied at the weekly review.
    for n, (title, code) in enumerate(
        (
            ("3号楼顶楼漏水，雨天屋内滴水", "0101"),
            ("小区东门路灯不亮", None),
            ("楼下烧烤店油烟和噪音扰民", None),
            ("独居老人申请助餐服务", "0301"),
        )
    ):
        s = story(reception, title, code, clock.at(clock.workday_before(1 + n % 3), 8.5, 11.5))
        if n % 2:
            s.accept(clock.later(s.item.received_at, 0), secretary)
        stories.append(s.finish())
    s = story(
        grid_ledger,
        "单元门口电动车飞线充电",
        "0208",
        clock.at(clock.workday_before(2)),
        source=Source.GRID_VISIT,
        unit=grids[0],
    )
    stories.append(s.finish())

    # Handed to 区住建局, waiting for its acceptance.
    for n, (title, code) in enumerate(
        (
            ("老旧小区外墙保温层脱落", "0107"),
            ("5号楼电梯频繁停运", "0103"),
            ("6号楼高层住户水压不足", "0106"),
        )
    ):
        s = story(reception, title, code, clock.at(clock.workday_before(6 + n), 8.5, 11.5))
        handed = clock.at(clock.workday_before(1 if n else 2))
        studied(s, handed, "社区党组织研究，转区住建局办理")
        s.hand_over(handed, secretary, housing, f"超出社区办理能力，需{housing.name}协调解决")
        stories.append(s.finish())

    # Accepted by 区住建局, which asks the district for more time.
    received = clock.at(clock.workday_before(25), 8.5, 11.5)
    s = story(reception, "小区雨污管网老化，雨天单元门口积水", "0107", received)
    handed = clock.at(clock.workday_before(20))
    studied(s, handed, "转区住建局纳入改造计划")
    s.hand_over(handed, secretary, housing, "需纳入老旧小区改造计划")
    s.accept(clock.at(clock.workday_before(19)), world.account(housing.pk))
    s.start(clock.at(clock.workday_before(18)), world.account(housing.pk))
    due = due_date(s.item.due_at)
    s.extension_request(
        clock.at(clock.workday_before(1)),
        world.account(housing.pk),
        "需走招标采购程序，时限内无法完成",
        clock.add_workdays(due, 15),
    )
    stories.append(s.finish())

    # 花园社区 asks 凤城街道 for more time; one item is overdue; two wait for verification and
    # the resident's call-back.
    s = story(
        grid_ledger,
        "小区停车位不足，车辆乱停堵塞消防通道",
        "0208",
        clock.at(clock.workday_before(9)),
        Source.GRID_VISIT,
        grids[-1],
    )
    s.accept(clock.later(s.item.received_at, 0), secretary)
    s.start(clock.at(clock.workday_before(8)), secretary)
    s.extension_request(
        clock.at(clock.workday_before(1)),
        secretary,
        "需召开居民议事会协商停车方案",
        clock.add_workdays(due_date(s.item.due_at), 10),
    )
    stories.append(s.finish())
    s = story(
        reception, "楼道堆放杂物存在消防隐患", "0402", clock.at(clock.workday_before(14), 8.5, 11.5)
    )
    s.accept(clock.later(s.item.received_at, 0), secretary)
    s.start(clock.at(clock.workday_before(12)), secretary)
    stories.append(s.finish())
    for n, title in enumerate(("2号楼卫生间漏水殃及楼下", "小区门禁损坏长期无人维修")):
        code = "0101" if n == 0 else "0102"
        s = story(reception, title, code, clock.at(clock.workday_before(8 + n), 8.5, 11.5))
        s.accept(clock.later(s.item.received_at, 0), secretary)
        s.start(clock.at(clock.workday_before(6)), secretary)
        s.resolve(clock.at(clock.workday_before(2 + n)), secretary, "已维修完毕")
        if n:
            s.verify(clock.at(clock.workday_before(1)), secretary, True, "网格员现场核实已整改到位")
        stories.append(s.finish())
    write(stories, meetings, created)


def seed_district_scale(planner: Planner, laiwu: Unit, numbers, meetings, created) -> None:
    """About ITEMS_PER_UNIT items a year for each further village and community of Laiwu."""
    rng, clock = planner.rng, planner.clock
    villages = [
        u
        for u in planner.world.units.values()
        if u.kind in Unit.KINDS_BY_LEVEL[3] and u.path.startswith(laiwu.path)
    ]
    wanted = ledger_rows(laiwu, villages)
    ledgers = seed_ledger_rows([w for w in wanted if w.kind != LedgerKind.RECTIFICATION], created)
    empty = set(
        Ledger.objects.filter(pk__in=[ledger.pk for ledger in ledgers.values()])
        .annotate(n=Count("items"))
        .filter(n=0)
        .values_list("pk", flat=True)
    )
    targets = [
        u
        for u in sorted(villages, key=lambda u: u.path)
        if ledgers[(u.pk, LedgerKind.RECEPTION_DAY)].pk in empty
        and ledgers[(u.pk, LedgerKind.GRID_PROBLEM)].pk in empty
    ]
    if not targets:
        return
    for unit in targets:
        planner.reception_days.setdefault(unit.pk, rng.randint(0, 4))
    weights = [2 if u.kind == Unit.Kind.COMMUNITY else 1 for u in targets]
    per_weight = ITEMS_PER_UNIT * len(targets) / sum(weights)
    start = localdate(clock.now) - datetime.timedelta(days=HISTORY_DAYS)
    seedlings = []
    for unit, weight in zip(targets, weights, strict=True):
        count = round(per_weight * weight * rng.uniform(0.7, 1.3))
        reception = math.floor(count * 0.3)
        for n in range(count):
            kind = LedgerKind.RECEPTION_DAY if n < reception else LedgerKind.GRID_PROBLEM
            received = planner.moment(kind, unit, start, HISTORY_DAYS)
            if received >= clock.now - datetime.timedelta(hours=1):
                continue
            share = 0.6 if kind == LedgerKind.RECEPTION_DAY else 0.9
            seedlings.append(
                planner.seedling(ledgers[(unit.pk, kind)], unit, received, category_share=share)
            )
    planner.grow(seedlings, numbers, meetings, created)
