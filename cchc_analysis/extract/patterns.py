"""The extractor's vocabulary: regexes for figures (per cent, ranks, places, scores, days, counts),
index names, domain keywords, separators, years, cue words and comparators."""

from __future__ import annotations

import re

from .text import (
    _alt,
    _canon,
)

# ----------------------------------------------------------------------------- patterns

# A number starts at a digit with no digit, letter, separator or slash before it.  The
# guard sits after the first digit so that every pattern starts with ``\d`` and the regex
# engine can skip ahead to digits (several times faster than a leading look-behind).
_G = r"(?<![\w.,/-]\d)"
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_GNUM = rf"\d{_G}(?:\d{{0,2}}(?:\.\d{{3}})+(?:,\d+)?|\d*(?:[.,]\d+)?)"
_GINT2 = rf"\d{_G}\d?"
_RANGE = r"\s*(?:-|đến|tới|~)\s*"

_PERCENT = re.compile(rf"(?P<n1>{_GNUM})(?:{_RANGE}(?P<n2>{_NUM}))?\s*(?:%|phần\s+trăm)")
# a table with a unit column: "| Tỷ lệ hồ sơ số hóa | % | 100 |"
_PERCENT_CELL = re.compile(rf"%[ \t]*\|[ \t]*(?P<n1>{_GNUM})(?=[ \t]*(?:\||\n|$))")
_GROUP = re.compile(
    rf"(?:(?P<kw>top|tốp|nhóm)\s+(?:(?:các|những|số)\s+)?(?:đầu\s+)?(?P<n1>{_GINT2})(?:{_RANGE}(?P<n2>\d{{1,2}}))?(?:\s*/\s*(?P<tot>\d{{2}}))?(?![\d]|[.,]\d)"
    rf"(?P<unit>\s+(?:tỉnh|địa\s+phương|thành\s+phố|đơn\s+vị))?"
    rf"(?P<tail>[^;.\n]{{0,60}}?(?:dẫn\s+đầu|đứng\s+đầu|cao\s+nhất|tốt\s+nhất|xếp\s+hạng\s+cao|cả\s+nước|toàn\s+quốc))?"
    rf"|(?:thuộc|trong|vào)\s+(?:số\s+)?(?P<n3>{_GINT2})\s+(?:tỉnh|địa\s+phương)[^;.\n]{{0,40}}?(?:dẫn\s+đầu|đứng\s+đầu|cao\s+nhất|tốt\s+nhất))"
)
# "xếp thứ 18/63", "đứng vị trí 12", "xếp hạng thứ 43/63", "vị thứ 51/63", "hạng 22/63", "đứng 27/63"
_POSITION = re.compile(
    rf"(?<!sắp\s)(?:(?:xếp|đứng|duy\s+trì|giữ\s+vững|giữ)\s+(?:ở\s+)?(?:(?:hạng|vị\s+trí|vị\s+thứ)\s+)?(?:thứ\s+)?(?:xếp\s+thứ\s+)?(?:(?:ở|tại|là)\s+)?(?:vị\s+trí\s+)?(?:thứ\s+)?"
    rf"(?=\d{{1,2}}\s*/|(?<=thứ\s)|(?<=hạng\s)|(?<=trí\s)|(?<=xếp\s))"
    # "đứng thứ 8 cả nước và thứ 2 của Bắc Trung Bộ": the verb is not repeated
    rf"|(?<=và\s)thứ\s+(?=\d{{1,2}}\s+(?:của|trong|tại|ở|khu\s+vực|vùng|cả\s+nước|toàn\s+quốc)(?!\w))"
    rf"|thứ\s+hạng\s+(?:thứ\s+)?|vị\s+(?:trí|thứ)\s+(?:thứ\s+|số\s+)?|(?<!\w)hạng\s+(?:thứ\s+)?(?=\d{{1,2}}\s*/))"
    rf"(?P<n1>{_GINT2})(?:{_RANGE}(?P<n2>\d{{1,2}}))?"
    rf"(?:\s*/\s*(?P<tot>\d{{1,3}}))?(?!\d|[.,]\d|\s*(?:%|bậc|điểm|phần))"
)
# a bare fraction after a rank: "…, 3/14 tỉnh vùng Bắc Trung Bộ"
_FRACTION = re.compile(rf"(?P<n1>{_GINT2})\s*/\s*(?P<tot>\d{{2}})(?=\s+(?:tỉnh|địa\s+phương))")
_FIRST = re.compile(
    r"(?=[xđdhvgt])(?:(?<!top\s)(?<!top'\s)(?<!nhóm\s)(?:(?:xếp|đứng|giữ(?:\s+vững)?)\s+(?:ở\s+)?)?(?:vị\s+trí\s+)?(?:xếp\s+hạng\s+)?"
    r"(?<!lần\s)(?<!năm\s)(?<!đợt\s)(?<!khi\s)(?:thứ\s+nhất|đầu\s+tiên|số\s+1(?!\d))(?=\s+(?:cả\s+nước|toàn\s+quốc|trong|trên|về|của|khu\s+vực|vùng)|[\s,.;)]|$)"
    r"|xếp\s+hạng\s+nhất|(?<!\w)hạng\s+nhất"
    r"|(?<!top\s)(?<!top'\s)(?<!top’\s)(?<!nhóm\s)(?:đứng|dẫn)\s+đầu(?=\s+(?:cả\s+nước|toàn\s+quốc|khu\s+vực|vùng|đbscl|các\s+tỉnh|trong\s+(?:các\s+|\d{1,2}\s+)?(?:tỉnh|địa\s+phương)|tây\s+nguyên|đồng\s+bằng|miền|bảng\s+xếp\s+hạng|về\s+chỉ\s+số)))"
)
_PLACES = re.compile(rf"(?P<n1>{_GINT2})(?:{_RANGE}(?P<n2>\d{{1,2}}))?\s*(?:bậc|thứ\s+hạng|hạng)(?!\w)(?!\s*/)")
_PLACES_WORD = re.compile(r"(?=[mhb])(?<!\w)(?P<w>một|hai|ba|bốn)\s+(?:bậc|thứ\s+hạng)(?!\w)")
_SCORE = re.compile(
    rf"(?P<n1>{_GNUM})(?:{_RANGE}(?P<n2>{_NUM}))?(?:\s*/\s*(?P<tot>\d{{1,3}}(?:[.,]\d+)?))?\s*điểm(?!\s+(?:giao|tiếp|cầu|phục|một|truy|wifi|du|bán|thu|kiểm|trường|dân|sáng|nóng|đen|cung|hẹn|đỗ|bưu|văn|dịch))(?!\w)"
)
_DAYS = re.compile(
    rf"(?P<n1>{_GNUM})(?:{_RANGE}(?P<n2>{_NUM}))?\s*(?P<u>ngày\s+làm\s+việc|ngày|giờ\s+làm\s+việc|giờ|tháng)(?!\w)(?!\s+(?:đầu|cuối)\s+năm)"
)
_COUNT_NOUNS = (
    "cuộc", "lớp", "đợt", "lần", "buổi", "hội nghị", "hội thảo", "sáng kiến", "mô hình", "chuyên mục",
    "tin bài", "tin, bài", "bài viết", "phóng sự", "cơ quan", "đơn vị", "thủ tục", "tthc", "dịch vụ",
    "hồ sơ", "văn bản", "người", "cán bộ", "công chức", "viên chức", "lượt", "đoàn", "cuộc kiểm tra",
)
_COUNT = re.compile(
    rf"(?P<n1>\d{_G}(?:\d{{0,2}}(?:\.\d{{3}})+|\d{{0,3}}))(?:{_RANGE}(?P<n2>\d{{1,3}}(?:\.\d{{3}})+|\d{{1,4}}))?\s+(?P<noun>{_alt(_COUNT_NOUNS)})(?!\w)"
)
# a table with a unit column: "| Số cuộc đối thoại | cuộc | 02 |"
_COUNT_CELL = re.compile(
    rf"\|[ \t]*(?P<noun>{_alt(_COUNT_NOUNS)})[ \t]*\|[ \t]*(?P<n1>\d{_G}(?:\d{{0,2}}(?:\.\d{{3}})+|\d{{0,3}}))(?=[ \t]*(?:\||\n|$))"
)
_INDEX_VALUE = re.compile(
    rf"(?:đạt|là|ở\s+mức|đạt\s+mức)\s+(?:(?:trên|từ|tối\s+thiểu|ít\s+nhất|khoảng)\s+)?(?P<n1>\d{_G}\d{{0,2}}(?:[.,]\d+)?)"
    rf"(?![\d.,]|\s*(?:%|phần|điểm|bậc|ngày|giờ|tháng|/)|\s+(?:{_alt(_COUNT_NOUNS)}|tỉnh|địa|năm)(?!\w))"
)

