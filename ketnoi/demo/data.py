"""Data for the demo department, modelled on Ho Chi Minh City Customs in 2020.

The units and their VNACCS codes are the real public institutions (RULES.md, "Identifiers");
every person, enterprise, address and e-mail below is made up.
"""

DEPARTMENT = {
    "code": "02", "kind": "department",
    "name_vi": "Cục Hải quan TP. Hồ Chí Minh", "name_en": "Ho Chi Minh City Customs Department",
    "short_vi": "Cục HQ TP.HCM", "short_en": "HCMC Customs",
    "address": "2 Hàm Nghi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh",
}

# (code, name_vi, name_en, kind, officers) — branches and teams directly under the department.
BRANCHES = [
    ("02AB", "Chi cục Hải quan cửa khẩu Sân bay quốc tế Tân Sơn Nhất", "Tan Son Nhat International Airport Customs Branch", "branch", 95),
    ("02CI", "Chi cục Hải quan cửa khẩu Cảng Sài Gòn khu vực I", "Saigon Port Area I Customs Branch", "branch", 80),
    ("02CC", "Chi cục Hải quan cửa khẩu Cảng Sài Gòn khu vực II", "Saigon Port Area II Customs Branch", "branch", 55),
    ("02CH", "Chi cục Hải quan cửa khẩu Cảng Sài Gòn khu vực III", "Saigon Port Area III Customs Branch", "branch", 45),
    ("02IK", "Chi cục Hải quan cửa khẩu Cảng Sài Gòn khu vực IV", "Saigon Port Area IV Customs Branch", "branch", 50),
    ("02CV", "Chi cục Hải quan cửa khẩu Cảng Hiệp Phước", "Hiep Phuoc Port Customs Branch", "branch", 45),
    ("02CX", "Chi cục Hải quan cửa khẩu Tân Cảng", "Tan Cang Port Customs Branch", "branch", 60),
    ("02DS", "Chi cục Hải quan Chuyển phát nhanh", "Express Consignment Customs Branch", "branch", 55),
    ("02XE", "Chi cục Hải quan Khu chế xuất Tân Thuận", "Tan Thuan Export Processing Zone Customs Branch", "branch", 35),
    ("02XF", "Chi cục Hải quan Khu chế xuất Linh Trung", "Linh Trung Export Processing Zone Customs Branch", "branch", 30),
    ("02F3", "Chi cục Hải quan Khu công nghệ cao", "High-Tech Park Customs Branch", "branch", 35),
    ("02PG", "Chi cục Hải quan Quản lý hàng đầu tư", "Investment Goods Customs Branch", "branch", 50),
    ("02PJ", "Chi cục Hải quan Quản lý hàng gia công", "Processing Goods Customs Branch", "branch", 45),
    ("02QQ", "Chi cục Kiểm tra sau thông quan", "Post-Clearance Audit Branch", "branch", 40),
    ("02K4", "Đội Kiểm soát Hải quan", "Customs Control Team", "team", 30),
    ("02K5", "Đội Kiểm soát phòng, chống ma túy", "Drug Control Team", "team", 25),
]

# Divisions of the department office (no VNACCS code).
DIVISIONS = [
    ("Văn phòng Cục", "Department Office", 30),
    ("Phòng Tổ chức cán bộ", "Personnel Division", 15),
    ("Phòng Thuế xuất nhập khẩu", "Import-Export Tax Division", 30),
    ("Phòng Giám sát quản lý về hải quan", "Customs Supervision Division", 25),
    ("Phòng Quản lý rủi ro", "Risk Management Division", 20),
    ("Phòng Chống buôn lậu và xử lý vi phạm", "Anti-Smuggling and Enforcement Division", 25),
    ("Phòng Công nghệ thông tin", "Information Technology Division", 20),
    ("Phòng Tài vụ – Quản trị", "Finance and Administration Division", 15),
    ("Thanh tra Cục", "Department Inspectorate", 10),
]

