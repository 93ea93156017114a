"""ketnoi — Kết nối Hải quan – Doanh nghiệp."""
