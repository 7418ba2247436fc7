Feature: Birth registration (Đăng ký khai sinh)
  Procedure 1.001193 at the commune. The one-stop desk receives the declaration (tờ khai),
  the civil-status officer (công chức tư pháp – hộ tịch) checks it and records the birth
  in the birth register (Sổ đăng ký khai sinh), the chairman of the People's Committee
  signs the birth certificate, and the desk hands it over while the requester signs the
  register. A birth registered on time is free, and it is done the same day; a
  declaration received after 15:00 is due the next working day. When the father (or
  mother) recognises the child at the same time (đăng ký khai sinh kết hợp nhận cha, mẹ,
  con), the officer first checks the evidence of the relationship, and the dossier has 3
  working days (Law on Civil Status 2014 art. 25; Decree 123/2015/NĐ-CP art. 15).

  Scenario: a birth is registered the same day, free of charge, by the right people
    Given a parent declares the birth of "Nguyễn Minh Khôi" at the one-stop desk at 08:30 on 2026-03-03
    Then the fee is 0 VND
    And the dossier is due at 17:00 on 2026-03-03
    When the one-stop desk finds the dossier complete
    Then the open step is "Kiểm tra, ghi Sổ đăng ký khai sinh" in the queue of TU_PHAP
    When it is 10:00 on 2026-03-03
    And the civil-status officer records the birth in the register
    Then the open step is "Ký Giấy khai sinh" in the queue of LANH_DAO
    When it is 14:00 on 2026-03-03
    And the chairman signs the birth certificate
    Then the open step is "Trả Giấy khai sinh, người yêu cầu ký Sổ" in the queue of MOT_CUA
    When it is 16:00 on 2026-03-03
    And the one-stop desk hands over the birth certificate and the requester signs the register
    Then the dossier is resolved on time
    And the requester's signature in the birth register is on record
    And the steps were handled by the departments MOT_CUA, TU_PHAP, LANH_DAO, MOT_CUA
    And the steps were done by reception, justice, leader, reception

  Scenario Outline: a birth declared after 15:00 is due the next working day
    Given a parent declares the birth of "Nguyễn Minh Khôi" <channel> at <received>
    Then the dossier is due at <due>
    And the fee is 0 VND

    Examples:
      | channel              | received            | due                 |
      | at the one-stop desk | 14:59 on 2026-03-03 | 17:00 on 2026-03-03 |
      | at the one-stop desk | 15:10 on 2026-03-03 | 17:00 on 2026-03-04 |
      | at the one-stop desk | 16:00 on 2026-03-06 | 17:00 on 2026-03-09 |
      | online               | 10:00 on 2026-03-07 | 17:00 on 2026-03-09 |
      | online               | 09:00 on 2026-04-30 | 17:00 on 2026-05-04 |

  Scenario: registered after 15:00 and finished the next morning, the birth is on time
    Given a parent declares the birth of "Lê Thu Hà" at the one-stop desk at 15:10 on 2026-03-03
    When the one-stop desk finds the dossier complete
    And it is 08:30 on 2026-03-04
    And the civil-status officer records the birth in the register
    And the chairman signs the birth certificate
    And 2 working hours pass
    And the one-stop desk hands over the birth certificate and the requester signs the register
    Then the dossier is resolved on time

  Scenario: the chairman sends the birth certificate back to the civil-status officer
    Given a parent declares the birth of "Nguyễn Minh Khôi" at the one-stop desk
    When the one-stop desk finds the dossier complete
    And the civil-status officer records the birth in the register
    And the chairman sends the dossier back: "Ghi lại nơi sinh theo giấy chứng sinh"
    Then the open step is "Kiểm tra, ghi Sổ đăng ký khai sinh" in the queue of TU_PHAP
    When the civil-status officer records the birth in the register
    And the chairman signs the birth certificate
    And the one-stop desk hands over the birth certificate and the requester signs the register
    Then the dossier is resolved on time
    And the step "Kiểm tra, ghi Sổ đăng ký khai sinh" was done twice

  Scenario: the civil-status officer refuses a declaration that does not match the birth certificate
    Given a parent declares the birth of "Nguyễn Minh Khôi" at the one-stop desk
    When the one-stop desk finds the dossier complete
    And the civil-status officer refuses the dossier: "Thông tin trên tờ khai không khớp giấy chứng sinh"
    Then the dossier is refused
    And the refusal reason reads "Thông tin trên tờ khai không khớp giấy chứng sinh"
    And no step is open
    And the steps were handled by the departments MOT_CUA, TU_PHAP

  Scenario: the one-stop desk refuses a declaration without the birth certificate (giấy chứng sinh)
    Given a parent declares the birth of "Nguyễn Minh Khôi" at the one-stop desk
    When the one-stop desk refuses the dossier: "Thiếu giấy chứng sinh"
    Then the dossier is not accepted at the desk
    And no step is open

  Scenario: a birth registered together with the recognition of the father takes 3 working days
    Given the father declares the birth of "Nguyễn Minh Khôi" and recognises the child at the one-stop desk at 15:30 on 2026-03-03
    Then the fee is 0 VND
    And the dossier is due at 17:00 on 2026-03-06
    When the one-stop desk finds the dossier complete
    Then the open step is "Kiểm tra, xác minh việc nhận cha, mẹ, con" in the queue of TU_PHAP
    When it is 10:00 on 2026-03-05
    And the civil-status officer verifies the recognition of the father
    Then the open step is "Kiểm tra, ghi Sổ đăng ký khai sinh" in the queue of TU_PHAP
    When the civil-status officer records the birth in the register
    And the chairman signs the birth certificate
    And it is 09:00 on 2026-03-06
    And the one-stop desk hands over the birth certificate and the requester signs the register
    Then the dossier is resolved on time
    And the steps were handled by the departments MOT_CUA, TU_PHAP, TU_PHAP, LANH_DAO, MOT_CUA

  Scenario: the civil-status officer refuses a recognition that is disputed
    Given the father declares the birth of "Nguyễn Minh Khôi" and recognises the child at the one-stop desk at 09:00 on 2026-03-03
    When the one-stop desk finds the dossier complete
    And the civil-status officer refuses the recognition of the father: "Có tranh chấp về việc nhận cha"
    Then the dossier is refused
    And the refusal reason reads "Có tranh chấp về việc nhận cha"
    And no step is open