# Teams inside each branch (Đội), named as branches usually name them.
BRANCH_TEAMS = [
    ("Đội Tổng hợp", "General Affairs Team"),
    ("Đội Thủ tục hàng hóa xuất nhập khẩu", "Import-Export Procedures Team"),
    ("Đội Giám sát", "Supervision Team"),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai", "Tạ", "Châu"]
SURNAME_WEIGHTS = [38, 11, 9, 7, 5, 4, 4, 3, 3, 2, 2, 2, 2, 1.5, 1, 1, 1, 1, 1, 1, .5, .5]
MIDDLE_MALE = ["Văn", "Hữu", "Minh", "Quốc", "Đức", "Thanh", "Công", "Hoàng", "Tấn", "Trọng", "Ngọc", "Duy"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thanh", "Thu", "Kim", "Minh", "Hồng", "Bích", "Mỹ", "Phương", "Diễm", "Thùy"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khang", "Khoa",
              "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phát", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng",
              "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Vinh", "Việt", "Vũ"]
GIVEN_FEMALE = ["Anh", "Châu", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên",
                "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Quỳnh",
                "Tâm", "Thảo", "Thư", "Trang", "Trâm", "Uyên", "Vân", "Vy", "Yến"]

POSITIONS_LEADER = ["Chi cục trưởng", "Phó Chi cục trưởng"]
POSITIONS_OFFICER = ["Công chức", "Công chức", "Công chức", "Đội trưởng", "Phó Đội trưởng", "Kiểm tra viên"]

# Enterprise names: legal form + trade + a made-up brand of two or three syllables.
LEGAL_FORMS = [("Công ty TNHH", 55), ("Công ty Cổ phần", 30), ("Công ty TNHH MTV", 10), ("Doanh nghiệp tư nhân", 5)]
TRADES = ["Thương mại Dịch vụ", "Xuất nhập khẩu", "Sản xuất Thương mại", "Điện tử", "Dệt may", "Thực phẩm",
          "Cơ khí Chính xác", "Nhựa", "Bao bì", "Logistics", "Giao nhận Vận tải", "Dược phẩm", "Thiết bị Y tế",
          "Nông sản", "Thủy sản", "Gỗ Nội thất", "Da giày", "Hóa chất", "Linh kiện", "Vật liệu Xây dựng",
          "Mỹ phẩm", "Máy móc Công nghiệp", "Cà phê", "Hạt điều", "Phụ tùng Ô tô"]
BRAND_SYLLABLES = ["Thiên", "Phú", "Khang", "Gia", "Hưng", "Thịnh", "Tân", "Việt", "Đại", "Thành", "Minh",
                   "Phát", "An", "Lộc", "Bảo", "Kim", "Long", "Sao", "Hòa", "Nam", "Đông", "Á", "Trí",
                   "Tín", "Nhật", "Quang", "Hải", "Vạn", "Xuân", "Phong", "Mỹ", "Tường", "Lạc", "Hồng",
                   "Ngân", "Sơn", "Trường", "Cát", "Vĩnh", "Hoàn", "Duy", "Khải", "Tiến", "Thuận"]
FOREIGN_BRANDS = ["Sakura Vina", "Hanbit Việt Nam", "Meridian Việt Nam", "Tokai Precision Việt Nam",
                  "Lotus Bridge", "Everglow Việt Nam", "Kyo-Seal Việt Nam", "Nordvik Việt Nam",
                  "Sunwoo Tech Vina", "Blue Harbor Logistics", "Orion Parts Việt Nam", "Haneul Vina"]

STREETS = ["Nguyễn Văn Linh", "Huỳnh Tấn Phát", "Trường Chinh", "Cộng Hòa", "Xa lộ Hà Nội", "Điện Biên Phủ",
           "Nguyễn Tất Thành", "Lê Văn Việt", "Kha Vạn Cân", "Phạm Văn Đồng", "Quốc lộ 1A", "Tân Thuận",
           "Nguyễn Hữu Thọ", "Võ Văn Kiệt", "Hoàng Văn Thụ", "Cách Mạng Tháng Tám", "Lũy Bán Bích"]
AREAS = ["Quận 1", "Quận 3", "Quận 7", "Quận 10", "Quận 12", "Quận Tân Bình", "Quận Bình Tân",
         "Quận Tân Phú", "Quận Gò Vấp", "Quận Bình Thạnh", "TP. Thủ Đức", "Huyện Nhà Bè", "Huyện Củ Chi",
         "Huyện Bình Chánh"]
ZONES = [("KCX Tân Thuận, Quận 7", "02XE"), ("KCX Linh Trung, TP. Thủ Đức", "02XF"),
         ("Khu Công nghệ cao, TP. Thủ Đức", "02F3"), ("KCN Hiệp Phước, Huyện Nhà Bè", "02CV"),
         ("KCN Tân Bình, Quận Tân Phú", "02PJ"), ("KCN Vĩnh Lộc, Quận Bình Tân", "02PG")]
