"""Texts for the demo's cases: what businesses of Ho Chi Minh City asked customs in 2020, and how
customs answered. Templates filled by ketnoi.demo.cases with made-up goods, numbers and dates.

Everything here is made up for the demo. The legal documents cited exist and were in force in
2020, but the answers are illustrations, not guidance: do not quote them to a business.

Placeholders ({name}) are filled from the context ketnoi.demo.cases builds for each case:
company, tax_code, address, unit, goods, hs, decl, decl2, date, date2, received, country, form,
fta, agreement, co_no, port, invoice, bill, container, contract, machine, machine_year, material,
product, amount, qty, agency, error, warehouse, contact, letter_no, month, year; in customs' texts
also subject and due.
"""

# How often each topic comes up (share of the year's cases), by topic code (migration 0002).
TOPIC_WEIGHTS = {
    "thu-tuc": 17, "phan-loai-hs": 14, "tri-gia": 7, "thue": 14, "xuat-xu": 10,
    "kiem-tra-chuyen-nganh": 10, "gia-cong-sxxk-chexuat": 10, "kho-bai-cang": 8, "cntt-vnaccs": 8, "khac": 2,
}

# (goods, HS code in the 2020 tariff, kind). The kind picks goods that fit a template.
GOODS = [
    ("máy tính xách tay", "8471.30.20", "electronics"),
    ("bo mạch in đã lắp ráp linh kiện dùng cho máy tính", "8473.30.10", "electronics"),
    ("mạch tích hợp điện tử dạng vi xử lý", "8542.31.00", "electronics"),
    ("điện thoại di động thông minh", "8517.12.00", "electronics"),
    ("màn hình tinh thể lỏng (LCD) 27 inch", "8528.52.00", "electronics"),
    ("pin sạc lithium-ion", "8507.60.90", "electronics"),
    ("dây cáp điện bọc nhựa PVC", "8544.49.41", "electronics"),
    ("tấm quang điện (pin năng lượng mặt trời) dạng mô-đun", "8541.40.22", "electronics"),
    ("robot công nghiệp dùng trong dây chuyền lắp ráp", "8479.50.00", "machine"),
    ("máy phay CNC điều khiển số", "8459.61.00", "machine"),
    ("máy may công nghiệp", "8452.29.00", "machine"),
    ("máy ép phun nhựa", "8477.10.39", "machine"),
    ("hạt nhựa polypropylen (PP) nguyên sinh", "3902.10.40", "material"),
    ("vải dệt thoi 100% bông, đã in", "5208.52.90", "material"),
    ("da bò thuộc đã hoàn thiện", "4107.92.00", "material"),
    ("thép không gỉ cán nguội dạng cuộn", "7219.33.00", "material"),
    ("gỗ thông xẻ (Pinus radiata) đã sấy", "4407.11.00", "material"),
    ("axit sunfuric kỹ thuật", "2807.00.00", "material"),
    ("phân bón NPK dạng hạt", "3105.20.00", "material"),
    ("sữa bột công thức cho trẻ dưới 12 tháng tuổi", "1901.10.20", "food"),
    ("thịt bò không xương đông lạnh", "0202.30.00", "food"),
    ("táo tươi", "0808.10.00", "food"),
    ("nho tươi", "0806.10.00", "food"),
    ("thực phẩm bảo vệ sức khỏe dạng viên nang", "2106.90.99", "food"),
    ("thức ăn hỗn hợp cho tôm", "2309.90.20", "food"),
    ("cà phê nhân Robusta chưa rang", "0901.11.10", "food"),
    ("hạt điều nhân", "0801.32.00", "food"),
    ("tôm thẻ chân trắng đông lạnh", "0306.17.19", "food"),
    ("kem dưỡng da mặt", "3304.99.30", "consumer"),
    ("khẩu trang y tế 3 lớp", "6307.90.40", "consumer"),
    ("dung dịch rửa tay sát khuẩn", "3808.94.90", "consumer"),
    ("giày thể thao đế cao su, mũ giày bằng vải", "6404.11.10", "consumer"),
    ("bàn ghế bằng gỗ dùng trong văn phòng", "9403.30.00", "consumer"),
    ("má phanh ô tô đã lắp", "8708.30.29", "consumer"),
    ("máy đo huyết áp điện tử", "9018.90.30", "consumer"),
]

# Used machinery: Quyết định 18/2019/QĐ-TTg (in force from 15/6/2019) on imported used machinery.
MACHINES = [
    "máy ép phun nhựa 350 tấn", "dây chuyền chiết rót đóng chai", "máy dệt kim tròn", "máy tiện CNC",
    "máy in offset 4 màu", "máy nén khí trục vít", "máy xúc đào bánh xích", "lò hơi công nghiệp",
    "máy cắt laser kim loại", "dây chuyền sơn tĩnh điện",
]

# (form, free trade agreement, agreement in Vietnamese, countries)
ORIGIN_FORMS = [
    ("E", "ACFTA", "Hiệp định thương mại hàng hóa ASEAN – Trung Quốc", ["Trung Quốc"]),
    ("D", "ATIGA", "Hiệp định thương mại hàng hóa ASEAN", ["Thái Lan", "Malaysia", "Indonesia", "Singapore", "Philippines"]),
    ("AK", "AKFTA", "Hiệp định thương mại hàng hóa ASEAN – Hàn Quốc", ["Hàn Quốc"]),
    ("VK", "VKFTA", "Hiệp định thương mại tự do Việt Nam – Hàn Quốc", ["Hàn Quốc"]),
    ("AJ", "AJCEP", "Hiệp định đối tác kinh tế toàn diện ASEAN – Nhật Bản", ["Nhật Bản"]),
    ("VJ", "VJEPA", "Hiệp định đối tác kinh tế Việt Nam – Nhật Bản", ["Nhật Bản"]),
    ("AI", "AIFTA", "Hiệp định thương mại hàng hóa ASEAN – Ấn Độ", ["Ấn Độ"]),
    ("EUR.1", "EVFTA", "Hiệp định thương mại tự do Việt Nam – Liên minh châu Âu", ["Đức", "Pháp", "Italia", "Hà Lan"]),
]

PORTS = ["cảng Cát Lái", "cảng Hiệp Phước", "cảng Sài Gòn khu vực Khánh Hội", "cảng Bến Nghé",
         "cảng VICT", "cảng Tân Cảng – Phú Hữu", "sân bay quốc tế Tân Sơn Nhất", "cảng SPCT"]
WAREHOUSES = ["kho ngoại quan Tân Cảng – Long Bình", "kho CFS Tân Cảng – Cát Lái", "kho ngoại quan Sotrans",
              "kho hàng không TCS", "kho ngoại quan Transimex", "kho CFS Gemadept"]
AGENCIES = [
    "Chi cục Kiểm dịch thực vật vùng II", "Chi cục Thú y vùng VI", "Cục An toàn thực phẩm – Bộ Y tế",
    "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng 3 (Quatest 3)", "Viện Pasteur TP. Hồ Chí Minh",
    "Cục Quản lý Dược – Bộ Y tế",
]
PRODUCTS = ["áo sơ mi nam", "quần jeans", "giày thể thao", "túi xách da", "bo mạch điều khiển",
            "bàn ghế gỗ ngoài trời", "linh kiện điện tử", "vỏ hộp nhựa", "găng tay bảo hộ", "balô"]
MATERIALS = ["vải chính 100% polyester", "da bò thuộc", "hạt nhựa ABS", "chỉ may", "nút, khóa kéo",
             "gỗ thông xẻ sấy", "linh kiện SMD", "keo dán công nghiệp", "mút xốp PU", "thép tấm cán nguội"]
# VNACCS situations a business describes (the system of Vietnam Customs since 2014).
VNACCS_ERRORS = [
    "tờ khai đã được thông quan nhưng trên Cổng thông tin vẫn hiển thị trạng thái “chưa thông quan”",
    "hệ thống báo lỗi chữ ký số không hợp lệ dù chứng thư số vẫn còn hiệu lực",
    "đã nộp thuế qua ngân hàng phối hợp thu nhưng hệ thống chưa ghi nhận, tờ khai chưa được thông quan",
    "không in được danh sách container đủ điều kiện qua khu vực giám sát",
    "khai sửa đổi bằng nghiệp vụ IDA01 nhưng hệ thống không trả về thông tin phản hồi",
    "tờ khai bị dừng ở trạng thái chờ phân luồng quá 4 giờ",
    "đăng ký danh mục miễn thuế bằng nghiệp vụ TEA bị từ chối, thông báo lỗi không rõ nguyên nhân",
    "khai nhầm mã loại hình E31 thành A12, hệ thống không cho hủy tờ khai",
    "không truy xuất được tờ khai xuất khẩu để làm thủ tục hoàn thuế",
    "thông báo lỗi trùng số hóa đơn khi khai tờ khai thứ hai của cùng lô hàng",
]
FORWARD_BODIES = [
    ("Cục Thuế TP. Hồ Chí Minh", "vướng mắc về thuế giá trị gia tăng khâu nội địa và hóa đơn điện tử thuộc thẩm quyền của cơ quan thuế nội địa"),
    ("Sở Công Thương TP. Hồ Chí Minh", "vướng mắc về giấy phép kinh doanh, quyền phân phối thuộc thẩm quyền của Sở Công Thương"),
    ("Cục Bảo vệ thực vật – Bộ Nông nghiệp và Phát triển nông thôn", "vướng mắc về thủ tục cấp giấy chứng nhận kiểm dịch thực vật thuộc thẩm quyền của cơ quan kiểm dịch"),
    ("Cục An toàn thực phẩm – Bộ Y tế", "vướng mắc về hồ sơ tự công bố sản phẩm thực phẩm thuộc thẩm quyền của Bộ Y tế"),
    ("Bảo hiểm xã hội TP. Hồ Chí Minh", "vướng mắc về đóng bảo hiểm xã hội cho người lao động, không thuộc lĩnh vực hải quan"),
    ("Ban Quản lý các Khu chế xuất và công nghiệp TP. Hồ Chí Minh", "vướng mắc về điều chỉnh giấy chứng nhận đầu tư của doanh nghiệp chế xuất thuộc thẩm quyền của Ban Quản lý"),
    ("Tổng cục Hải quan", "vướng mắc đề nghị sửa đổi quy định tại Thông tư, vượt thẩm quyền của Cục, cần Tổng cục hướng dẫn thống nhất"),
]
# (to, reason) of the forwarded case of the demo `business` login.
FORWARDED_EXAMPLE = ("Cục Thuế TP. Hồ Chí Minh", "Nội dung hỏi về hóa đơn điện tử và thuế giá trị gia tăng khâu nội địa, "
                     "thuộc thẩm quyền của cơ quan thuế. Chuyển Cục Thuế TP. Hồ Chí Minh giải quyết theo thẩm quyền.")

