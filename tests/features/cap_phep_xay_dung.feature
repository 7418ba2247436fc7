Feature: Construction permit for a detached house (Cấp giấy phép xây dựng nhà ở riêng lẻ)
  At the commune (the district until 30 June 2025). The one-stop desk checks the
  application, the ward's economic, infrastructure and urban office (Phòng Kinh tế, Hạ
  tầng và Đô thị; department QLDT) appraises it, may ask the owner once for a supplement (yêu cầu
  bổ sung, hoàn thiện hồ sơ) and inspects the site (kiểm tra hiện trạng), a leader signs
  the permit, and the desk returns it and collects the 75,000 VND fee. The deadline is
  15 working days; while the dossier waits for the owner's papers the clock stops, and
  the due date moves by the working time it waited.

  Scenario: the permit costs 75,000 VND and is due after 15 working days
    Given a home owner applies for a permit to build a 3-storey house of 80 m² at the one-stop desk at 09:00 on 2026-03-03
    Then the fee is 75,000 VND
    And the dossier is due at 17:00 on 2026-03-24
    And the open step is "Tiếp nhận, kiểm tra hồ sơ" in the queue of MOT_CUA

  Scenario: a supplement stops the clock and the due date moves by the time the owner took
    Given a home owner applies for a permit to build a 3-storey house of 80 m² at the one-stop desk at 09:00 on 2026-03-03
    When it is 10:00 on 2026-03-03
    And the one-stop desk finds the dossier complete
    Then the open step is "Thẩm định hồ sơ" in the queue of QLDT
    When it is 16:00 on 2026-03-04
    And the Urban Management office asks the applicant for a supplement: "Bổ sung bản vẽ mặt bằng móng và mặt cắt công trình"
    Then the dossier is awaiting the applicant's supplement
    And the open step is "Tiếp nhận hồ sơ bổ sung" in the queue of MOT_CUA
    And the open step has no time allowance of its own and stops the clock
    And the clock was paused at 16:00 on 2026-03-04
    When 4 working days pass
    And the one-stop desk receives the supplementary papers: "Bản vẽ mặt bằng móng, mặt cắt công trình"
    Then the dossier is being processed
    And the clock was resumed at 16:00 on 2026-03-10 after 30 working hours
    And the due date moved from 17:00 on 2026-03-24 to 17:00 on 2026-03-30
    And the due date moved by exactly the paused working time
    And the dossier is due at 17:00 on 2026-03-30
    And the open step is "Thẩm định hồ sơ" in the queue of QLDT
    When it is 10:00 on 2026-03-12
    And the Urban Management office appraises the dossier and finds it eligible
    Then the open step is "Kiểm tra hiện trạng công trình" in the queue of QLDT
    When it is 09:00 on 2026-03-17
    And the Urban Management office inspects the site and finds it as declared
    Then the open step is "Phê duyệt, ký giấy phép xây dựng" in the queue of LANH_DAO
    When it is 10:00 on 2026-03-19
    And the leader approves and signs
    And it is 15:00 on 2026-03-20
    And the one-stop desk returns the result
    Then the dossier is resolved early
    And the fee is 75,000 VND
    And the step "Tiếp nhận hồ sơ bổ sung" was done once
    And the step "Thẩm định hồ sơ" was done twice
    And the step "Kiểm tra hiện trạng công trình" was done in the queue of QLDT by urban
    And the steps were handled by the departments MOT_CUA, QLDT, MOT_CUA, QLDT, QLDT, LANH_DAO, MOT_CUA
    And the audit trail records dossier_submitted, clock_paused, clock_resumed, dossier_resolved in this order

  Scenario: a permit finished on the 15th working day after a supplement is on time, not late
    Given a home owner applies for a permit to build a 3-storey house of 80 m² at the one-stop desk at 09:00 on 2026-03-03
    When the one-stop desk finds the dossier complete
    And it is 16:00 on 2026-03-04
    And the Urban Management office asks the applicant for a supplement: "Bổ sung bản vẽ mặt bằng móng"
    And it is 16:00 on 2026-03-10
    And the one-stop desk receives the supplementary papers: "Bản vẽ mặt bằng móng"
    And the Urban Management office appraises the dossier and finds it eligible
    And the Urban Management office inspects the site and finds it as declared
    And the leader approves and signs
    And it is 16:00 on 2026-03-30
    Then the dossier is still pending, within its deadline
    When the one-stop desk returns the result
    Then the dossier is resolved on time

  Scenario: the owner withdraws the dossier while it waits for a supplement (rút hồ sơ)
    Given a home owner applies for a permit to build a 2-storey house of 60 m² at the one-stop desk
    When the one-stop desk finds the dossier complete
    And the Urban Management office asks the applicant for a supplement: "Bổ sung Giấy chứng nhận quyền sử dụng đất"
    Then the dossier is awaiting the applicant's supplement
    When 2 working days pass
    And the applicant withdraws the dossier at the one-stop desk
    Then the dossier is withdrawn
    And no step is open
    And the audit trail records clock_paused, clock_resumed, dossier_withdrawn in this order

  Scenario: the Urban Management office refuses the permit at appraisal
    Given a home owner applies for a permit to build a 6-storey house of 80 m² at the one-stop desk
    When the one-stop desk finds the dossier complete
    And the Urban Management office refuses the dossier: "Số tầng vượt quy hoạch chi tiết được duyệt"
    Then the dossier is refused
    And the refusal reason reads "Số tầng vượt quy hoạch chi tiết được duyệt"
    And no step is open
    And the steps were handled by the departments MOT_CUA, QLDT

  Scenario: the site inspection finds the land does not match the application
    Given a home owner applies for a permit to build a 3-storey house of 80 m² at the one-stop desk
    When the one-stop desk finds the dossier complete
    And the Urban Management office appraises the dossier and finds it eligible
    And the Urban Management office refuses the dossier: "Hiện trạng khu đất lấn chiếm hành lang giao thông"
    Then the dossier is refused
    And the refusal reason reads "Hiện trạng khu đất lấn chiếm hành lang giao thông"
    And the step "Kiểm tra hiện trạng công trình" was done in the queue of QLDT by urban
    And the steps were handled by the departments MOT_CUA, QLDT, QLDT

  Scenario: the one-stop desk refuses an application without land-use papers
    Given a home owner applies for a permit to build a 3-storey house of 80 m² at the one-stop desk
    When the one-stop desk refuses the dossier: "Thiếu Giấy chứng nhận quyền sử dụng đất"
    Then the dossier is not accepted at the desk
    And no step is open

  Scenario: the leader sends the permit back to the Urban Management office
    Given a home owner applies for a permit to build a 3-storey house of 80 m² at the one-stop desk
    When the one-stop desk finds the dossier complete
    And the Urban Management office appraises the dossier and finds it eligible
    And the Urban Management office inspects the site and finds it as declared
    And the leader sends the dossier back: "Kiểm tra lại chỉ giới xây dựng"
    Then the open step is "Thẩm định hồ sơ" in the queue of QLDT
    And the dossier is being processed

  Scenario: the site inspection is the Urban Management office's work only
    Given a home owner applies for a permit to build a 3-storey house of 80 m² at the one-stop desk
    When the one-stop desk finds the dossier complete
    And the Urban Management office appraises the dossier and finds it eligible
    Then the open step is "Kiểm tra hiện trạng công trình" in the queue of QLDT
    When the finance officer tries to claim the open step
    Then the claim is refused
    When the urban officer claims the open step
    Then the open step is claimed by urban