# "tất cả thủ tục hành chính …", "toàn bộ hồ sơ …", "bãi bỏ hoàn toàn các quy định …": a worded total,
# 100 % when it is an aim
_WORDED_TOTAL = re.compile(
    r"(?=[th])(?<!\w)(?:tất\s+cả|toàn\s+bộ|hoàn\s+toàn(?=\s+(?:các|những)\s+quy\s+định))\s+(?:(?:các|những)\s+)?"
    r"(?=(?:thủ\s+tục|tthc|hồ\s+sơ|văn\s+bản|cơ\s+quan|đơn\s+vị|dịch\s+vụ\s+công"
    r"|cán\s+bộ|công\s+chức|viên\s+chức|xã|phường|ubnd|kết\s+quả|giao\s+dịch|doanh\s+nghiệp|người\s+dân"
    # round 3: districts, databases and rules ("tại tất cả các huyện, thị xã", "xây dựng xong tất cả
    # các cơ sở dữ liệu", "bãi bỏ hoàn toàn các quy định không cần thiết")
    r"|huyện|thị\s+xã|cơ\s+sở\s+dữ\s+liệu|quy\s+định)(?!\w))"
)

# (name, regex, priority: lower wins an overlap)
_MENTIONS = (
    ("group", _GROUP, 0),
    ("position", _POSITION, 1),
    ("position", _FRACTION, 1),
    ("places", _PLACES, 2),
    ("places", _PLACES_WORD, 2),
    ("percent", _PERCENT, 3),
    ("percent", _PERCENT_CELL, 3),
    ("score", _SCORE, 4),
    ("days", _DAYS, 5),
    ("index_value", _INDEX_VALUE, 6),
    ("count", _COUNT, 7),
    ("count", _COUNT_CELL, 7),
    ("first", _FIRST, 8),
    ("worded", _WORDED_TOTAL, 9),
)