# --- what the business writes ------------------------------------------------------------------

OPENINGS = [
    "{company} (mã số thuế {tax_code}) xin trình bày vướng mắc như sau:",
    "Kính gửi {unit}.\n\n{company}, mã số thuế {tax_code}, có vướng mắc cần được hướng dẫn:",
    "Chúng tôi là {company} (MST {tax_code}), thường xuyên làm thủ tục tại {unit}. Công ty có vướng mắc như sau:",
    "Kính gửi Quý Cơ quan Hải quan,\n\n{company} (MST {tax_code}) xin nêu vướng mắc sau:",
]
CLOSINGS = [
    "Kính đề nghị Quý Chi cục xem xét, hướng dẫn để Công ty thực hiện đúng quy định.\n\nTrân trọng cảm ơn.",
    "Công ty rất mong nhận được hướng dẫn sớm vì hàng đang lưu tại cảng, phát sinh chi phí lưu container.\n\nTrân trọng.",
    "Rất mong Quý Cơ quan hướng dẫn cụ thể hồ sơ, thủ tục cần thực hiện.\n\nXin chân thành cảm ơn.",
    "Công ty xin cảm ơn và mong nhận được phản hồi trong thời gian sớm nhất.",
]
# A case staff enter on behalf of a business starts with where it came from.
CHANNEL_PREFIX = {
    "phone": "Tiếp nhận qua đường dây nóng ngày {received}: ông/bà {contact}, nhân viên xuất nhập khẩu của {company}, trình bày:",
    "letter": "Theo Công văn số {letter_no}/CV-XNK ngày {date2} của {company} (MST {tax_code}) gửi Cục Hải quan TP. Hồ Chí Minh:",
    "email": "Nội dung thư điện tử {company} gửi hộp thư hỗ trợ doanh nghiệp ngày {received}:",
    "dialogue": "Vướng mắc {company} nêu tại chương trình “Cà phê sáng cùng doanh nghiệp” tháng {month}/{year} do Cục Hải quan TP. Hồ Chí Minh tổ chức:",
}

