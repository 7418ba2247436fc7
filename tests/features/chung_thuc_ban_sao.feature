Feature: Certification of copies from originals (Chứng thực bản sao từ bản chính)
  Procedure 2.000815 at the ward. The one-stop desk (Bộ phận Một cửa) receives the
  original and its copies, the justice officer (công chức tư pháp – hộ tịch) compares
  them, a leader of the People's Committee signs and seals the certification, and the
  desk returns the copies and collects the fee. It is done the same day; a dossier
  received after 15:00 is due the next working day.

  Scenario Outline: the fee follows Circular 226/2016/TT-BTC
    Given a citizen submits <pages> to certify in <copies> at the one-stop desk
    Then the fee is <fee> VND

    Examples:
      | pages     | copies   | fee     |
      | 1 page    | 1 copy   | 2,000   |
      | 2 pages   | 1 copy   | 4,000   |
      | 3 pages   | 1 copy   | 5,000   |
      | 5 pages   | 1 copy   | 7,000   |
      | 1 page    | 3 copies | 6,000   |
      | 197 pages | 1 copy   | 199,000 |
      | 198 pages | 1 copy   | 200,000 |
      | 500 pages | 2 copies | 400,000 |

  Scenario: a copy is certified the same day by the right people
    Given a citizen submits 5 pages to certify in 1 copy at the one-stop desk at 09:00 on 2026-03-03
    Then the dossier code is "000.00.81.H26-260303-0001"
    And the dossier is due at 17:00 on 2026-03-03
    And the open step is "Tiếp nhận, kiểm tra hồ sơ" in the queue of MOT_CUA
    When the one-stop desk finds the dossier complete
    Then the open step is "Đối chiếu bản sao với bản chính" in the queue of TU_PHAP
    When it is 10:30 on 2026-03-03
    And the justice officer confirms the copy matches the original
    Then the open step is "Ký chứng thực, đóng dấu" in the queue of LANH_DAO
    When it is 14:00 on 2026-03-03
    And the leader signs and seals it
    And it is 16:30 on 2026-03-03
    And the one-stop desk returns the result
    Then the dossier is resolved on time
    And the fee is 7,000 VND
    And the steps were handled by the departments MOT_CUA, TU_PHAP, LANH_DAO, MOT_CUA
    And the steps were done by reception, justice, leader, reception
    And no step is open

  Scenario Outline: the same-day deadline closes for new dossiers at 15:00
    Given a citizen submits 2 pages to certify in 1 copy at the one-stop desk at <received>
    Then the dossier is due at <due>

    Examples:
      | received            | due                 |
      | 09:00 on 2026-03-03 | 17:00 on 2026-03-03 |
      | 15:00 on 2026-03-06 | 17:00 on 2026-03-06 |
      | 15:30 on 2026-03-06 | 17:00 on 2026-03-09 |
      | 16:00 on 2026-04-29 | 17:00 on 2026-05-04 |

  Scenario: received after 15:00 on a Friday it is due on Monday, so finishing at once is early
    Given a citizen submits 2 pages to certify in 1 copy at the one-stop desk at 15:30 on 2026-03-06
    Then the dossier is due at 17:00 on 2026-03-09
    When the one-stop desk finds the dossier complete
    And the justice officer confirms the copy matches the original
    And the leader signs and seals it
    And it is 16:45 on 2026-03-06
    And the one-stop desk returns the result
    Then the dossier is resolved early

  Scenario: a copy still unsigned at closing time becomes overdue and is resolved late
    Given a citizen submits 3 pages to certify in 2 copies at the one-stop desk at 14:00 on 2026-03-03
    When the one-stop desk finds the dossier complete
    And the justice officer confirms the copy matches the original
    And it is 16:55 on 2026-03-03
    Then the dossier is still pending, within its deadline
    When it is 17:30 on 2026-03-03
    Then the dossier is still pending, overdue
    When it is 08:30 on 2026-03-04
    And the leader signs and seals it
    And the one-stop desk returns the result
    Then the dossier is resolved late

  Scenario: the one-stop desk refuses an ineligible dossier (từ chối tiếp nhận)
    Given a citizen submits 5 pages to certify in 1 copy at the one-stop desk
    When the one-stop desk refuses the dossier: "Bản chính bị tẩy xóa, sửa chữa"
    Then the dossier is not accepted at the desk
    And the refusal reason reads "Bản chính bị tẩy xóa, sửa chữa"
    And no step is open
    And the steps were handled by the departments MOT_CUA

  Scenario: the justice officer refuses to certify a copy that differs from the original
    Given a citizen submits 5 pages to certify in 1 copy at the one-stop desk
    When the one-stop desk finds the dossier complete
    And the justice officer refuses the dossier: "Bản sao không đúng với bản chính"
    Then the dossier is refused
    And the refusal reason reads "Bản sao không đúng với bản chính"
    And no step is open
    And the steps were handled by the departments MOT_CUA, TU_PHAP

  Scenario: the leader sends the certification back to the justice officer
    Given a citizen submits 5 pages to certify in 1 copy at the one-stop desk
    When the one-stop desk finds the dossier complete
    And the justice officer confirms the copy matches the original
    And the leader sends the dossier back: "Ghi lại số chứng thực cho đúng sổ"
    Then the open step is "Đối chiếu bản sao với bản chính" in the queue of TU_PHAP
    When the justice officer confirms the copy matches the original
    And the leader signs and seals it
    And the one-stop desk returns the result
    Then the dossier is resolved on time
    And the step "Đối chiếu bản sao với bản chính" was done twice
    And the steps were handled by the departments MOT_CUA, TU_PHAP, LANH_DAO, TU_PHAP, LANH_DAO, MOT_CUA

  Scenario: only the justice office takes the comparison step from its queue
    Given a citizen submits 5 pages to certify in 1 copy at the one-stop desk
    When the one-stop desk finds the dossier complete
    And the finance officer tries to claim the open step
    Then the claim is refused
    When the one-stop desk tries to claim the open step
    Then the claim is refused
    When the urban officer tries to claim the open step
    Then the claim is refused
    When the justice officer claims the open step
    Then the open step is claimed by justice