_INDEX_RE = re.compile(
    "(?=[dpicnsmthlb])(?:"
    + "|".join(
        f"(?P<{name}>{pat})"
        for name, pat in (
            # Decision 766's index of service to citizens and businesses
            ("service", r"bộ\s+chỉ\s+số\s+(?:chỉ\s+đạo,?\s+điều\s+hành\s+và\s+đánh\s+giá\s+)?(?:chất\s+lượng\s+)?phục\s+vụ"),
            ("ict", r"\bict[\s-]*index\b|chỉ\s+số\s+sẵn\s+sàng"),
            # parts of an index: "chỉ số thành phần", "chỉ số “Gia nhập thị trường”", "lĩnh vực Cải cách thể chế"
            (
                "component",
                r"chỉ\s+số\s+(?:thành\s+phần|con|nội\s+dung|công\s+tác)|chỉ\s+số\s+[“\"‘']|(?<!chỉ\s)tiêu\s+chí(?!\w)"
                r"|lĩnh\s+vực\s+[“\"‘']?(?:cải\s+cách|xây\s+dựng|công\s+tác|chỉ\s+đạo|tác\s+động|hiện\s+đại\s+hóa)|điểm\s+thẩm\s+định|điểm\s+đánh\s+giá",
            ),
            ("thisindex", r"chỉ\s+số\s+này"),
            (
                "other",
                r"\bddci\b|\bpgi\b|chỉ\s+số\s+xanh"
                r"|năng\s+lực\s+cạnh\s+tranh\s+cấp\s+(?:sở|huyện|xã|địa\s+phương|ngành)"
                r"|chỉ\s+số\s+(?:cải\s+cách\s+hành\s+chính|cchc)\s+(?:của\s+)?(?:các\s+)?(?:sở|cơ\s+quan|huyện|xã|đơn\s+vị|ubnd|ủy\s+ban|uỷ\s+ban|ngành)"
                r"|(?:sipas|chỉ\s+số\s+hài\s+lòng)\s+(?:của\s+)?(?:các\s+)?(?:sở|huyện|xã|đơn\s+vị)\b",
            ),
            ("par", r"\bpar[\s_-]*index\b|\bpar\b|chỉ\s+số\s+(?:cải\s+cách\s+hành\s+chính|cchc)|chỉ\s+cải\s+cách\s+hành\s+chính"),
            ("sipas", r"\bsipas\b"),
            ("sipasname", r"chỉ\s+số\s+hài\s+lòng"),
            ("papi", r"\bpapi\b|(?:chỉ\s+số\s+)?hiệu\s+quả\s+quản\s+trị\s+và\s+hành\s+chính\s+công"),
            ("pci", r"\bpci\b|chỉ\s+số\s+năng\s+lực\s+cạnh\s+tranh|năng\s+lực\s+cạnh\s+tranh\s+cấp\s+tỉnh"),
            ("dti", r"\bdti\b|chỉ\s+số\s+(?:đánh\s+giá\s+)?(?:mức\s+độ\s+)?chuyển\s+đổi\s+số"),
            ("sat", r"hài\s+lòng"),
        )
    )
    + ")"
)
# Cheap scan for places where _INDEX_RE may match (a plain alternation of literals is
# several times faster than the full pattern tried at every position).
_INDEX_CAND = re.compile(
    r"par|papi|pci|sipas|ddci|pgi|dti|ict|bộ\s+chỉ|chỉ\s+(?:số|cải)|hiệu\s+quả\s+quản|năng\s+lực\s+cạnh|hài\s+lòng"
    r"|tiêu\s+chí|lĩnh\s+vực|điểm\s+(?:thẩm|đánh)"
)
#: names that say which index (or part of one) a figure is about
_NAMED = ("par", "sipas", "papi", "pci", "dti", "sipasname", "other", "component", "ict", "service", "thisindex")
_INDICES = ("par", "sipas", "papi", "pci", "dti")
_INDEX_VI = {
    "par": "Chỉ số CCHC (PAR Index)",
    "sipas": "Chỉ số hài lòng (SIPAS)",
    "papi": "Chỉ số PAPI",
    "pci": "Chỉ số PCI",
    "dti": "Chỉ số chuyển đổi số (DTI)",
}
_INDEX_EN = {"par": "PAR Index", "sipas": "SIPAS", "papi": "PAPI", "pci": "PCI", "dti": "DTI"}

_ADMIN_OBJ = re.compile(
    r"hành\s+chính|tthc|thủ\s+tục|sự\s+phục\s+vụ|cơ\s+quan\s+nhà\s+nước|một\s+cửa|dịch\s+vụ\s+công(?!\s+trực)"
)
_PUBLIC_OBJ = re.compile(r"y\s+tế|giáo\s+dục|sự\s+nghiệp|bệnh\s+viện|trường\s+học|công\s+lập")
_SERVE_STRONG = re.compile(r"(?:sự\s+)?phục\s+vụ\s+(?:của\s+)?(?:các\s+)?cơ\s+quan\s+hành\s+chính")

