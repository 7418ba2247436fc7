Feature: A ward office certifies a copy through the API, from submission to result
  The one-stop desk (Bộ phận Một cửa) receives the original and the copy, the justice
  officer (công chức tư pháp – hộ tịch) compares them, a leader of the People's Committee
  signs and seals, and the desk returns the copy and collects the fee. Each person signs in
  with their own account and sees only the steps of their own department.

  Scenario: five pages, one copy, the right person at every step
    Given it is 09:00 on 2026-03-03 at the ward office
    When Nguyễn Văn An brings an original of 5 pages to certify in 1 copy to the one-stop desk
    Then the appointment receipt shows a code of the ward for 2026-03-03
    And the receipt shows a fee of 7,000 VND and the result due at 17:00 on 2026-03-03
    And the step "Tiếp nhận, kiểm tra hồ sơ" waits in the queue of MOT_CUA
    When reception claims the step and finds the dossier complete
    Then the step "Đối chiếu bản sao với bản chính" waits in the queue of TU_PHAP
    And finance can neither see nor claim it
    When it is 10:30
    And justice claims the step and confirms the copy matches the original
    Then the step "Ký chứng thực, đóng dấu" waits in the queue of LANH_DAO
    And justice cannot sign it
    When it is 14:00
    And leader claims the step and signs and seals it
    Then the step "Trả kết quả, thu phí" waits in the queue of MOT_CUA
    When it is 16:30
    And reception claims the step and returns the result at the desk
    Then the status page tells the applicant the dossier is resolved on time after 4 steps
    And the steps were done by reception, justice, leader, reception
    And the applicant rates the service 5 of 5 with the secret from the receipt

  Scenario: the leader sends the comparison back, and the justice officer does it again
    Given it is 09:00 on 2026-03-04 at the ward office
    When Trần Thị Bình brings an original of 2 pages to certify in 3 copies to the one-stop desk
    Then the receipt shows a fee of 12,000 VND and the result due at 17:00 on 2026-03-04
    When reception claims the step and finds the dossier complete
    And justice claims the step and confirms the copy matches the original
    And leader claims the step and sends it back because "Thiếu dấu giáp lai"
    Then the step "Đối chiếu bản sao với bản chính" waits in the queue of TU_PHAP
    When justice claims the step and confirms the copy matches the original
    And leader claims the step and signs and seals it
    And reception claims the step and returns the result at the desk
    Then the steps were done by reception, justice, leader, justice, leader, reception
