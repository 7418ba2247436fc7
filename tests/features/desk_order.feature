# language: vi
Tính năng: Bộ phận Một cửa kiểm tra hồ sơ trước, rồi mới tiếp nhận, yêu cầu bổ sung hoặc từ chối
  Theo Nghị định 61/2018/NĐ-CP và các mẫu của Thông tư 01/2018/TT-VPCP, cán bộ một cửa
  kiểm tra hồ sơ theo thành phần hồ sơ của thủ tục trước: đủ thì in Giấy tiếp nhận hồ sơ
  và hẹn trả kết quả liệt kê giấy tờ đã nhận; thiếu thì in Phiếu yêu cầu bổ sung, hoàn
  thiện hồ sơ; không đủ điều kiện thì in Phiếu từ chối tiếp nhận, giải quyết hồ sơ có lý do.

  Bối cảnh:
    Cho công dân nộp hồ sơ chứng thực bản sao tại Bộ phận Một cửa lúc 09:00 ngày 2026-03-03

  Kịch bản: hồ sơ đủ được tiếp nhận và in giấy tiếp nhận sau khi kiểm tra
    Thì hồ sơ đang được kiểm tra tại Bộ phận Một cửa
    Khi cán bộ một cửa nhận bản chính và tiếp nhận hồ sơ
    Thì giấy tiếp nhận liệt kê "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao"
    Và giấy tiếp nhận do "Nguyễn Thị Lan" ký
    Và hồ sơ được chuyển đến phòng TU_PHAP

  Kịch bản: hồ sơ thiếu giấy tờ thì yêu cầu bổ sung, người nộp quay lại thì tiếp nhận
    Khi cán bộ một cửa thấy hồ sơ thiếu giấy tờ và yêu cầu bổ sung
    Thì phiếu yêu cầu bổ sung liệt kê "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao"
    Và hồ sơ đang được kiểm tra tại Bộ phận Một cửa
    Khi cán bộ một cửa nhận bản chính và tiếp nhận hồ sơ
    Thì hồ sơ được chuyển đến phòng TU_PHAP

  Kịch bản: hồ sơ không đủ điều kiện bị từ chối tiếp nhận và không tính là đã nhận giải quyết
    Khi cán bộ một cửa từ chối tiếp nhận: "Giấy tờ do cơ quan nước ngoài cấp chưa được hợp pháp hóa lãnh sự"
    Thì phiếu từ chối tiếp nhận ghi lý do "Giấy tờ do cơ quan nước ngoài cấp chưa được hợp pháp hóa lãnh sự"
    Và phiếu từ chối tiếp nhận do "Nguyễn Thị Lan" ký
    Và hồ sơ kết thúc là không tiếp nhận
    Và thống kê tháng 3 năm 2026 có 0 hồ sơ nhận giải quyết và 1 hồ sơ không tiếp nhận