# domain keywords: (phrase, domain, weight, English gloss for indicator_en or "")
# Domain keywords: (phrase, domain, weight, English gloss for indicator_en or "").
# Weights follow one idea: what a target *does* outweighs what it acts on.  Outcome words
# ("đúng hạn", "xin lỗi", "chi phí tuân thủ") and channel words ("trực tuyến", "ký số",
# "số hóa") weigh 2-3; objects met everywhere ("hồ sơ", "TTHC", "cán bộ") weigh 1 or less.
# Each phrase counts once per clause.
_DOMAIN_WORDS: tuple[tuple[str, str, float, str], ...] = (
    ("văn bản quy phạm pháp luật", "institutional", 3, "legal normative documents"),
    ("vbqppl", "institutional", 3, "legal normative documents"),
    ("qppl", "institutional", 3, "legal normative documents"),
    ("văn bản pháp luật", "institutional", 3, "legal documents"),
    ("thể chế", "institutional", 2, "institutions"),
    ("pháp chế", "institutional", 2, "legal affairs"),
    ("thi hành pháp luật", "institutional", 2, "law enforcement monitoring"),
    ("tiếp cận pháp luật", "institutional", 3, "access to law"),
    ("phổ biến, giáo dục pháp luật", "institutional", 2, "legal education"),
    ("rà soát văn bản", "institutional", 2, "review of legal documents"),
    ("kiểm tra văn bản", "institutional", 2, "checks of legal documents"),
    ("pháp luật", "institutional", 1, ""),
    ("thủ tục hành chính", "procedures", 1, "administrative procedures"),
    ("tthc", "procedures", 1, "administrative procedures"),
    ("một cửa", "procedures", 2, "one-stop shop"),
    ("liên thông", "procedures", 1, "inter-agency processing"),
    ("hồ sơ", "procedures", 1, "dossiers"),
    ("trước hạn", "procedures", 3, "early/on-time processing"),
    ("đúng hạn", "procedures", 3, "on-time processing"),
    ("quá hạn", "procedures", 3, "overdue dossiers"),
    ("trễ hạn", "procedures", 3, "late dossiers"),
    ("xin lỗi", "procedures", 3, "apologies for delays"),
    ("chi phí tuân thủ", "procedures", 3, "compliance costs"),
    ("quy định kinh doanh", "procedures", 3, "business regulations"),
    ("điều kiện kinh doanh", "procedures", 3, "business conditions"),
    ("đơn giản hóa", "procedures", 2, "simplification"),
    ("cắt giảm", "procedures", 2, "cuts"),
    ("phản ánh, kiến nghị", "procedures", 3, "feedback and petitions"),
    ("tiếp nhận và trả kết quả", "procedures", 1, "reception and return of results"),
    ("thời gian giải quyết", "procedures", 2, "processing time"),
    ("đúng thời gian", "procedures", 2, "on-time processing"),
    ("rút ngắn", "procedures", 2, "shortened processing"),
    ("giải quyết", "procedures", 0.5, ""),
    ("giấy tờ", "procedures", 1, "paperwork"),
    ("giấy phép", "procedures", 2, "permits"),
    ("cấp phép", "procedures", 2, "permits"),
    ("thời gian", "procedures", 1, ""),
    ("tổ chức bộ máy", "apparatus", 3, "organisational structure"),
    ("bộ máy", "apparatus", 2, "organisational structure"),
    ("đơn vị sự nghiệp", "apparatus", 2, "public service units"),
    ("sự nghiệp công", "apparatus", 2, "public services"),
    ("sắp xếp", "apparatus", 2, "restructuring"),
    ("tinh gọn", "apparatus", 2, "streamlining"),
    ("đầu mối", "apparatus", 2, "units"),
    ("cơ cấu tổ chức", "apparatus", 2, "organisational structure"),
    ("sáp nhập", "apparatus", 2, "mergers"),
    ("phòng chuyên môn", "apparatus", 1, "specialised divisions"),
    ("y tế", "apparatus", 1, "health"),
    ("giáo dục", "apparatus", 1, "education"),
    ("tự chủ", "apparatus", 1, "autonomy"),
    ("công chức", "civil_service", 1, "civil servants"),
    ("viên chức", "civil_service", 1, "public employees"),
    ("cán bộ", "civil_service", 1, "officials"),
    ("vị trí việc làm", "civil_service", 3, "job positions"),
    ("vị trí làm việc", "civil_service", 3, "job positions"),
    ("biên chế", "civil_service", 3, "staff quotas"),
    ("tinh giản", "civil_service", 3, "staff cuts"),
    ("chức danh", "civil_service", 2, "job titles"),
    ("đạt chuẩn", "civil_service", 1, "meeting standards"),
    ("bồi dưỡng", "civil_service", 2, "training"),
    ("đào tạo", "civil_service", 1, "training"),
    ("tuyển dụng", "civil_service", 3, "recruitment"),
    ("công vụ", "civil_service", 2, "public duty"),
    ("kỷ luật", "civil_service", 1, "discipline"),
    ("ngân sách", "public_finance", 2, "budget"),
    ("giải ngân", "socio_economic", 4, "disbursement of investment"),
    ("đầu tư công", "public_finance", 3, "public investment"),
    ("tài chính", "public_finance", 1, "finance"),
    ("chi thường xuyên", "public_finance", 3, "recurrent spending"),
    ("kinh phí", "public_finance", 1, "funding"),
    ("nợ công", "public_finance", 3, "public debt"),
    ("tiền lương", "public_finance", 3, "salaries"),
    ("thu ngân sách", "public_finance", 3, "budget revenue"),
    ("tài sản công", "public_finance", 3, "public assets"),
    ("quyết toán", "public_finance", 2, "budget settlement"),
    # socio-economic targets (plans often list them beside reform targets): not reform targets
    ("grdp", "socio_economic", 6, "GRDP"),
    ("tổng sản phẩm", "socio_economic", 5, "gross product"),
    ("tăng trưởng kinh tế", "socio_economic", 6, "economic growth"),
    ("tốc độ tăng trưởng", "socio_economic", 5, "growth rate"),
    ("tăng trưởng", "socio_economic", 3, "growth"),
    ("thu nhập bình quân", "socio_economic", 6, "average income"),
    ("hộ nghèo", "socio_economic", 6, "poor households"),
    ("tỷ lệ nghèo", "socio_economic", 6, "poverty rate"),
    ("nghèo đa chiều", "socio_economic", 6, "multidimensional poverty"),
    ("bảo hiểm y tế", "socio_economic", 6, "health insurance coverage"),
    ("bảo hiểm xã hội", "socio_economic", 6, "social insurance coverage"),
    ("bảo hiểm thất nghiệp", "socio_economic", 6, "unemployment insurance"),
    ("lao động qua đào tạo", "socio_economic", 6, "trained workers"),
    ("việc làm mới", "socio_economic", 5, "new jobs"),
    ("nông thôn mới", "socio_economic", 6, "new-style rural areas"),
    ("đô thị hóa", "socio_economic", 5, "urbanisation"),
    ("vốn đầu tư", "socio_economic", 3, "investment capital"),
    ("kim ngạch", "socio_economic", 6, "trade turnover"),
    ("xuất khẩu", "socio_economic", 4, "exports"),
    ("doanh nghiệp thành lập mới", "socio_economic", 5, "new businesses"),
    ("thành lập mới", "socio_economic", 3, "newly established"),
    ("fdi", "socio_economic", 5, "foreign investment"),
    ("thu hút đầu tư", "socio_economic", 4, "investment attraction"),
    ("khách du lịch", "socio_economic", 6, "tourists"),
    ("tuổi thọ", "socio_economic", 6, "life expectancy"),
    ("giường bệnh", "socio_economic", 6, "hospital beds"),
    ("bác sĩ", "socio_economic", 5, "doctors"),
    ("trường đạt chuẩn", "socio_economic", 5, "schools meeting national standards"),
    ("nước sạch", "socio_economic", 6, "clean water"),
    ("che phủ rừng", "socio_economic", 6, "forest cover"),
    ("rác thải", "socio_economic", 5, "waste"),
    ("chất thải", "socio_economic", 5, "waste"),
    # the digital economy is an economic target, not a reform target ("tỷ trọng kinh tế số trong GRDP",
    # "doanh nghiệp sử dụng hợp đồng điện tử", "thương mại điện tử")
    ("kinh tế số", "socio_economic", 6, "digital economy"),
    # ... but the three pillars named together are the purpose of a digital-government target
    ("chính quyền số, kinh tế số, xã hội số", "digital_government", 3, "digital government, economy and society"),
    ("chính quyền số, kinh tế số và xã hội số", "digital_government", 3, "digital government, economy and society"),
    ("chính quyền số", "digital_government", 3, "digital government"),
    ("thương mại điện tử", "socio_economic", 6, "e-commerce"),
    ("hợp đồng điện tử", "socio_economic", 5, "electronic contracts"),
    ("hóa đơn điện tử", "socio_economic", 5, "electronic invoices"),
    ("doanh nghiệp nhỏ và vừa", "socio_economic", 5, "small and medium firms"),
    ("năng suất lao động", "socio_economic", 6, "labour productivity"),
    # digital infrastructure and digital society: neither a reform area nor the economy
    ("cáp quang", "other", 6, "fibre broadband"),
    ("băng rộng", "other", 6, "broadband"),
    ("sóng di động", "other", 6, "mobile coverage"),
    ("mạng di động", "other", 5, "mobile network"),
    ("điện thoại thông minh", "other", 6, "smartphones"),
    ("tài khoản thanh toán", "other", 6, "payment accounts"),
    ("kỹ năng số", "other", 6, "digital skills"),
    ("đô thị thông minh", "other", 6, "smart-city services"),
    ("công nghệ số cộng đồng", "other", 5, "community digital-technology teams"),
    ("internet", "other", 4, "Internet access"),
    ("dịch vụ công trực tuyến", "digital_government", 3, "online public services"),
    ("dvc trực tuyến", "digital_government", 3, "online public services"),
    ("dvctt", "digital_government", 3, "online public services"),
    ("cổng dịch vụ công", "digital_government", 2, "public service portal"),
    ("một cửa điện tử", "digital_government", 3, "electronic one-stop system"),
    ("hệ thống thông tin", "digital_government", 2, "information system"),
    ("cổng thông tin điện tử", "digital_government", 3, "web portal"),
    ("trang thông tin điện tử", "digital_government", 3, "website"),
    ("chữ ký số", "digital_government", 3, "digital signatures"),
    ("ký số", "digital_government", 3, "digital signing"),
    ("số hóa", "digital_government", 3, "digitisation"),
    ("chuyển đổi số", "digital_government", 3, "digital transformation"),
    ("phần mềm", "digital_government", 2, "software"),
    ("không giấy tờ", "digital_government", 3, "paperless work"),
    ("nền tảng số", "digital_government", 3, "digital platforms"),
    ("trí tuệ nhân tạo", "digital_government", 3, "artificial intelligence"),
    ("thanh toán trực tuyến", "digital_government", 3, "online payment"),
    ("môi trường mạng", "digital_government", 2, "online processing"),
    ("môi trường điện tử", "digital_government", 2, "electronic processing"),
    ("môi trường số", "digital_government", 2, "digital processing"),
    ("định danh", "digital_government", 2, "digital identity"),
    ("cơ sở dữ liệu", "digital_government", 2, "databases"),
    ("dữ liệu", "digital_government", 1, "data"),
    ("công nghệ thông tin", "digital_government", 2, "IT"),
    ("cntt", "digital_government", 2, "IT"),
    ("tích hợp", "digital_government", 2, "integration"),
    ("đồng bộ", "digital_government", 2, "synchronisation"),
    ("kết nối", "digital_government", 1, "connection"),
    ("điện tử", "digital_government", 2, "electronic"),
    ("trực tuyến", "digital_government", 2, "online"),
    ("họp trực tuyến", "digital_government", 2, "online meetings"),
    ("tuyên truyền", "direction", 2, "communication"),
    ("truyền thông", "direction", 1, "communication"),
    ("đối thoại", "direction", 3, "dialogues"),
    ("khen thưởng", "direction", 2, "awards"),
    ("sáng kiến", "direction", 1, "initiatives"),
    ("kiểm tra", "direction", 1, "inspections"),
    ("thanh tra", "direction", 1, "inspections"),
    ("chỉ đạo", "direction", 1, "direction"),
    ("điều hành", "direction", 1, "management"),
    ("báo cáo", "direction", 1, "reporting"),
    ("giám sát", "direction", 1, "supervision"),
    ("doanh nghiệp", "", 0, "businesses"),
    ("người dân", "", 0, "citizens"),
    ("hài lòng", "", 0, "satisfaction"),
)
_DOMAIN_FIRST = "".join(sorted({p[0] for p, *_ in _DOMAIN_WORDS}))
_DOMAIN_RE = re.compile(rf"(?=[{_DOMAIN_FIRST}])(?<!\w)(?:{_alt(p for p, *_ in _DOMAIN_WORDS)})(?!\w)")
_DOMAIN_OF = {_canon(p): (d, w, en) for p, d, w, en in _DOMAIN_WORDS}
_DOMAIN_EN = {
    "institutional": "Institutional reform",
    "procedures": "Administrative procedures",
    "apparatus": "Organisational apparatus",
    "civil_service": "Civil service",
    "public_finance": "Public finance",
    "digital_government": "Digital government",
    "direction": "Direction of reform",
    "socio_economic": "Socio-economic target (not a reform target)",
}
_HEADING_DOMAINS = (
    ("institutional", r"cải\s+cách\s+thể\s+chế|hoàn\s+thiện\s+thể\s+chế"),
    ("procedures", r"cải\s+cách\s+(?:thủ\s+tục\s+hành\s+chính|tthc)"),
    ("apparatus", r"cải\s+cách\s+tổ\s+chức\s+bộ\s+máy|sắp\s+xếp\s+tổ\s+chức\s+bộ\s+máy|tổ\s+chức\s+bộ\s+máy"),
    ("civil_service", r"cải\s+cách\s+chế\s+độ\s+công\s+vụ|cải\s+cách\s+công\s+vụ|đội\s+ngũ\s+cán\s+bộ"),
    ("public_finance", r"cải\s+cách\s+tài\s+chính\s+công|tài\s+chính\s+công"),
    (
        "digital_government",
        r"chính\s+(?:quyền|phủ)\s+(?:điện\s+tử|số)|hiện\s+đại\s+(?:hóa|hoá)\s+(?:nền\s+)?hành\s+chính|chuyển\s+đổi\s+số",
    ),
    ("direction", r"chỉ\s+đạo\s*,?\s+điều\s+hành|tuyên\s+truyền"),
)
_HEADING_DOMAIN_RE = re.compile("|".join(f"(?P<{d}>{p})" for d, p in _HEADING_DOMAINS))
_HEADING = re.compile(r"(?m)^[ \t|]*(?P<num>[ivxlc]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])(?P<p>[.)])[ \t]+(?P<rest>[^\n]{0,100})")