# Per topic: (subject, situation, answer). The situation is the middle of the description; the
# answer is the index of customs' answer to it in ANSWERS[topic].
CASES = {
    "thu-tuc": [
        ("Thủ tục nhập khẩu hàng mẫu không thanh toán",
         "Công ty nhận một lô hàng mẫu {goods} từ đối tác tại {country}, không thanh toán, dùng để thử nghiệm trước khi ký hợp đồng. "
         "Lô hàng về {port} ngày {date}. Công ty chưa rõ hàng mẫu có phải khai tờ khai hải quan như hàng thương mại không, "
         "mã loại hình nào và có phải nộp thuế không.", 0),
        ("Khai bổ sung tờ khai {decl} sau thông quan do sai trị giá hóa đơn",
         "Ngày {date}, Công ty đăng ký tờ khai nhập khẩu số {decl} tại {unit} cho mặt hàng {goods}. Sau khi hàng được thông quan, "
         "người bán gửi hóa đơn điều chỉnh số {invoice} làm thay đổi trị giá lô hàng. Công ty muốn biết thời hạn và cách khai bổ sung "
         "(nghiệp vụ AMA) và có bị xử phạt vi phạm hành chính không.", 1),
        ("Hủy tờ khai xuất khẩu {decl} do hàng không xuất được",
         "Công ty đăng ký tờ khai xuất khẩu số {decl} ngày {date} nhưng hãng tàu hủy chuyến, hàng chưa đưa vào khu vực giám sát "
         "hải quan. Nay Công ty cần hủy tờ khai để khai lại theo chuyến tàu mới. Đề nghị hướng dẫn hồ sơ và thời hạn hủy tờ khai.", 2),
        ("Đưa hàng về bảo quản đối với lô {goods} phải kiểm tra chất lượng",
         "Lô hàng {goods} (tờ khai {decl}) thuộc danh mục phải kiểm tra nhà nước về chất lượng. Thời gian chờ kết quả kiểm tra kéo dài, "
         "Công ty đề nghị được đưa hàng về kho riêng tại {address} để bảo quản. Xin hướng dẫn điều kiện và hồ sơ.", 3),
        ("Thủ tục tạm nhập tái xuất máy móc để sửa chữa",
         "Công ty có một {machine} bị hỏng cần gửi về hãng tại {country} sửa chữa rồi nhập khẩu trở lại. "
         "Xin hướng dẫn thủ tục tạm xuất tái nhập, loại hình khai báo, và việc tính thuế đối với phần chi phí sửa chữa.", 4),
        ("Chuyển mục đích sử dụng hàng đã nhập khẩu miễn thuế",
         "Năm {machine_year}, Công ty nhập khẩu miễn thuế {goods} để tạo tài sản cố định (tờ khai {decl}). Nay Công ty muốn bán lại "
         "một phần cho doanh nghiệp khác trong nước. Đề nghị hướng dẫn thủ tục chuyển mục đích sử dụng và cách tính thuế.", 5),
        ("Nộp chậm chứng từ bản gốc trong hồ sơ hải quan",
         "Do ảnh hưởng của dịch Covid-19, bản gốc một số chứng từ (giấy phép, giấy chứng nhận kiểm dịch) của lô hàng thuộc tờ khai {decl} "
         "chưa về kịp. Công ty xin được nộp bản chụp và bổ sung bản gốc sau. Xin hỏi thời hạn nộp bổ sung là bao lâu.", 6),
        ("Khai hải quan cho hàng nhập khẩu gửi nhiều vận đơn",
         "Lô hàng {goods} của Công ty về {port} ngày {date} gồm 3 vận đơn (trong đó có vận đơn {bill}) nhưng chỉ có một hóa đơn thương mại. "
         "Công ty có được khai trên một tờ khai không, hay phải tách thành nhiều tờ khai?", 7),
        ("Thủ tục xuất khẩu tại chỗ cho doanh nghiệp chế xuất",
         "Công ty bán {product} cho một doanh nghiệp chế xuất trong KCX Tân Thuận, hàng giao tại kho của bên mua. "
         "Công ty chưa rõ bên nào khai tờ khai xuất khẩu tại chỗ, bên nào khai nhập khẩu, và thời hạn khai báo của mỗi bên.", 8),
        ("Thời hạn nộp hồ sơ hải quan khi thay đổi cảng xếp hàng",
         "Lô hàng xuất khẩu theo tờ khai {decl} dự kiến xếp tại {port} nhưng hãng tàu đổi sang cảng khác. "
         "Công ty có phải khai sửa đổi tờ khai (nghiệp vụ AMA hoặc khai sửa trước thông quan) không và cần làm gì với container {container} đã hạ bãi?", 9),
    ],
    "phan-loai-hs": [
        ("Phân loại mã HS mặt hàng {goods}",
         "Công ty nhập khẩu {goods} từ {country}. Khi khai báo Công ty áp mã {hs}, tuy nhiên nhà cung cấp và một số doanh nghiệp khác "
         "khai mã khác, dẫn đến thuế suất khác nhau. Đề nghị Chi cục hướng dẫn mã HS đúng cho mặt hàng này.", 0),
        ("Xác định trước mã số hàng hóa đối với {goods}",
         "Công ty dự kiến nhập khẩu thường xuyên {goods}. Để ổn định việc khai báo, Công ty muốn đề nghị xác định trước mã số. "
         "Xin hướng dẫn hồ sơ, mẫu đơn và thời hạn cơ quan hải quan ban hành văn bản thông báo kết quả xác định trước.", 1),
        ("Kết quả phân tích phân loại khác với mã Công ty khai tại tờ khai {decl}",
         "Lô hàng {goods} thuộc tờ khai {decl} bị lấy mẫu phân tích. Thông báo kết quả phân tích phân loại xác định mã khác với mã {hs} "
         "Công ty đã khai. Công ty không đồng ý với kết quả vì hàng có cấu tạo và công dụng như tài liệu kỹ thuật đính kèm. "
         "Xin hướng dẫn thủ tục đề nghị xem xét lại kết quả phân loại.", 3),
        ("Phân loại máy móc ở dạng tháo rời nhập khẩu nhiều chuyến",
         "Công ty nhập khẩu một {machine} ở dạng tháo rời, chia làm nhiều chuyến hàng do kích thước lớn. Công ty muốn biết có được "
         "phân loại theo máy nguyên chiếc (Quy tắc 2a) và áp một mã HS cho tất cả các chuyến không.", 2),
        ("Mã HS cho bộ hàng gồm nhiều mặt hàng đóng gói bán lẻ",
         "Công ty nhập bộ sản phẩm gồm {goods} và phụ kiện đi kèm, đóng chung một hộp để bán lẻ. Công ty nên áp mã cho cả bộ "
         "theo mặt hàng tạo nên đặc trưng cơ bản hay khai riêng từng mặt hàng?", 4),
        ("Phân loại {goods} nhập khẩu phục vụ phòng chống dịch Covid-19",
         "Công ty nhập khẩu {goods} phục vụ phòng chống dịch. Theo Công ty mặt hàng thuộc mã {hs}. Xin xác nhận mã HS và cho biết "
         "mặt hàng có thuộc danh mục được miễn thuế, ưu tiên thông quan trong thời gian dịch bệnh không.", 5),
        ("Áp mã HS linh kiện nhập khẩu để lắp ráp {product}",
         "Công ty nhập khẩu linh kiện để lắp ráp {product}, trong đó có {goods}. Một số linh kiện chuyên dùng cho sản phẩm, "
         "một số dùng chung. Đề nghị hướng dẫn nguyên tắc phân loại bộ phận, phụ tùng (Chú giải phần XVI) cho trường hợp này.", 6),
        ("Chênh lệch mã HS giữa hai lần nhập khẩu cùng một mặt hàng",
         "Với cùng mặt hàng {goods}, tờ khai {decl} được chấp nhận mã {hs}, nhưng tờ khai {decl2} sau đó bị yêu cầu khai mã khác. "
         "Công ty đề nghị được hướng dẫn mã thống nhất để tránh bị truy thu, xử phạt.", 7),
    ],
    "tri-gia": [
        ("Xác định trị giá hải quan đối với {machine} đã qua sử dụng",
         "Công ty nhập khẩu {machine} đã qua sử dụng, sản xuất năm {machine_year}, mua lại từ công ty mẹ tại {country} với giá {amount}. "
         "Cơ quan hải quan nghi vấn trị giá khai báo. Xin hướng dẫn hồ sơ chứng minh trị giá và việc tham vấn.", 0),
        ("Tham vấn trị giá lô hàng {goods} thuộc tờ khai {decl}",
         "Tờ khai {decl} bị thông báo nghi vấn trị giá và yêu cầu tham vấn. Công ty đã cung cấp hợp đồng, hóa đơn, chứng từ thanh toán. "
         "Công ty muốn biết thời hạn tham vấn, hồ sơ cần có và có được giải phóng hàng trong thời gian chờ xác định trị giá không.", 1),
        ("Khoản phí bản quyền có phải cộng vào trị giá hải quan không",
         "Công ty nhập khẩu {goods} của công ty mẹ và trả phí bản quyền nhãn hiệu hằng năm theo doanh thu bán hàng trong nước. "
         "Khoản phí này có phải cộng vào trị giá hải quan hàng nhập khẩu không, và nếu có thì khai bổ sung thế nào?", 2),
        ("Giảm giá theo số lượng có được trừ khỏi trị giá hải quan",
         "Theo hợp đồng, người bán giảm giá 5% nếu tổng lượng mua trong năm đạt {qty}. Khoản giảm giá được thể hiện trên hóa đơn {invoice} "
         "của lô cuối năm. Công ty có được trừ khoản giảm giá này khi xác định trị giá tính thuế không?", 3),
        ("Phí vận chuyển nội địa nước xuất khẩu và trị giá tính thuế",
         "Công ty mua hàng theo điều kiện EXW tại {country}. Chi phí vận chuyển từ kho người bán đến cảng xếp hàng do Công ty trả riêng. "
         "Xin hướng dẫn các khoản phải cộng vào trị giá hải quan của lô hàng thuộc tờ khai {decl}.", 4),
        ("Trị giá hải quan hàng nhập khẩu có quan hệ đặc biệt giữa người mua và người bán",
         "Công ty và người bán tại {country} cùng thuộc một tập đoàn. Công ty muốn biết cần chứng minh thế nào để trị giá giao dịch "
         "được chấp nhận, tránh bị xác định trị giá theo phương pháp khác.", 5),
    ],
    "thue": [
        ("Hoàn thuế nhập khẩu nguyên liệu sản xuất hàng xuất khẩu",
         "Công ty nhập khẩu {material} theo loại hình E31 (tờ khai {decl}) để sản xuất {product} xuất khẩu. Do thay đổi kế hoạch, "
         "một phần nguyên liệu được nhập theo loại hình A12 và đã nộp thuế. Nay sản phẩm đã xuất khẩu (tờ khai {decl2}). "
         "Công ty đề nghị hướng dẫn hồ sơ hoàn thuế nhập khẩu đã nộp.", 0),
        ("Miễn thuế hàng nhập khẩu tạo tài sản cố định của dự án đầu tư",
         "Dự án của Công ty thuộc lĩnh vực ưu đãi đầu tư. Công ty dự kiến nhập khẩu {machine} để tạo tài sản cố định. "
         "Xin hướng dẫn thủ tục thông báo danh mục miễn thuế trên hệ thống và hồ sơ kèm theo.", 1),
        ("Hoàn thuế hàng tạm nhập tái xuất chưa qua sử dụng",
         "Công ty nhập khẩu {goods} (tờ khai {decl}) và đã nộp thuế, nhưng hàng không đúng hợp đồng nên phải tái xuất trả lại người bán "
         "(tờ khai {decl2}). Công ty có được hoàn thuế nhập khẩu đã nộp không, hồ sơ gồm những gì?", 2),
        ("Gia hạn nộp thuế do ảnh hưởng dịch Covid-19",
         "Do ảnh hưởng của dịch Covid-19, hoạt động sản xuất của Công ty bị gián đoạn, doanh thu giảm mạnh. Công ty có số thuế nhập khẩu "
         "phải nộp của tờ khai {decl} là {amount}. Xin hỏi Công ty có thuộc trường hợp được gia hạn nộp thuế không.", 3),
        ("Không thu thuế đối với hàng xuất khẩu bị trả lại",
         "Lô hàng {product} xuất khẩu theo tờ khai {decl} bị khách hàng trả lại do lỗi kỹ thuật. Công ty nhập khẩu trở lại để tái chế. "
         "Xin hướng dẫn thủ tục để được không thu thuế nhập khẩu đối với hàng bị trả lại.", 5),
        ("Tiền chậm nộp khi khai bổ sung tăng số thuế phải nộp",
         "Sau kiểm tra sau thông quan, Công ty tự phát hiện khai thiếu thuế tại tờ khai {decl}. Công ty muốn khai bổ sung và nộp số thuế "
         "còn thiếu. Xin hỏi cách tính tiền chậm nộp và Công ty có bị xử phạt không nếu tự phát hiện.", 6),
        ("Áp dụng thuế suất ưu đãi đặc biệt khi C/O nộp sau",
         "Lô hàng {goods} (tờ khai {decl}) có xuất xứ {country}, khi làm thủ tục Công ty chưa có C/O mẫu {form} nên đã nộp thuế theo "
         "thuế suất ưu đãi (MFN). Nay đã có C/O số {co_no}. Công ty có được hoàn lại phần thuế chênh lệch không?", 7),
        ("Hoàn thuế giá trị gia tăng hàng nhập khẩu đã nộp thừa",
         "Tại tờ khai {decl}, Công ty khai nhầm thuế suất thuế giá trị gia tăng 10% thay vì 5% cho mặt hàng {goods} và đã nộp. "
         "Xin hướng dẫn thủ tục xử lý số tiền thuế nộp thừa.", 4),
    ],
    "xuat-xu": [
        ("C/O mẫu {form} có sai sót nhỏ về tên hàng",
         "Lô hàng {goods} nhập khẩu từ {country} (tờ khai {decl}) có C/O mẫu {form} số {co_no}. Mô tả hàng trên C/O thiếu một từ so với "
         "hóa đơn thương mại nhưng mã HS và số lượng trùng khớp. Cơ quan hải quan có chấp nhận C/O để áp thuế suất ưu đãi đặc biệt không?", 0),
        ("Nộp bổ sung C/O mẫu {form} sau khi thông quan",
         "Khi làm thủ tục cho tờ khai {decl}, Công ty chưa có bản gốc C/O mẫu {form} do nhà cung cấp gửi chậm. Công ty đã khai "
         "việc nộp bổ sung C/O. Xin hỏi thời hạn nộp bổ sung và thủ tục để được áp dụng thuế suất theo {fta}.", 1),
        ("C/O mẫu {form} cấp sau (issued retroactively) có được chấp nhận",
         "C/O mẫu {form} số {co_no} của lô hàng {goods} được cấp sau ngày xếp hàng 5 ngày, có đánh dấu “Issued Retroactively”. "
         "Đề nghị hướng dẫn điều kiện để C/O này được chấp nhận.", 2),
        ("Hàng quá cảnh nước thứ ba có còn được hưởng ưu đãi {fta}",
         "Lô hàng có xuất xứ {country} được vận chuyển qua Singapore, chuyển tải sang tàu khác trước khi về {port}. Công ty cần nộp "
         "những chứng từ gì để chứng minh vận chuyển trực tiếp và được hưởng ưu đãi theo {fta}?", 3),
        ("Chứng từ tự chứng nhận xuất xứ theo Hiệp định EVFTA",
         "Từ ngày 01/8/2020 Hiệp định EVFTA có hiệu lực. Đối tác tại {country} gửi chứng từ tự chứng nhận xuất xứ trên hóa đơn thay vì EUR.1. "
         "Công ty muốn biết chứng từ này có được chấp nhận và cần điều kiện gì về mã số nhà xuất khẩu đăng ký (REX).", 4),
        ("Xác định xuất xứ hàng xuất khẩu để xin C/O",
         "Công ty sản xuất {product} từ nguyên liệu nhập khẩu ({material}) và nguyên liệu trong nước, xuất khẩu sang {country}. "
         "Công ty cần hướng dẫn cách chứng minh tiêu chí xuất xứ và hồ sơ lưu để được cấp C/O mẫu {form}.", 5),
        ("Chữ ký trên C/O mẫu {form} khác mẫu chữ ký đã thông báo",
         "Tờ khai {decl}: cơ quan hải quan từ chối C/O mẫu {form} số {co_no} vì chữ ký không khớp với mẫu chữ ký của tổ chức cấp. "
         "Công ty xin hướng dẫn thủ tục xác minh C/O và việc thông quan hàng trong thời gian chờ xác minh.", 6),
    ],
    "kiem-tra-chuyen-nganh": [
        ("Kiểm dịch thực vật đối với lô {goods} nhập khẩu",
         "Lô hàng {goods} từ {country} về {port} ngày {date}. Công ty đã đăng ký kiểm dịch tại {agency} qua Cổng thông tin một cửa quốc gia "
         "nhưng chưa có kết quả. Xin hỏi Công ty có được đăng ký tờ khai và đưa hàng về bảo quản trong thời gian chờ kết quả không.", 0),
        ("Kiểm tra an toàn thực phẩm đối với {goods}",
         "Công ty nhập khẩu {goods} lần đầu. Sản phẩm đã tự công bố theo quy định. Công ty chưa rõ lô hàng áp dụng phương thức kiểm tra "
         "thông thường hay kiểm tra chặt, và {agency} có phải là cơ quan kiểm tra không.", 1),
        ("Miễn kiểm tra an toàn thực phẩm cho hàng mẫu",
         "Công ty nhập {qty} {goods} làm mẫu để thử nghiệm, không tiêu thụ trên thị trường. Xin hỏi lô hàng có được miễn kiểm tra "
         "nhà nước về an toàn thực phẩm không và cần chứng từ gì khi làm thủ tục hải quan.", 1),
        ("Kiểm tra chất lượng {machine} đã qua sử dụng",
         "Công ty nhập khẩu {machine} đã qua sử dụng, sản xuất năm {machine_year}. Công ty cần hướng dẫn về giấy chứng nhận giám định "
         "tuổi thiết bị và điều kiện nhập khẩu theo Quyết định 18/2019/QĐ-TTg.", 2),
        ("Giấy phép nhập khẩu {goods}",
         "Công ty dự kiến nhập khẩu {goods} (mã {hs}). Công ty chưa rõ mặt hàng có phải xin giấy phép nhập khẩu hoặc đăng ký lưu hành "
         "trước khi nhập khẩu không, và cơ quan nào cấp.", 3),
        ("Kết quả kiểm tra chuyên ngành về chậm, hàng lưu bãi lâu",
         "Lô hàng {goods} (tờ khai {decl}) đã lấy mẫu kiểm tra tại {agency} từ ngày {date} nhưng đến nay chưa có kết quả. Hàng lưu bãi "
         "tại {port} phát sinh chi phí lớn. Công ty đề nghị hỗ trợ, hướng dẫn.", 4),
        ("Kiểm dịch động vật thịt đông lạnh nhập khẩu",
         "Công ty nhập khẩu {goods} từ {country}. Xin hỏi doanh nghiệp và cơ sở xuất khẩu phải có tên trong danh sách được phép xuất khẩu "
         "vào Việt Nam không, và thủ tục kiểm dịch tại cửa khẩu thực hiện thế nào.", 5),
    ],
    "gia-cong-sxxk-chexuat": [
        ("Báo cáo quyết toán nguyên liệu gia công năm {year}",
         "Công ty thực hiện hợp đồng gia công {contract} với đối tác tại {country}, sản phẩm là {product}. Khi lập báo cáo quyết toán "
         "theo mẫu 15/BCQT-NVL/GSQL, số liệu tồn kho theo sổ sách kế toán chênh lệch với số liệu xuất nhập khẩu. Xin hướng dẫn xử lý.", 0),
        ("Xử lý nguyên liệu dư thừa khi kết thúc hợp đồng gia công {contract}",
         "Hợp đồng gia công {contract} kết thúc, còn dư {material}. Bên đặt gia công đồng ý để Công ty mua lại. Đề nghị hướng dẫn thủ tục "
         "bán nguyên liệu dư thừa vào nội địa và nghĩa vụ thuế.", 1),
        ("Thông báo cơ sở sản xuất của doanh nghiệp sản xuất xuất khẩu",
         "Công ty mở thêm nhà xưởng tại {address} để sản xuất {product} xuất khẩu. Xin hỏi Công ty có phải thông báo cơ sở sản xuất "
         "và chịu kiểm tra cơ sở sản xuất, năng lực sản xuất trước khi nhập khẩu nguyên liệu không.", 2),
        ("Doanh nghiệp chế xuất bán hàng vào nội địa",
         "Công ty là doanh nghiệp chế xuất trong KCX Linh Trung, có một lô {product} bị lỗi không xuất khẩu được. Công ty muốn bán vào "
         "nội địa. Xin hướng dẫn thủ tục và cách tính thuế đối với lô hàng này.", 3),
        ("Định mức sử dụng nguyên liệu thay đổi trong kỳ",
         "Do thay đổi mẫu mã {product}, định mức sử dụng {material} thay đổi so với định mức đã lưu. Công ty có phải thông báo lại định mức "
         "với cơ quan hải quan không và lưu giữ hồ sơ thế nào?", 4),
        ("Gia công lại một công đoạn cho doanh nghiệp khác",
         "Công ty nhận gia công {product} nhưng giao một công đoạn (in, thêu) cho doanh nghiệp khác thực hiện. Xin hỏi việc đưa nguyên liệu "
         "đi gia công lại có phải khai báo với cơ quan hải quan không.", 5),
        ("Tiêu hủy phế liệu, phế phẩm của doanh nghiệp chế xuất",
         "Công ty có phế liệu, phế phẩm phát sinh từ sản xuất {product} (khoảng {qty}). Xin hướng dẫn thủ tục tiêu hủy dưới sự giám sát của "
         "cơ quan hải quan và hồ sơ cần lưu.", 6),
    ],
    "kho-bai-cang": [
        ("Đưa hàng vào kho ngoại quan để chờ xuất khẩu",
         "Công ty muốn đưa {goods} từ nội địa vào {warehouse} để chờ xuất khẩu sang {country}. Xin hướng dẫn thủ tục đưa hàng vào kho "
         "ngoại quan và thời hạn hàng được lưu giữ trong kho.", 0),
        ("Vận chuyển hàng quá cảnh sang Campuchia qua cảng Cát Lái",
         "Công ty là đại lý vận tải, nhận vận chuyển container {container} chứa {goods} quá cảnh từ cảng Cát Lái sang Campuchia "
         "qua cửa khẩu Mộc Bài. Đề nghị hướng dẫn thủ tục khai báo vận chuyển độc lập và thời gian vận chuyển được phép.", 1),
        ("Hàng chuyển phát nhanh trị giá thấp có được miễn thuế",
         "Công ty nhận qua dịch vụ chuyển phát nhanh một kiện {goods} trị giá 850.000 đồng gửi từ {country}. Xin hỏi lô hàng có được miễn thuế "
         "theo mức giá trị hàng hóa gửi qua dịch vụ chuyển phát nhanh không và khai trên tờ khai nào.", 2),
        ("Hàng tồn đọng quá 90 ngày tại cảng",
         "Lô hàng {goods} (vận đơn {bill}) về {port} từ ngày {date}, người nhận chưa làm thủ tục. Hãng tàu thông báo hàng sẽ bị xử lý như "
         "hàng tồn đọng. Công ty là người nhận hàng, xin hướng dẫn thủ tục để nhận lại lô hàng.", 3),
        ("Soi chiếu container tại cảng kéo dài thời gian giao hàng",
         "Container {container} của tờ khai {decl} được chỉ định soi chiếu. Thời gian chờ soi chiếu tại {port} kéo dài 2 ngày. "
         "Công ty đề nghị được biết quy trình và thời gian xử lý để chủ động kế hoạch giao hàng.", 4),
        ("Thủ tục thay đổi cửa khẩu xuất đối với hàng đã hạ bãi",
         "Hàng xuất khẩu theo tờ khai {decl} đã hạ bãi tại {port} nhưng do thay đổi tàu, Công ty muốn chuyển sang xuất tại cảng khác. "
         "Xin hướng dẫn thủ tục chuyển cửa khẩu và giám sát hải quan khi vận chuyển.", 5),
        ("Khai báo hàng chuyển phát nhanh là quà biếu tặng",
         "Công ty nhận qua chuyển phát nhanh một lô {goods} là quà tặng của đối tác tại {country}. Xin hỏi định mức miễn thuế quà biếu, "
         "quà tặng cho tổ chức và chứng từ cần nộp.", 6),
    ],
    "cntt-vnaccs": [
        ("Lỗi hệ thống VNACCS đối với tờ khai {decl}",
         "Ngày {date}, khi làm thủ tục cho tờ khai {decl}, Công ty gặp tình trạng: {error}. Công ty đã liên hệ nhà cung cấp phần mềm "
         "khai báo nhưng chưa khắc phục được.", 0),
        ("Tờ khai {decl} hiển thị sai trạng thái trên Cổng thông tin",
         "Tờ khai {decl} đã được thông quan nhưng khi tra cứu trên Cổng thông tin điện tử Hải quan, trạng thái vẫn là “chờ duyệt”. "
         "Doanh nghiệp vận tải không thể đưa hàng qua khu vực giám sát. Đề nghị kiểm tra, cập nhật.", 4),
        ("Đăng ký chữ ký số mới với cơ quan hải quan",
         "Chứng thư số của Công ty hết hạn, Công ty đã gia hạn và được cấp chứng thư mới. Tuy nhiên khi khai báo hệ thống báo "
         "chữ ký số chưa được đăng ký. Xin hướng dẫn thủ tục đăng ký lại chữ ký số.", 1),
        ("Nộp thuế điện tử 24/7 nhưng chưa được cập nhật",
         "Công ty đã nộp {amount} tiền thuế cho tờ khai {decl} qua dịch vụ nộp thuế điện tử và thông quan 24/7 lúc 20 giờ ngày {date}, "
         "tài khoản đã bị trừ tiền nhưng hệ thống chưa ghi nhận. Hàng chưa được thông quan.", 2),
        ("Không tra cứu được thông tin nợ thuế của doanh nghiệp",
         "Khi tra cứu nợ thuế trên Cổng thông tin điện tử, hệ thống báo Công ty còn nợ thuế của tờ khai {decl} dù đã nộp đủ. "
         "Công ty bị cưỡng chế, không đăng ký được tờ khai mới. Đề nghị kiểm tra và xử lý gấp.", 5),
        ("Khai sai số container trên tờ khai điện tử",
         "Tờ khai {decl} khai sai số container ({container}), dẫn đến không lấy được danh sách container đủ điều kiện qua khu vực giám sát. "
         "Công ty đề nghị hướng dẫn cách sửa thông tin trên hệ thống.", 3),
    ],
    "khac": [
        ("Đề nghị tổ chức tập huấn quy định mới về xuất xứ hàng hóa",
         "Nhiều quy định mới về xuất xứ và các hiệp định thương mại tự do có hiệu lực trong năm {year}. Công ty đề nghị Cục tổ chức "
         "buổi tập huấn, đối thoại cho doanh nghiệp trong khu vực.", 0),
        ("Phản ánh thái độ làm việc của công chức",
         "Ngày {date}, nhân viên của Công ty làm thủ tục tại {unit} và được hướng dẫn chưa rõ ràng, phải bổ sung hồ sơ nhiều lần. "
         "Công ty phản ánh để Chi cục xem xét, chấn chỉnh.", 1),
        ("Kiến nghị kéo dài giờ làm thủ tục tại cảng cuối năm",
         "Vào dịp cuối năm lượng hàng xuất nhập khẩu tăng cao. Công ty kiến nghị Chi cục bố trí làm thủ tục ngoài giờ, kể cả ngày nghỉ, "
         "để hàng được giải phóng kịp thời.", 3),
        ("Hỏi về điều kiện công nhận doanh nghiệp ưu tiên",
         "Công ty có kim ngạch xuất nhập khẩu lớn, chấp hành tốt pháp luật hải quan. Xin hướng dẫn điều kiện, hồ sơ để được công nhận "
         "doanh nghiệp ưu tiên (AEO).", 2),
        ("Xác nhận thông tin tờ khai phục vụ kiểm toán",
         "Công ty cần xác nhận thông tin các tờ khai xuất khẩu năm {year} (trong đó có tờ khai {decl}) để phục vụ kiểm toán báo cáo tài chính. "
         "Xin hướng dẫn thủ tục đề nghị cơ quan hải quan xác nhận.", 4),
    ],
}

