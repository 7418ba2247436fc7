Feature: Người nộp hồ sơ được báo tiến độ qua tin nhắn hoặc thư điện tử
  Khi nộp hồ sơ, người dân cho số điện thoại, địa chỉ thư điện tử và chọn cách nhận thông
  báo. Khi Bộ phận Một cửa tiếp nhận, khi có kết quả, họ nhận một tin, chỉ ghi mã hồ sơ và tên
  cơ quan, không ghi họ tên hay số giấy tờ của họ.

  Scenario: người chỉ chọn tin nhắn nhận tin nhắn, không nhận thư
    Given công dân Trần Văn Khoa nộp hồ sơ chứng thực bản sao, cho số 0912 345 678 và thư khoa@example.com, chỉ chọn nhận tin nhắn
    When cán bộ một cửa tiếp nhận hồ sơ
    And máy gửi thông báo chạy
    Then công dân nhận đúng một tin nhắn ghi mã hồ sơ và "UBND phuong Ha Dong"
    And không có thư điện tử nào được gửi
    And không tin nào ghi họ tên hay số điện thoại của công dân
    When công chức tư pháp chứng thực và lãnh đạo ký
    And máy gửi thông báo chạy
    Then công dân nhận thêm một tin nhắn báo hồ sơ đã có kết quả