_SEP = re.compile(
    r"(?=[\n|.!?…;:])(?:"
    r"(?P<para>\n[ \t]*\n\s*)"
    r"|(?P<line>\n(?=[ \t]*(?:[-+•*●▪◦]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ][.)]\s|[ivxlc]{1,5}[.)]\s|\|)))"
    r"|(?P<pipe>\|)"
    r"|(?P<stop>[.!?…]+(?=[\s\"”’)\]]|$))"
    r"|(?P<semi>;)"
    r"|(?P<colon>:(?=\s))"
    r"|(?P<nl>\n))"
)
_ABBREV_END = re.compile(r"(?<!\w)(?:tp|tx|tt|ths|ts|pgs|gs|bs|ks|q|p|đ/c|v\.v|st|vd|kt|tm)$")
_PAREN = re.compile(r"\([^()]{0,500}\)")

_FOOTER = re.compile(r"(?m)^[ \t|>*-]*nơi\s+nhận\s*:?")
_RESUME = re.compile(
    r"(?m)^[ \t|]*(?:\(?\s*ban\s+hành\s+kèm\s+theo|(?P<title>kế\s+hoạch|chương\s+trình|phụ\s+lục|đề\s+án|quy\s+định|quy\s+chế)(?!\w))"
)
_WEB_END = re.compile(
    r"(?m)^[ \t|>*#-]*(?:thống\s+kê\s+truy\s+cập|ý\s+kiến\s+bạn\s+đọc|(?:gửi\s+|viết\s+)?bình\s+luận|tin\s+liên\s+quan"
    r"|tin\s+cùng\s+chuyên\s+mục|(?:các\s+)?tin\s+khác|tin\s+mới\s+hơn|tin\s+cũ\s+hơn|(?:tin\s+)?bài\s+viết\s+liên\s+quan"
    r"|tin\s+bài\s+liên\s+quan|chia\s+sẻ\s+bài\s+viết|bản\s+quyền|liên\s+kết(?:\s+website)?|từ\s+khóa|tags?|lượt\s+xem)"
    r"(?!\w)[^\n]{0,30}$"
)