# --- what customs writes -----------------------------------------------------------------------

ANSWER_OPENINGS = [
    "Trả lời vướng mắc của {company} về “{subject}”, {unit} có ý kiến như sau:",
    "{unit} nhận được vướng mắc của Công ty về “{subject}”. Về vấn đề này, {unit} trả lời như sau:",
]
ANSWER_CLOSINGS = [
    "Đề nghị Công ty nghiên cứu các quy định nêu trên để thực hiện. Trường hợp còn vướng mắc, đề nghị liên hệ Đội Thủ tục hàng hóa xuất nhập khẩu để được hướng dẫn cụ thể.",
    "{unit} trả lời để Công ty biết và thực hiện.",
    "Trong quá trình thực hiện, nếu phát sinh vướng mắc, đề nghị Công ty phản ánh qua hệ thống này hoặc liên hệ trực tiếp {unit} để được hỗ trợ.",
]
ANSWERS = {
    "thu-tuc": [
        "Căn cứ Điều 16 và Điều 18 Thông tư 38/2015/TT-BTC ngày 25/3/2015 của Bộ Tài chính (được sửa đổi, bổ sung tại Thông tư 39/2018/TT-BTC), "
        "hồ sơ hải quan gồm tờ khai hải quan và các chứng từ liên quan; người khai hải quan nộp, xuất trình các chứng từ dưới dạng điện tử "
        "qua hệ thống. Trường hợp của Công ty, hàng mẫu không thanh toán vẫn phải khai hải quan theo loại hình phù hợp; "
        "việc miễn thuế thực hiện theo Nghị định 134/2016/NĐ-CP nếu đáp ứng điều kiện.",
        "Căn cứ Điều 20 Thông tư 38/2015/TT-BTC (được sửa đổi tại khoản 9 Điều 1 Thông tư 39/2018/TT-BTC), người khai hải quan được khai bổ sung "
        "trong thời hạn 60 ngày kể từ ngày thông quan và trước khi cơ quan hải quan quyết định kiểm tra sau thông quan, thanh tra. "
        "Công ty thực hiện khai bổ sung bằng nghiệp vụ AMA trên hệ thống VNACCS và nộp kèm chứng từ chứng minh (hóa đơn điều chỉnh, hợp đồng).",
        "Căn cứ Điều 22 Thông tư 38/2015/TT-BTC (được sửa đổi, bổ sung tại Thông tư 39/2018/TT-BTC), tờ khai hải quan được hủy khi hàng hóa "
        "chưa đưa vào khu vực giám sát hải quan tại cửa khẩu xuất. Công ty gửi văn bản đề nghị hủy tờ khai (mẫu số 04/HTK/GSQL) qua hệ thống; "
        "cơ quan hải quan xem xét và phản hồi trong thời hạn 08 giờ làm việc.",
        "Căn cứ Điều 32 và Điều 33 Thông tư 38/2015/TT-BTC (được sửa đổi, bổ sung tại Thông tư 39/2018/TT-BTC), hàng hóa phải kiểm tra chuyên ngành "
        "được đưa về bảo quản khi đáp ứng điều kiện về địa điểm bảo quản; Công ty nộp văn bản đề nghị đưa hàng về bảo quản kèm biên bản "
        "lấy mẫu hoặc giấy đăng ký kiểm tra, và chịu trách nhiệm giữ nguyên trạng hàng hóa cho đến khi có kết quả kiểm tra.",
        "Căn cứ Luật Thuế xuất khẩu, thuế nhập khẩu số 107/2016/QH13 và Nghị định 134/2016/NĐ-CP, hàng hóa tạm xuất "
        "để sửa chữa rồi tái nhập được miễn thuế trong thời hạn tạm xuất; Công ty khai tờ khai tạm xuất loại hình "
        "G61 và tờ khai tái nhập loại hình G51, trị giá phần sửa chữa (nếu có) khai theo Thông tư 39/2015/TT-BTC.",
        "Căn cứ Điều 21 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), hàng hóa đã được miễn "
        "thuế khi chuyển mục đích sử dụng phải khai tờ khai hải quan mới và nộp thuế theo chính sách tại thời điểm "
        "đăng ký tờ khai mới; trị giá tính thuế căn cứ trị giá còn lại của hàng hóa.",
        "Căn cứ Điều 16 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), chứng từ thuộc hồ sơ hải"
        " quan được nộp dưới dạng điện tử hoặc bản chụp; trường hợp pháp luật chuyên ngành yêu cầu bản chính, Công "
        "ty khai việc nộp bổ sung trên tờ khai và nộp bản chính trước khi hàng hóa được thông quan.",
        "Theo hướng dẫn khai tờ khai tại Phụ lục II Thông tư 39/2018/TT-BTC, hàng hóa của một hóa đơn vận chuyển "
        "theo nhiều vận đơn trên cùng một phương tiện, cùng ngày đến được khai trên một tờ khai; trường hợp khác, "
        "Công ty khai trên nhiều tờ khai tương ứng với từng vận đơn.",
        "Căn cứ Điều 86 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), người xuất khẩu khai tờ "
        "khai xuất khẩu tại chỗ trước; sau khi tờ khai xuất khẩu được thông quan, doanh nghiệp chế xuất khai tờ khai"
        " nhập khẩu tại chỗ. Hàng hóa được giao nhận sau khi tờ khai xuất khẩu được thông quan.",
        "Căn cứ Điều 20 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), việc thay đổi cảng xếp "
        "hàng trước khi hàng qua khu vực giám sát được khai sửa đổi, bổ sung trên tờ khai; container đã hạ bãi được "
        "vận chuyển đến cảng xếp hàng mới dưới sự giám sát của cơ quan hải quan.",
    ],
    "phan-loai-hs": [
        "Căn cứ Thông tư 14/2015/TT-BTC ngày 30/01/2015 hướng dẫn phân loại hàng hóa, Thông tư 65/2017/TT-BTC ban hành Danh mục hàng hóa "
        "xuất khẩu, nhập khẩu Việt Nam và 06 quy tắc tổng quát giải thích việc phân loại, mặt hàng {goods} nếu đúng như mô tả của Công ty "
        "thuộc mã {hs}. Việc phân loại chính xác phụ thuộc vào thực tế hàng hóa khi làm thủ tục hải quan.",
        "Căn cứ Điều 7 Thông tư 14/2015/TT-BTC và Điều 24 Nghị định 08/2015/NĐ-CP (được sửa đổi tại Nghị định 59/2018/NĐ-CP), Công ty nộp hồ sơ "
        "đề nghị xác định trước mã số gồm đơn đề nghị theo mẫu, tài liệu kỹ thuật, catalogue và mẫu hàng (nếu có) đến Tổng cục Hải quan ít nhất "
        "60 ngày trước khi xuất khẩu, nhập khẩu lô hàng. Văn bản thông báo kết quả xác định trước có giá trị tối đa 03 năm.",
        "Căn cứ Quy tắc 2(a) của 06 quy tắc tổng quát giải thích việc phân loại (Thông tư 65/2017/TT-BTC) và hướng dẫn tại Thông tư 14/2015/TT-BTC, "
        "máy ở dạng tháo rời nhập khẩu nhiều chuyến được phân loại như máy hoàn chỉnh khi đáp ứng điều kiện; Công ty khai báo cho từng chuyến "
        "và lưu hồ sơ chứng minh toàn bộ các chuyến thuộc một máy.",
        "Trường hợp không đồng ý với kết quả phân tích phân loại, căn cứ Điều 29 Nghị định 08/2015/NĐ-CP (được sửa đổi, bổ sung), Công ty có quyền "
        "đề nghị cơ quan hải quan xem xét lại hoặc trưng cầu giám định tại tổ chức giám định; trong thời gian chờ, hàng hóa được giải phóng "
        "nếu Công ty nộp thuế theo mã do cơ quan hải quan xác định hoặc bảo lãnh số thuế chênh lệch.",
        "Căn cứ Quy tắc 3(b) của 06 quy tắc tổng quát giải thích việc phân loại (Thông tư 65/2017/TT-BTC), hàng hóa "
        "ở dạng bộ đóng gói để bán lẻ được phân loại theo mặt hàng tạo nên đặc trưng cơ bản của bộ hàng. Nếu {goods}"
        " là thành phần chính, cả bộ được phân loại vào mã {hs}.",
        "Mặt hàng {goods} nếu đúng như mô tả thuộc mã {hs}. Hàng hóa phục vụ phòng, chống dịch Covid-19 được ưu tiên"
        " làm thủ tục, thông quan nhanh; việc miễn thuế chỉ áp dụng đối với hàng viện trợ, quà tặng hoặc các trường "
        "hợp theo quy định, không áp dụng chung cho hàng nhập khẩu thương mại.",
        "Căn cứ Chú giải 2 Phần XVI Biểu thuế xuất khẩu, nhập khẩu, các bộ phận đã được chi tiết ở một nhóm riêng "
        "(như {goods}) được phân loại vào nhóm riêng đó; bộ phận chỉ dùng hoặc chủ yếu dùng cho một loại máy được "
        "phân loại cùng với máy đó.",
        "Chi cục đã kiểm tra hồ sơ hai tờ khai. Mã số đúng của mặt hàng là {hs}; đề nghị Công ty khai bổ sung tờ "
        "khai có mã khác theo Điều 20 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC). Trường hợp"
        " tự phát hiện và khai bổ sung trong thời hạn quy định, Công ty không bị xử phạt về hành vi khai sai.",
    ],
    "tri-gia": [
        "Căn cứ Thông tư 39/2015/TT-BTC ngày 25/3/2015 quy định về trị giá hải quan (được sửa đổi, bổ sung tại Thông tư 60/2019/TT-BTC), trị giá "
        "hải quan hàng nhập khẩu là giá thực tế phải trả tính đến cửa khẩu nhập đầu tiên. Đối với máy móc đã qua sử dụng, Công ty cần cung cấp "
        "hợp đồng, hóa đơn, chứng từ thanh toán và chứng thư giám định (nếu có) để chứng minh trị giá khai báo.",
        "Căn cứ Điều 25 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC) và Thông tư 39/2015/TT-BTC, trường hợp có nghi vấn "
        "trị giá, cơ quan hải quan tổ chức tham vấn; trong thời gian chờ xác định trị giá, hàng hóa được giải phóng khi Công ty nộp hoặc "
        "bảo lãnh số thuế theo trị giá do cơ quan hải quan tạm xác định.",
        "Căn cứ Điều 13 Thông tư 39/2015/TT-BTC (được sửa đổi tại Thông tư 60/2019/TT-BTC), phí bản quyền, phí giấy phép phải cộng vào trị giá "
        "hải quan khi liên quan đến hàng hóa nhập khẩu và là điều kiện mua bán hàng hóa. Công ty căn cứ hợp đồng chuyển giao quyền để xác định "
        "và khai bổ sung khoản phải cộng theo quy định.",
        "Căn cứ Điều 15 Thông tư 39/2015/TT-BTC, khoản giảm giá được trừ khỏi trị giá giao dịch khi được lập thành văn bản trước khi xếp hàng, "
        "là một phần của hợp đồng và có chứng từ hợp pháp. Trường hợp giảm giá theo tổng lượng mua trong năm, đề nghị Công ty đối chiếu "
        "các điều kiện nêu trên.",
        "Căn cứ Điều 13 Thông tư 39/2015/TT-BTC (được sửa đổi tại Thông tư 60/2019/TT-BTC), chi phí vận tải, bốc xếp"
        " hàng hóa từ kho người bán đến cửa khẩu nhập đầu tiên phải cộng vào trị giá giao dịch nếu chưa nằm trong "
        "giá đã thanh toán. Với điều kiện EXW, Công ty cộng chi phí vận chuyển nội địa nước xuất khẩu, cước vận tải "
        "quốc tế và phí bảo hiểm.",
        "Theo Thông tư 39/2015/TT-BTC (được sửa đổi tại Thông tư 60/2019/TT-BTC), quan hệ đặc biệt không ảnh hưởng "
        "đến trị giá giao dịch nếu người mua chứng minh giá bán xấp xỉ trị giá kiểm tra hoặc được xác định theo "
        "thông lệ của ngành. Công ty khai rõ quan hệ đặc biệt trên tờ khai và lưu hồ sơ chứng minh.",
    ],
    "thue": [
        "Căn cứ Điều 36 Nghị định 134/2016/NĐ-CP ngày 01/9/2016, hàng hóa nhập khẩu để sản xuất hàng hóa xuất khẩu đã nộp thuế nhập khẩu được "
        "hoàn thuế khi đã xuất khẩu sản phẩm. Hồ sơ hoàn thuế gồm công văn đề nghị hoàn thuế theo mẫu, báo cáo tính thuế nguyên liệu, "
        "chứng từ thanh toán hàng xuất khẩu; cơ sở sản xuất phải được cơ quan hải quan kiểm tra theo quy định.",
        "Căn cứ Điều 14 và Điều 30, 31 Nghị định 134/2016/NĐ-CP, dự án thuộc lĩnh vực ưu đãi đầu tư được miễn thuế nhập khẩu hàng hóa tạo tài sản "
        "cố định. Công ty thông báo Danh mục hàng hóa miễn thuế qua Hệ thống xử lý dữ liệu điện tử hải quan (nghiệp vụ TEA) trước khi đăng ký "
        "tờ khai đầu tiên, kèm các chứng từ theo quy định.",
        "Căn cứ Điều 19 Luật Thuế xuất khẩu, thuế nhập khẩu số 107/2016/QH13 và Điều 34 Nghị định 134/2016/NĐ-CP, hàng hóa đã nộp thuế nhập khẩu "
        "nhưng phải tái xuất trả lại chủ hàng nước ngoài được hoàn thuế nhập khẩu đã nộp và không phải nộp thuế xuất khẩu.",
        "Về gia hạn nộp thuế: căn cứ Điều 31 Luật Quản lý thuế số 78/2006/QH11 (được sửa đổi, bổ sung), người nộp thuế được gia hạn khi bị thiệt hại "
        "vật chất do thiên tai, dịch bệnh hoặc các trường hợp bất khả kháng. Công ty lập hồ sơ đề nghị gia hạn kèm tài liệu chứng minh thiệt hại "
        "gửi cơ quan hải quan nơi đăng ký tờ khai.",
        "Căn cứ khoản 4 Điều 60 Luật Quản lý thuế và Điều 131 Thông tư 38/2015/TT-BTC, số tiền thuế nộp thừa được bù trừ vào số thuế phải nộp của "
        "lần tiếp theo hoặc hoàn trả theo đề nghị của Công ty. Công ty gửi văn bản đề nghị xử lý số tiền thuế nộp thừa kèm chứng từ nộp thuế.",
        "Căn cứ Nghị định 134/2016/NĐ-CP, hàng hóa xuất khẩu bị trả lại được không thu thuế nhập khẩu khi nhập khẩu "
        "trở lại để tái chế hoặc còn nguyên trạng; Công ty khai tờ khai nhập khẩu loại hình A31 và nộp hồ sơ không "
        "thu thuế kèm tờ khai xuất khẩu ban đầu.",
        "Căn cứ Luật Quản lý thuế, số thuế khai bổ sung tăng phải nộp tiền chậm nộp 0,03%/ngày tính từ ngày hết thời"
        " hạn nộp thuế của tờ khai ban đầu. Trường hợp Công ty tự phát hiện và khai bổ sung trước khi cơ quan hải "
        "quan kiểm tra, Công ty không bị xử phạt vi phạm hành chính về hành vi khai sai.",
        "Căn cứ Thông tư 38/2018/TT-BTC, khi nộp bổ sung C/O mẫu {form} trong thời hạn hiệu lực, Công ty khai bổ "
        "sung để áp dụng thuế suất ưu đãi đặc biệt theo {fta}; số tiền thuế chênh lệch được xử lý là tiền thuế nộp "
        "thừa theo Điều 131 Thông tư 38/2015/TT-BTC.",
    ],
    "xuat-xu": [
        "Căn cứ Thông tư 38/2018/TT-BTC ngày 20/4/2018 quy định về xác định xuất xứ hàng hóa xuất khẩu, nhập khẩu, cơ quan hải quan chấp nhận C/O "
        "có sai sót nhỏ không làm thay đổi bản chất xuất xứ hàng hóa (lỗi chính tả, thiếu sót nhỏ trong mô tả hàng hóa) nếu mã HS, số lượng, "
        "trọng lượng phù hợp với hồ sơ hải quan và hàng hóa thực tế.",
        "Căn cứ Điều 15 Thông tư 38/2018/TT-BTC, người khai hải quan khai việc nộp bổ sung chứng từ chứng nhận xuất xứ tại thời điểm làm thủ tục "
        "và nộp trong thời hạn hiệu lực của C/O. Khi nộp bổ sung, Công ty khai bổ sung để được áp dụng thuế suất ưu đãi đặc biệt "
        "theo {fta} và được xử lý số tiền thuế nộp thừa theo quy định.",
        "C/O cấp sau được chấp nhận khi đáp ứng quy định về cấp sau của {fta} (ghi chú “Issued Retroactively” và thời hạn cấp sau theo Hiệp định). "
        "Cơ quan hải quan kiểm tra tính hợp lệ của C/O theo Thông tư 38/2018/TT-BTC và quy tắc xuất xứ của Hiệp định.",
        "Đối với hàng hóa vận chuyển qua nước thứ ba, Công ty nộp chứng từ chứng minh vận chuyển trực tiếp (vận đơn chở suốt, chứng từ của cơ quan "
        "hải quan nước quá cảnh nếu có) theo quy định của {fta} và Điều 16 Thông tư 38/2018/TT-BTC.",
        "Từ ngày 01/8/2020, theo Thông tư 11/2020/TT-BCT quy định quy tắc xuất xứ trong Hiệp định EVFTA, chứng từ tự chứng nhận xuất xứ do "
        "nhà xuất khẩu đã đăng ký trên hệ thống REX (lô hàng trên 6.000 EUR) phát hành được chấp nhận để áp dụng thuế suất ưu đãi đặc biệt.",
        "Việc cấp C/O thuộc thẩm quyền của Bộ Công Thương. Theo Nghị định 31/2018/NĐ-CP, Công ty chứng minh tiêu chí"
        " xuất xứ (hàm lượng giá trị khu vực hoặc chuyển đổi mã số hàng hóa) bằng bảng kê nguyên liệu, định mức và "
        "chứng từ mua nguyên liệu, và lưu hồ sơ ít nhất 03 năm để phục vụ kiểm tra, xác minh.",
        "Căn cứ Thông tư 38/2018/TT-BTC, khi có nghi ngờ về tính hợp lệ của C/O, cơ quan hải quan đề nghị cơ quan, "
        "tổ chức cấp C/O xác minh; trong thời gian chờ kết quả, hàng hóa được thông quan theo thuế suất ưu đãi hoặc "
        "thông thường và được xử lý lại số thuế khi C/O được xác định hợp lệ.",
    ],
    "kiem-tra-chuyen-nganh": [
        "Căn cứ Điều 32 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), hàng hóa phải kiểm dịch được đưa về bảo quản khi "
        "cơ quan kiểm dịch chấp thuận hoặc pháp luật chuyên ngành cho phép. Cơ quan hải quan thông quan hàng hóa khi nhận được kết quả "
        "kiểm tra đạt yêu cầu của {agency} qua Cổng thông tin một cửa quốc gia.",
        "Căn cứ Nghị định 15/2018/NĐ-CP ngày 02/02/2018 quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm, sản phẩm đã tự công bố "
        "được kiểm tra theo phương thức kiểm tra giảm, kiểm tra thông thường hoặc kiểm tra chặt tùy từng trường hợp; hàng mẫu, hàng phục vụ "
        "nghiên cứu được miễn kiểm tra nhà nước về an toàn thực phẩm theo Điều 13 của Nghị định.",
        "Căn cứ Quyết định 18/2019/QĐ-TTg ngày 19/4/2019, máy móc, thiết bị đã qua sử dụng được nhập khẩu khi tuổi thiết bị không quá 10 năm và "
        "được sản xuất theo tiêu chuẩn phù hợp. Khi làm thủ tục, Công ty nộp giấy chứng nhận giám định của tổ chức giám định hoặc "
        "giấy xác nhận của nhà sản xuất theo quy định.",
        "Mặt hàng {goods} thuộc danh mục quản lý chuyên ngành; Công ty tra cứu danh mục và điều kiện nhập khẩu trên "
        "Cổng thông tin một cửa quốc gia, thực hiện thủ tục cấp phép hoặc đăng ký kiểm tra với {agency} trước khi "
        "làm thủ tục hải quan.",
        "Chi cục đã liên hệ {agency}: kết quả kiểm tra đã được gửi qua Cổng thông tin một cửa quốc gia. Chi cục đã "
        "tiếp nhận kết quả và thông quan lô hàng; đề nghị Công ty kiểm tra trạng thái tờ khai trên hệ thống.",
        "Thịt và sản phẩm động vật nhập khẩu phải có nguồn gốc từ cơ sở có tên trong danh sách được phép xuất khẩu "
        "vào Việt Nam. Công ty đăng ký kiểm dịch với Chi cục Thú y vùng VI qua Cổng thông tin một cửa quốc gia; hàng"
        " hóa được thông quan khi có giấy chứng nhận kiểm dịch.",
    ],
    "gia-cong-sxxk-chexuat": [
        "Căn cứ Điều 60 Thông tư 38/2015/TT-BTC (được sửa đổi tại khoản 40 Điều 1 Thông tư 39/2018/TT-BTC), Công ty nộp báo cáo quyết toán "
        "theo mẫu 15/BCQT-NVL/GSQL trong 90 ngày kể từ ngày kết thúc năm tài chính. Số liệu báo cáo căn cứ sổ kế toán; trường hợp chênh lệch, "
        "Công ty giải trình nguyên nhân và cơ quan hải quan sẽ kiểm tra khi cần thiết.",
        "Căn cứ Điều 64 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), nguyên liệu dư thừa của hợp đồng gia công được bán "
        "vào nội địa; Công ty khai tờ khai hải quan mới theo loại hình nhập kinh doanh tiêu dùng và nộp thuế theo chính sách thuế tại thời điểm "
        "đăng ký tờ khai mới.",
        "Căn cứ Điều 37 Nghị định 08/2015/NĐ-CP (được sửa đổi tại Nghị định 59/2018/NĐ-CP), tổ chức, cá nhân sản xuất hàng xuất khẩu thông báo "
        "cơ sở sản xuất qua hệ thống trước khi nhập khẩu nguyên liệu lần đầu hoặc khi có thay đổi; cơ quan hải quan kiểm tra cơ sở sản xuất "
        "trong các trường hợp theo quy định.",
        "Căn cứ Điều 74 và Điều 75 Thông tư 38/2015/TT-BTC (được sửa đổi, bổ sung) và Nghị định 82/2018/NĐ-CP, doanh nghiệp chế xuất bán hàng "
        "vào nội địa phải làm thủ tục xuất khẩu, bên mua làm thủ tục nhập khẩu và nộp thuế theo quy định đối với hàng nhập khẩu.",
        "Từ ngày 05/6/2018 (Thông tư 39/2018/TT-BTC), doanh nghiệp không phải thông báo định mức với cơ quan hải "
        "quan; Công ty xây dựng, lưu giữ định mức thực tế theo từng mã sản phẩm tại trụ sở và xuất trình khi cơ quan"
        " hải quan kiểm tra.",
        "Căn cứ Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), việc thuê gia công lại được thực"
        " hiện khi bên đặt gia công đồng ý; Công ty chịu trách nhiệm quyết toán nguyên liệu giao gia công lại và thể"
        " hiện trên báo cáo quyết toán.",
        "Căn cứ Điều 71 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), doanh nghiệp tự tổ chức "
        "tiêu hủy phế liệu, phế phẩm theo quy định về bảo vệ môi trường, không cần sự giám sát của cơ quan hải quan;"
        " Công ty lưu hồ sơ tiêu hủy và thể hiện trên báo cáo quyết toán.",
    ],
    "kho-bai-cang": [
        "Căn cứ Điều 82 Luật Hải quan 2014 và Điều 91 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), hàng hóa từ nội địa "
        "được đưa vào kho ngoại quan để chờ xuất khẩu sau khi đã làm thủ tục xuất khẩu; thời hạn hàng gửi kho ngoại quan là 12 tháng, "
        "được gia hạn theo quy định.",
        "Căn cứ Điều 51 Thông tư 38/2015/TT-BTC (được sửa đổi tại Thông tư 39/2018/TT-BTC), hàng hóa quá cảnh được khai báo vận chuyển độc lập "
        "trên hệ thống; cơ quan hải quan nơi đi niêm phong, giám sát và xác nhận hàng đã đến cửa khẩu xuất trên hệ thống.",
        "Căn cứ Quyết định 78/2010/QĐ-TTg, hàng hóa nhập khẩu gửi qua dịch vụ chuyển phát nhanh có trị giá hải quan từ 1.000.000 đồng trở xuống "
        "được miễn thuế nhập khẩu, thuế giá trị gia tăng; thủ tục khai báo thực hiện theo Thông tư 56/2019/TT-BTC (sửa đổi, bổ sung Thông tư "
        "191/2015/TT-BTC) trên tờ khai hàng trị giá thấp.",
        "Căn cứ Thông tư 203/2014/TT-BTC hướng dẫn xử lý hàng hóa tồn đọng trong khu vực giám sát hải quan, người nhận hàng được nhận lại hàng "
        "trước khi cơ quan hải quan ra quyết định xử lý khi làm thủ tục hải quan, nộp các khoản thuế và chi phí lưu kho bãi theo quy định.",
        "Việc soi chiếu container do hệ thống quản lý rủi ro lựa chọn. Chi cục đã làm việc với doanh nghiệp kinh "
        "doanh cảng để điều phối việc đưa container đến vị trí máy soi, bảo đảm thời gian soi chiếu không quá 2 giờ "
        "kể từ khi container đến vị trí soi.",
        "Hàng hóa xuất khẩu đã hạ bãi được chuyển đến cửa khẩu xuất khác theo thủ tục vận chuyển chịu sự giám sát "
        "hải quan; Công ty khai sửa đổi thông tin cửa khẩu xuất trên tờ khai và khai báo vận chuyển độc lập trên hệ "
        "thống.",
        "Căn cứ Điều 8 Nghị định 134/2016/NĐ-CP, quà biếu, quà tặng của tổ chức, cá nhân nước ngoài cho tổ chức tại "
        "Việt Nam có trị giá hải quan không quá 2.000.000 đồng được miễn thuế; Công ty khai trên tờ khai hàng trị "
        "giá thấp hoặc tờ khai thông thường tùy trị giá lô hàng.",
    ],
    "cntt-vnaccs": [
        "Phòng Công nghệ thông tin đã kiểm tra: thông điệp phản hồi của tờ khai bị treo do lỗi đường truyền tại thời điểm khai báo. Hệ thống đã được "
        "cập nhật lại trạng thái. Đề nghị Công ty tra cứu lại tờ khai trên hệ thống; trường hợp tiếp tục gặp lỗi, đề nghị chụp màn hình thông báo "
        "lỗi và gửi kèm khi phản hồi.",
        "Về đăng ký chữ ký số: căn cứ Điều 5 Thông tư 38/2015/TT-BTC, người khai hải quan đăng ký chữ ký số với cơ quan hải quan trước khi sử dụng "
        "để khai báo. Công ty đăng ký chứng thư số mới trên Cổng thông tin điện tử Hải quan (mục Đăng ký chữ ký số); hệ thống chấp nhận ngay "
        "sau khi đăng ký thành công.",
        "Đã đối chiếu với ngân hàng phối hợp thu: số tiền thuế Công ty nộp đã được ghi nhận vào tài khoản thu ngân sách. Hệ thống đã cập nhật "
        "thông tin nộp thuế và tờ khai đã đủ điều kiện thông quan.",
        "Đối với thông tin khai sai trên tờ khai đã thông quan, Công ty khai bổ sung theo Điều 20 Thông tư 38/2015/TT-BTC (được sửa đổi tại "
        "Thông tư 39/2018/TT-BTC); Chi cục sẽ cập nhật lại danh sách container đủ điều kiện qua khu vực giám sát sau khi chấp nhận khai bổ sung.",
        "Chi cục đã kiểm tra: tờ khai đã được thông quan trên hệ thống VNACCS, thông tin trên Cổng thông tin điện tử"
        " chưa đồng bộ do lỗi truyền nhận. Phòng Công nghệ thông tin đã đồng bộ lại; doanh nghiệp vận tải đã in được"
        " danh sách container qua khu vực giám sát.",
        "Đã đối chiếu: số thuế của tờ khai đã được nộp đủ nhưng chứng từ nộp thuế chưa được ngân hàng truyền sang hệ"
        " thống kế toán thuế. Chi cục đã cập nhật và gỡ trạng thái cưỡng chế; Công ty đăng ký được tờ khai mới.",
    ],
    "khac": [
        "Cục Hải quan TP. Hồ Chí Minh ghi nhận kiến nghị của Công ty và sẽ tổng hợp vào chương trình đối thoại, tập huấn doanh nghiệp "
        "trong quý tới. Thông tin chương trình được đăng trên Cổng thông tin điện tử của Cục.",
        "Chi cục đã kiểm tra, làm rõ và chấn chỉnh công chức có liên quan; đồng thời rà soát quy trình hướng dẫn hồ sơ tại bộ phận một cửa. "
        "Chi cục cảm ơn Công ty đã phản ánh.",
        "Về điều kiện công nhận doanh nghiệp ưu tiên: căn cứ Điều 42, 43 Luật Hải quan 2014 và Thông tư 72/2015/TT-BTC (được sửa đổi, bổ sung "
        "tại Thông tư 07/2019/TT-BTC), Công ty cần đáp ứng các điều kiện về tuân thủ pháp luật, hệ thống kiểm soát nội bộ, kim ngạch và "
        "thanh toán; hồ sơ gửi Tổng cục Hải quan.",
        "Chi cục ghi nhận kiến nghị. Từ ngày 15/12 đến hết Tết Nguyên đán, Chi cục bố trí công chức làm thủ tục "
        "ngoài giờ, kể cả thứ Bảy, Chủ nhật, theo đăng ký của doanh nghiệp.",
        "Người khai hải quan tra cứu, in thông tin tờ khai đã thông quan trên Cổng thông tin điện tử Hải quan. "
        "Trường hợp cần văn bản xác nhận, Công ty gửi công văn đề nghị kèm danh sách số tờ khai; Chi cục xác nhận "
        "trong 05 ngày làm việc.",
    ],
}

