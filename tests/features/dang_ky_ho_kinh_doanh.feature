Feature: Household business registration (Đăng ký hộ kinh doanh)
  Decree 01/2021/NĐ-CP art. 87; at the commune since 1 July 2025 (the district's
  Finance–Planning office before). The one-stop desk checks the application, the ward's
  economic office (Phòng Kinh tế, Hạ tầng và Đô thị; department TC_KH) appraises it, a
  leader signs the
  registration certificate (Giấy chứng nhận đăng ký hộ kinh doanh), and the desk returns
  it and collects the fee. The deadline is 3 working days; the day of receipt does not
  count, nor do weekends and public holidays.

  Scenario: the 3 working days skip the 30 April and 1 May holidays
    Given a household applies to register the business "Tạp hóa Bình An" at the one-stop desk at 09:00 on 2026-04-29
    Then the dossier is due at 17:00 on 2026-05-06
    And the open step is "Tiếp nhận, kiểm tra hồ sơ" in the queue of MOT_CUA
    And the open step is due at 14:15 on 2026-04-29

  Scenario Outline: the registration fee is 100,000 VND on paper and free online
    Given a household applies to register the business "Tạp hóa Bình An" <channel>
    Then the fee is <fee> VND
    And the dossier is due at 17:00 on 2026-03-06

    Examples:
      | channel              | fee     |
      | at the one-stop desk | 100,000 |
      | by post              | 100,000 |
      | online               | 0       |

  Scenario: an online application is checked by the one-stop desk like any other
    Given a household applies to register the business "Quán phở Hà Đông" online at 09:30 on 2026-03-03
    Then the fee is 0 VND
    And the dossier is due at 17:00 on 2026-03-06
    And the open step is "Tiếp nhận, kiểm tra hồ sơ" in the queue of MOT_CUA
    And the open step is due at 14:45 on 2026-03-03
    When the one-stop desk finds the dossier complete
    Then the open step is "Thẩm định hồ sơ" in the queue of TC_KH

  Scenario: the Finance–Planning office appraises, the leader sends it back once, then signs
    Given a household applies to register the business "Tạp hóa Bình An" at the one-stop desk at 09:00 on 2026-04-29
    When it is 11:00 on 2026-04-29
    And the one-stop desk finds the dossier complete
    Then the open step is "Thẩm định hồ sơ" in the queue of TC_KH
    And the open step is due at 16:15 on 2026-05-04
    When it is 10:00 on 2026-05-04
    And the Finance–Planning office appraises the dossier and finds it eligible
    Then the open step is "Phê duyệt, ký Giấy chứng nhận" in the queue of LANH_DAO
    And the open step is due at 15:15 on 2026-05-04
    When it is 14:00 on 2026-05-04
    And the leader sends the dossier back: "Ghi ngành nghề theo mã ngành kinh tế cấp 4"
    Then the open step is "Thẩm định hồ sơ" in the queue of TC_KH
    When it is 09:00 on 2026-05-05
    And the Finance–Planning office appraises the dossier and finds it eligible
    And it is 11:00 on 2026-05-05
    And the leader approves and signs
    And it is 14:00 on 2026-05-05
    And the one-stop desk returns the result
    Then the dossier is resolved early
    And the step "Thẩm định hồ sơ" was done twice
    And the step "Thẩm định hồ sơ" was done in the queue of TC_KH by finance
    And the steps were handled by the departments MOT_CUA, TC_KH, LANH_DAO, TC_KH, LANH_DAO, MOT_CUA
    And the steps were done by reception, finance, leader, finance, leader, reception

  Scenario: a certificate returned after the third working day is late
    Given a household applies to register the business "Tạp hóa Bình An" at the one-stop desk at 09:00 on 2026-04-29
    When the one-stop desk finds the dossier complete
    And the Finance–Planning office appraises the dossier and finds it eligible
    And the leader approves and signs
    And it is 16:59 on 2026-05-06
    Then the dossier is still pending, within its deadline
    When it is 08:00 on 2026-05-07
    Then the dossier is still pending, overdue
    When the one-stop desk returns the result
    Then the dossier is resolved late

  Scenario: the Finance–Planning office refuses the registration at appraisal
    Given a household applies to register the business "Tạp hóa Bình An" at the one-stop desk
    When the one-stop desk finds the dossier complete
    And the Finance–Planning office refuses the dossier: "Tên hộ kinh doanh trùng với hộ kinh doanh đã đăng ký trong huyện"
    Then the dossier is refused
    And the refusal reason reads "Tên hộ kinh doanh trùng với hộ kinh doanh đã đăng ký trong huyện"
    And no step is open
    And the steps were handled by the departments MOT_CUA, TC_KH

  Scenario: the one-stop desk refuses an incomplete application (từ chối tiếp nhận)
    Given a household applies to register the business "Tạp hóa Bình An" at the one-stop desk
    When the one-stop desk refuses the dossier: "Thiếu bản sao giấy tờ pháp lý của chủ hộ"
    Then the dossier is not accepted at the desk
    And no step is open

  Scenario: the appraisal waits in the Finance–Planning office's queue only
    Given a household applies to register the business "Tạp hóa Bình An" at the one-stop desk
    When the one-stop desk finds the dossier complete
    And the justice officer tries to claim the open step
    Then the claim is refused
    When the finance officer claims the open step
    Then the open step is claimed by finance