_YEAR_PRE = re.compile(r"(?<!\w)(?P<pre>so\s+với|đến\s+hết|đến|tới|hết|trước|sau|vào|trong|từ|cuối|đầu|của)\s+$")
_YEAR = re.compile(
    r"(?=[nig12])(?:(?:năm\s*|(?<=index\s)|(?<=sipas\s)|(?<=papi\s)|(?<=pci\s)|(?<=dti\s))(?P<y>(?:19|20)\d{2})(?![\d/])(?:\s*-\s*(?:năm\s+)?(?P<y2>(?:19|20)\d{2})(?!\d))?"
    r"|giai\s+đoạn\s*:?\s*(?:từ\s+)?(?:năm\s+)?(?P<a>(?:19|20)\d{2})\s*-\s*(?:năm\s+)?(?P<b>(?:19|20)\d{2})(?!\d))"
)
_DATE_BEFORE = re.compile(r"(?:tháng\s+\d{1,2}|\d{1,2}\s*/\s*\d{1,2}\s*/?)\s*$")
_PHASE_LABEL = r"\d|[ivx]{1,3}|một|hai|ba|thứ\s+nhất|thứ\s+hai|thứ\s+ba"
_PHASE_DEF = re.compile(
    rf"giai\s+đoạn\s+(?P<l>{_PHASE_LABEL})\s*[:,(]?\s*(?:từ\s+)?(?:năm\s+)?(?P<a>(?:19|20)\d{{2}})\s*-\s*(?:đến\s+)?(?:năm\s+)?(?P<b>(?:19|20)\d{{2}})"
)
_PHASE_REF = re.compile(rf"giai\s+đoạn\s+(?P<l>{_PHASE_LABEL})(?![\w:])")
_SENT_PREFIX = re.compile(
    r"[\s\-+•*]*(?:(?:cụ\s+thể|theo\s+đó|đồng\s+thời|ngoài\s+ra|bên\s+cạnh\s+đó|tuy\s+nhiên|đặc\s+biệt|như\s+vậy|mục\s+tiêu(?:\s+cụ\s+thể)?"
    r"|chỉ\s+tiêu(?:\s+cụ\s+thể)?)\s*[,:]?\s+)*"
    r"(?:(?P<rep>(?:theo\s+)?kết\s+quả(?:\s+(?:đánh\s+giá|công\s+bố|xếp\s+hạng))?(?:\s+(?:chỉ\s+số\s+)?\S+){0,3}?\s*,?|tính\s+đến\s+(?:hết\s+|cuối\s+)?)\s+)?"
    r"(?:(?P<pre>đến\s+hết|đến|tới|trong|vào|hết|cuối)\s+)?"
    rf"(?:năm\s+(?P<y>(?:19|20)\d{{2}})|giai\s+đoạn\s+(?P<l>{_PHASE_LABEL})(?![\w])|giai\s+đoạn\s+(?:từ\s+)?(?:năm\s+)?(?P<a>(?:19|20)\d{{2}})\s*-\s*(?:năm\s+)?(?P<b>(?:19|20)\d{{2}}))"
    r"\s*[,:]"
)
_PLAN_TITLE = re.compile(
    r"(?:kế\s+hoạch|chương\s+trình|đề\s+án(?=\s+(?:về\s+)?(?:cải\s+cách|cchc|nâng\s+cao|cải\s+thiện|chỉ\s+số)))[^;.]{0,160}?(?:năm\s+(?P<y>(?:19|20)\d{2})(?![\d-])|giai\s+đoạn\s+(?:từ\s+)?(?:năm\s+)?(?P<a>(?:19|20)\d{2})\s*-\s*(?:năm\s+)?(?P<b>(?:19|20)\d{2}))"
)
_PLAIN_YEAR = re.compile(r"(?<!tháng\s)(?<![/\d])năm\s+((?:19|20)\d{2})(?![\d/])")