# --- the conversation around the answer --------------------------------------------------------

ACK_MESSAGES = [
    "{unit} đã tiếp nhận vướng mắc của Công ty và giao công chức xử lý. Chúng tôi sẽ trả lời trước ngày {due}.",
    "Chào Công ty, Chi cục đã nhận được nội dung vướng mắc. Công chức phụ trách đang kiểm tra hồ sơ và sẽ phản hồi trong thời hạn quy định.",
    "Chi cục đã tiếp nhận. Trường hợp cần thêm thông tin, chúng tôi sẽ liên hệ qua hệ thống này.",
]
NOTES = [
    "Đã kiểm tra tờ khai trên hệ thống VNACCS: thông tin khai báo khớp với nội dung doanh nghiệp trình bày.",
    "Đã trao đổi qua điện thoại với nhân viên xuất nhập khẩu của doanh nghiệp, làm rõ nội dung vướng mắc.",
    "Tham khảo công văn trả lời của Tổng cục Hải quan cho trường hợp tương tự năm 2019.",
    "Đề nghị Đội Thủ tục cho ý kiến về hồ sơ lô hàng trước khi trả lời.",
    "Vướng mắc tương tự đã trả lời cho doanh nghiệp khác trong tháng; dùng lại nội dung, điều chỉnh theo hồ sơ cụ thể.",
    "Lưu ý kiểm tra lịch sử tuân thủ của doanh nghiệp trước khi trả lời về miễn thuế.",
]
INFO_REQUESTS = {
    "phan-loai-hs": "Đề nghị Công ty cung cấp catalogue, tài liệu kỹ thuật mô tả cấu tạo, thành phần, công dụng của mặt hàng {goods} để có cơ sở phân loại.",
    "tri-gia": "Đề nghị Công ty cung cấp hợp đồng mua bán, chứng từ thanh toán qua ngân hàng và bảng kê chi tiết các khoản phí liên quan đến lô hàng.",
    "thue": "Đề nghị Công ty cung cấp số tờ khai nhập khẩu nguyên liệu, tờ khai xuất khẩu sản phẩm tương ứng và báo cáo tính thuế để Chi cục đối chiếu.",
    "xuat-xu": "Đề nghị Công ty gửi bản chụp C/O mẫu {form}, vận đơn và hóa đơn thương mại của lô hàng để Chi cục kiểm tra.",
    "kiem-tra-chuyen-nganh": "Đề nghị Công ty cho biết số hồ sơ đăng ký kiểm tra trên Cổng thông tin một cửa quốc gia và cơ quan kiểm tra đã tiếp nhận.",
    "gia-cong-sxxk-chexuat": "Đề nghị Công ty gửi bảng đối chiếu số liệu tồn kho nguyên liệu và giải trình nguyên nhân chênh lệch.",
    "cntt-vnaccs": "Đề nghị Công ty gửi ảnh chụp màn hình thông báo lỗi, thời điểm khai báo và tên phần mềm khai hải quan đang sử dụng.",
}
INFO_REQUEST_DEFAULT = "Để có cơ sở trả lời, đề nghị Công ty cung cấp bổ sung số tờ khai liên quan và bản chụp các chứng từ của lô hàng."
BUSINESS_REPLIES = [
    "Công ty xin gửi bổ sung tài liệu theo yêu cầu (đính kèm bản chụp). Kính đề nghị Chi cục xem xét, hướng dẫn.",
    "Công ty đã bổ sung thông tin: số tờ khai và chứng từ liên quan như Chi cục đề nghị. Trân trọng.",
    "Gửi Chi cục tài liệu kỹ thuật và catalogue của nhà sản xuất. Công ty xin cảm ơn.",
    "Công ty xin cung cấp thêm: hàng đang lưu tại cảng, mong Chi cục trả lời sớm.",
]
FOLLOW_UPS = [
    "Công ty cảm ơn Chi cục đã trả lời. Tuy nhiên trường hợp của Công ty có điểm khác: hàng đã thông quan từ trước khi phát hiện sai sót. Xin hướng dẫn thêm.",
    "Nội dung trả lời chưa nêu rõ hồ sơ cụ thể Công ty phải nộp. Kính đề nghị Chi cục hướng dẫn chi tiết hơn.",
    "Công ty chưa rõ thời hạn áp dụng đối với lô hàng đã nhập trước ngày văn bản có hiệu lực. Xin Chi cục giải đáp thêm.",
]
FOLLOW_UP_ANSWERS = [
    "Bổ sung trả lời: đối với trường hợp Công ty nêu, hồ sơ gồm công văn đề nghị, bản chụp tờ khai, hợp đồng và chứng từ thanh toán. "
    "Thời hạn thực hiện tính từ ngày đăng ký tờ khai. Chi cục đã hướng dẫn chi tiết qua điện thoại cho nhân viên của Công ty.",
    "Trả lời bổ sung: quy định nêu trên áp dụng đối với tờ khai đăng ký từ ngày văn bản có hiệu lực; lô hàng đăng ký trước đó thực hiện "
    "theo quy định tại thời điểm đăng ký tờ khai.",
]
REVIEW_NOTES = [
    "Lãnh đạo Chi cục đã xem lại vướng mắc sau đánh giá chưa hài lòng; giao Đội Thủ tục liên hệ doanh nghiệp làm rõ.",
    "Đã làm việc trực tiếp với doanh nghiệp; nội dung trả lời trước chưa sát với hồ sơ. Trả lời bổ sung.",
]
REVIEW_ANSWERS = [
    "Chi cục cảm ơn ý kiến đánh giá của Công ty. Sau khi xem xét lại hồ sơ, Chi cục bổ sung trả lời như sau: Công ty thực hiện theo hướng dẫn "
    "đã nêu, đồng thời được hỗ trợ làm thủ tục ngay trong ngày khi nộp đủ hồ sơ. Công chức đầu mối: Đội Thủ tục hàng hóa xuất nhập khẩu.",
    "Lãnh đạo Chi cục đã trao đổi trực tiếp với Công ty. Chi cục xin tiếp thu ý kiến và trả lời bổ sung: hồ sơ của Công ty đáp ứng điều kiện, "
    "đề nghị Công ty nộp qua hệ thống để được giải quyết.",
]
REJECT_REASONS = [
    "Đề nghị trích dẫn đúng điều khoản sửa đổi tại Thông tư 39/2018/TT-BTC.",
    "Nội dung trả lời chưa nêu rõ hồ sơ doanh nghiệp cần nộp; bổ sung.",
    "Kiểm tra lại mã HS đề xuất, đối chiếu chú giải chương trước khi trả lời.",
]
REASSIGN_REASONS = [
    "Chuyển {unit} xử lý theo địa bàn quản lý của doanh nghiệp.",
    "Doanh nghiệp làm thủ tục tại {unit}; chuyển đơn vị trả lời.",
    "Nội dung thuộc lĩnh vực {unit} quản lý.",
]
ESCALATE_REASONS = [
    "Vướng mắc liên quan chính sách, vượt thẩm quyền Chi cục; báo cáo Cục xem xét, hướng dẫn.",
    "Các Chi cục đang thực hiện chưa thống nhất; đề nghị Cục có ý kiến chỉ đạo.",
    "Cần ý kiến của Phòng Thuế xuất nhập khẩu trước khi trả lời doanh nghiệp.",
]
# Ratings: what businesses write, by score.
RATING_COMMENTS = {
    5: ["Trả lời nhanh, rõ ràng. Cảm ơn Chi cục.", "Rất hài lòng, hướng dẫn cụ thể.", "Cảm ơn cán bộ đã hỗ trợ nhiệt tình.", ""],
    4: ["Trả lời đúng hạn, dễ hiểu.", "Hài lòng, mong thủ tục được đơn giản hơn.", ""],
    3: ["Trả lời còn chung chung.", "Tạm được, thời gian trả lời hơi lâu.", ""],
    2: ["Trả lời chưa giải quyết được vướng mắc của Công ty.", "Chậm, phải hỏi lại nhiều lần."],
    1: ["Không hài lòng: trả lời không đúng nội dung hỏi.", "Quá hạn mà chưa có hướng dẫn cụ thể."],
}
