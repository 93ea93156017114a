"""The service catalogue every price list prices: the usual services of container terminals,
yards, CFS, bonded warehouses and air cargo terminals around Ho Chi Minh City, as their posted
tariffs name them (Decree 146/2016/NĐ-CP, Art. 5: port services priced and posted). The
administrator adds to it or retires a service in the admin site; codes are ketnoi's own."""

from django.db import migrations

CATALOGUE = [
    ("NH20", "Nâng hạ container hàng 20'", "Lift-on/lift-off, laden 20' container", "cont20"),
    ("NH40", "Nâng hạ container hàng 40'", "Lift-on/lift-off, laden 40' container", "cont40"),
    ("NH45", "Nâng hạ container hàng 45'", "Lift-on/lift-off, laden 45' container", "cont45"),
    ("NR20", "Nâng hạ container rỗng 20'", "Lift-on/lift-off, empty 20' container", "cont20"),
    ("NR40", "Nâng hạ container rỗng 40'", "Lift-on/lift-off, empty 40' container", "cont40"),
    ("LB20", "Lưu bãi container hàng 20' (mỗi ngày)", "Yard storage, laden 20' container (per day)", "day"),
    ("LB40", "Lưu bãi container hàng 40' (mỗi ngày)", "Yard storage, laden 40' container (per day)", "day"),
    ("DR20", "Đóng/rút hàng container 20' tại kho CFS", "Stuffing/unstuffing a 20' container at the CFS", "cont20"),
    ("DR40", "Đóng/rút hàng container 40' tại kho CFS", "Stuffing/unstuffing a 40' container at the CFS", "cont40"),
    ("LKM3", "Lưu kho hàng lẻ (mỗi m³, mỗi ngày)", "Warehouse storage of LCL cargo (per m³ per day)", "m3"),
    ("BXT", "Bốc xếp hàng hóa tại kho", "Cargo handling in the warehouse", "tonne"),
    ("SC20", "Đưa container 20' vào soi chiếu", "Moving a 20' container to the scanner", "cont20"),
    ("HKKG", "Phục vụ hàng hóa hàng không xuất, nhập khẩu", "Air cargo handling, export and import", "kg"),
    ("LKKG", "Lưu kho hàng không (mỗi kg, mỗi ngày)", "Air cargo storage (per kg per day)", "kg"),
    ("DO", "Phí lệnh giao hàng, chứng từ", "Delivery order and documents", "shipment"),
    ("VS20", "Vệ sinh container 20'", "Cleaning a 20' container", "cont20"),
]


def seed(apps, schema_editor):
    Service = apps.get_model("prices", "Service")
    for code, name_vi, name_en, charge_unit in CATALOGUE:
        Service.objects.get_or_create(code=code, defaults={"name_vi": name_vi, "name_en": name_en,
                                                           "charge_unit": charge_unit})


class Migration(migrations.Migration):
    dependencies = [("prices", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