# Aim words used as nouns or pointing back ("mục tiêu này", "kỳ vọng của người dân", "từng chỉ tiêu
# thấp điểm" -- the indicators of an index): they name an aim or an indicator, they do not set one.
_AIM_NOUN = (
    r"(?:mục\s+tiêu|chỉ\s+tiêu)\s+(?:này|đó|ấy|trên|nói\s+trên)(?!\w)|kỳ\s+vọng\s+(?:của|từ)(?!\w)|(?:ý\s+kiến|nguyện\s+vọng)\s+và\s+kỳ\s+vọng"
    r"|(?<!\w)(?:từng|mỗi)\s+chỉ\s+tiêu|chỉ\s+tiêu\s+(?:thành\s+phần|thấp\s+điểm|giảm\s+điểm|tăng\s+điểm|cơ\s+sở)(?!\w)"
)
# Words judging an aim after the fact ("không hoàn thành mục tiêu đề ra", "chưa đạt kỳ vọng", "vượt
# kế hoạch"): the figure near them is a result, although they contain aim words.
_AIM_JUDGED = (
    r"(?<!\w)(?:không|chưa)\s+(?:(?:\S+\s+){0,2}?)(?:hoàn\s+thành|đạt(?:\s+được)?|đáp\s+ứng|chạm(?:\s+đích)?)\s+"
    r"(?:(?:được|các|những)\s+)?(?:mục\s+tiêu|chỉ\s+tiêu|yêu\s+cầu|kế\s+hoạch|kỳ\s+vọng)(?:\s+(?:đề\s+ra|đặt\s+ra|được\s+giao))?"
    r"|(?<!\w)(?:vượt|hoàn\s+thành\s+và\s+vượt)\s+(?:(?:mức|các)\s+)?(?:mục\s+tiêu|chỉ\s+tiêu|kế\s+hoạch)(?:\s+(?:đề\s+ra|đặt\s+ra|được\s+giao))?"
)
_AIM_NOUN_OR_JUDGED = re.compile(f"{_AIM_NOUN}|{_AIM_JUDGED}")
_AIM_JUDGED_RE = re.compile(_AIM_JUDGED)
_TARGET_CUE = re.compile(
    # ("đến năm 2025" is read by the deadline rules: in a report it is a date, not an aim)
    r"phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu|tối\s+thiểu|ít\s+nhất|không\s+thấp\s+hơn"
    r"|cần\s+đạt|phải\s+đạt|kế\s+hoạch\s+đề\s+ra|(?:tăng|nâng)\s+thêm|tối\s+thiếu|hướng\s+tới"
)
# words that also describe results ("tiếp tục duy trì", "đã bảo đảm"): aims only in a text that is not a report
_TARGET_CUE_WEAK = re.compile(
    r"(?<!\w)giao(?!\s+(?:dịch|thông|lưu|tiếp|diện|ban|nhận|thoa|hữu|ước|kết))(?!\w)|bảo\s+đảm|đảm\s+bảo|duy\s+trì|(?<!\w)sẽ(?!\w)"
)
# A result in a figure's own words.  A fall ("tụt 7 bậc", "sụt giảm") is never aimed at; a streak
# ("năm thứ hai liên tiếp", "lần đầu tiên") or a record ("từ trước đến nay") looks back.
_STREAK = r"(?:năm|lần)\s+thứ\s+\S+\s+liên\s+tiếp|\d+\s+(?:năm|lần)\s+liên\s+tiếp|lần\s+đầu\s+tiên|từ\s+trước\s+(?:đến|tới)\s+nay|trong\s+lịch\s+sử"
_PAST_CUE = re.compile(
    r"(?<!\w)đã(?!\s+(?:được|có\s+kế\s+hoạch))(?!\w)|đã\s+được\s+xếp|đạt\s+được|năm\s+qua|vừa\s+qua|hiện\s+nay|hiện\s+tại"
    r"|tính\s+đến|tháng\s+đầu\s+năm|cùng\s+kỳ|kết\s+quả\s+(?:năm|chỉ\s+số|đánh\s+giá|xếp\s+hạng|công\s+bố)|được\s+công\s+bố|công\s+bố\s+kết\s+quả"
    r"|(?<!trở\s)(?<!\w)lên\s+hạng|lọt\s+vào|vươn\s+lên|(?<!\w)(?:chỉ|mới)\s+(?:đạt|xếp|đứng)(?!\w)"
    r"|(?<!để\s)(?<!không\s)(?<!\w)(?:tụt|sụt\s+giảm|rơi\s+xuống)(?!\w)"
    # how much a figure moved ("giảm nhẹ", "tăng mạnh", "tăng vọt"): said of a result
    r"|(?<!\w)(?:tăng|giảm)\s+(?:điểm\s+|hạng\s+)?(?:nhẹ|mạnh|sâu|vọt|đột\s+biến)(?!\w)|" + _STREAK + "|" + _AIM_JUDGED
)
# Cues looked up backwards from a figure (nearest wins): an aim ("t") or a report of results ("p");
# "n" marks aim words used as nouns, which are no cue.
_LOOK_CUE = re.compile(
    r"(?P<n>" + _AIM_NOUN + r")|(?P<j>" + _AIM_JUDGED + r")"
    r"|(?P<t>phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu|đặt\s+ra|đề\s+ra|hướng\s+tới|định\s+hướng|kỳ\s+vọng|quyết\s+tâm|cần\s+đạt"
    r"|phải\s+đạt|(?<!\w)sẽ(?!\w)|tối\s+thiể[uú]|ít\s+nhất|không\s+thấp\s+hơn|trở\s+lên|nâng\s+hạng|(?<!\w)đưa\s+(?:tỉnh|chỉ\s+số)"
    r"|cải\s+thiện\s+(?:vị\s+trí|thứ\s+hạng)|(?<!lọt\s)(?<!\w)vào\s+(?:top|nhóm))"
    r"|(?P<p>(?<!\w)đã(?!\s+(?:được\s+giao|đặt|đề|có\s+kế\s+hoạch|ban\s+hành))(?!\w)|đạt\s+được|năm\s+qua|vừa\s+qua|hiện\s+nay"
    r"|hiện\s+tại|tính\s+đến|cùng\s+kỳ|theo\s+kết\s+quả|kết\s+quả\s+(?:công\s+bố|đánh\s+giá|xếp\s+hạng|điều\s+tra|khảo\s+sát|năm|đạt|phân\s+tích|thực\s+hiện)"
    r"|công\s+bố|tổng\s+kết|sơ\s+kết|theo\s+báo\s+cáo|so\s+với\s+(?:năm\s+)?(?:19|20)\d\d|so\s+với\s+cùng|(?<!\w)tụt|sụt\s+giảm|vươn\s+lên|(?<!\w)từ\s+vị\s+trí"
    r"|(?:vượt|đạt|hoàn\s+thành)\s+(?:và\s+vượt\s+)?(?:các\s+)?chỉ\s+tiêu|(?<!\w)lên\s+hạng|lọt\s+vào|" + _STREAK + ")"
)
# first words of the cues: finding these and trying _LOOK_CUE only there is several times faster
_LOOK_CAND = re.compile(
    r"\b(?:phấn|mục|chỉ|đặt|đề|hướng|định|kỳ|quyết|cần|phải|sẽ|tối|ít|không|trở|nâng|đưa|cải|giữ|vào|đã|đạt|năm|vừa"
    r"|hiện|tính|cùng|theo|kết|công|tổng|sơ|so|tụt|sụt|vươn|từ|vượt|hoàn|lên|lọt|từng|mỗi|ý|nguyện|chưa|lần|trong|\d+)\b"
)
_STRONG_REPORT = re.compile(r"kết\s+quả|theo\s+kết|công\s+bố|tổng\s+kết|sơ\s+kết|theo\s+báo\s+cáo|đạt\s+được|tụt|sụt|vươn\s+lên|vượt|hoàn\s+thành|lọt|không|chưa|năm\s+thứ|lần|\d|từ\s+trước|trong\s+lịch")
# a predicate that closes one subject's statement in a list of several ("PCI thuộc nhóm tốt, PAPI …")
_PREDICATE = re.compile(r"(?<!\w)(?:thuộc|đạt|xếp|nằm|đứng|ở\s+mức|cao\s+hơn|thấp\s+hơn|là|tăng|giảm)(?!\w)")
_AVERAGE = re.compile(r"(?:trung\s+bình|bình\s+quân)\s+(?:của\s+)?(?:cả\s+nước|toàn\s+quốc|chung|các\s+tỉnh|vùng|khu\s+vực)[^.;,\n]{0,25}$")
_NEGATED = re.compile(r"(?<!\w)(?:chưa|không)(?:\s+\S+){0,4}\s*$")
_STRONG_AIM = re.compile(r"phấn\s+đấu|mục\s+tiêu|đặt\s+ra|đề\s+ra|định\s+hướng|kỳ\s+vọng|quyết\s+tâm|cần\s+đạt|phải\s+đạt|nâng\s+hạng")
# a date near the top: "Thứ năm, 18/04/2024", "Ngày đăng 19/04/2023", "…, ngày 14 tháng 7 năm 2022", "date 2022-07"
_PUB_DATE = re.compile(
    r"(?<![\d/])\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?P<y>20\d\d)(?!\d)|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+(?P<y2>20\d\d)"
    r"|date\s+(?P<y3>20\d\d)-\d\d"
)
# Section titles and introducing lines that announce aims or results.
_HEAD_POLARITY = re.compile(
    r"(?P<t>mục\s+tiêu|chỉ\s+tiêu|phấn\s+đấu|nhiệm\s+vụ|yêu\s+cầu|giải\s+pháp)|(?P<p>kết\s+quả|tình\s+hình|thực\s+trạng|đánh\s+giá)"
)
_SUBSET_START = re.compile(r"[\s\-+•*(]*(?:trong\s+đó|riêng|đặc\s+biệt\s+là|nhất\s+là)(?!\w)")
_SUBSET_IN = re.compile(r"(?<!\w)(?:trong\s+đó|riêng|đặc\s+biệt\s+là|nhất\s+là)(?!\w)")
_REF_WORD = re.compile(r"(?<!\w)(?:theo|tại|căn\s+cứ|của\s+(?:chính\s+phủ|thủ\s+tướng|ubnd|ủy\s+ban|tỉnh\s+ủy))(?!\w)")
_FILL_END = re.compile(
    r"(?:^|(?<=[\s(:,]))(?:đạt\s+mức|ở\s+mức|đạt|mức|là|được|bằng|khoảng|phấn\s+đấu|yêu\s+cầu|t[ỷỉ]\s+lệ|còn|lên|xuống|thêm|tăng|giảm|nâng|cải\s+thiện|hạng|:|-)\s*$"
)
_CUE_END = re.compile(
    r"(?:^|(?<=[\s(:,]))(?P<cue>không\s+thấp\s+hơn|không\s+dưới|không\s+ít\s+hơn|ít\s+nhất|tối\s+thiểu|không\s+vượt\s+quá|không\s+quá"
    r"|tối\s+đa|không\s+nhiều\s+hơn|không\s+cao\s+hơn|cao\s+hơn|nhiều\s+hơn|lớn\s+hơn|vượt|trên|hơn|thấp\s+hơn|ít\s+hơn|nhỏ\s+hơn"
    r"|dưới|từ)\s*$"
)
_CUE_CMP = {
    "không thấp hơn": ">=", "không dưới": ">=", "không ít hơn": ">=", "ít nhất": ">=", "tối thiểu": ">=",
    "không vượt quá": "<=", "không quá": "<=", "tối đa": "<=", "không nhiều hơn": "<=", "không cao hơn": "<=",
    "cao hơn": ">", "nhiều hơn": ">", "lớn hơn": ">", "vượt": ">", "trên": ">", "hơn": ">",
    "thấp hơn": "<", "ít hơn": "<", "nhỏ hơn": "<", "dưới": "<", "từ": ">=",
}
_AFTER_UP = re.compile(r"\s*(?:trở\s+lên|trở\s+xuống)")
_REDUCE_BEFORE = re.compile(r"(?:rút\s+ngắn|giảm|cắt\s+giảm|tiết\s+kiệm)(?:\s+\S+){0,3}\s*$")
_DOWN_TO = re.compile(r"(?:giảm|rút\s+ngắn)\s+(?:xuống\s+)?(?:còn|xuống)\s*$")
_DIRECTION_DOWN = re.compile(r"(?:giảm|tụt|xuống)(?:\s+\S+){0,3}\s*$")
_COUNT_ACTION = re.compile(
    r"(?:tổ\s+chức|kiểm\s+tra|xây\s+dựng|thực\s+hiện|ban\s+hành|triển\s+khai|đào\s+tạo|bồi\s+dưỡng|thí\s+điểm|cắt\s+giảm|giảm"
    r"|bãi\s+bỏ|đơn\s+giản\s+(?:hóa|hoá)|phát\s+hành|đăng\s+tải|xuất\s+bản|tuyển\s+dụng|cử|có)\s+(?:(?:được|thêm|khoảng)\s+)?$"
)
_TIME_CONTEXT = re.compile(r"thời\s+gian|thời\s+hạn|giải\s+quyết|trả\s+kết\s+quả|xử\s+lý|cấp|tiếp\s+nhận|rút\s+ngắn")
_TIME_CUE = re.compile(r"(?:trong|vòng|còn|không\s+quá|tối\s+đa|dưới|rút\s+ngắn|giảm|xuống)(?:\s+\S+){0,2}\s*$")
_CHISO = re.compile(r"chỉ\s+số")
_PROVINCE_CAND = re.compile(r"(?:(?<!\w)[Tt]ỉnh|TỈNH|[Tt]hành\s+phố|THÀNH\s+PHỐ)((?:\s+[^\W\d_][^\s,.;:()|/]*){1,4})")
_TOKEN = re.compile(r"[^\W\d_]+")
_LETTER = _TOKEN
