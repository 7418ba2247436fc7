Feature: The applicant supplements a dossier online
  The office asked for a missing paper. Instead of coming back to the desk, the applicant
  types the dossier code and the secret printed on the receipt, reads what is missing, and
  sends the scan from home. The time they took does not count against the office, and a
  wrong secret sends nothing.

  Scenario: the owner sends the missing drawing and the appraisal goes on
    Given it is 09:00 on 2026-03-16 at the ward office
    And the desk has received my construction permit application and found it complete
    And the urban office asked me for "Bản vẽ mặt bằng tầng 2; Bản cam kết an toàn"
    When it is 10:00 on 2026-03-18
    And I open the supplement with my receipt's secret
    Then I am asked for:
      | what                    |
      | Bản vẽ mặt bằng tầng 2  |
      | Bản cam kết an toàn     |
    When I send "mat-bang-tang-2.pdf" with the note "Bản vẽ đã sửa theo yêu cầu"
    Then the supplement is received
    And the urban office is appraising my dossier again
    And my due date moved 16 working hours later

  Scenario: a mistyped secret sends nothing
    Given it is 09:00 on 2026-03-16 at the ward office
    And the desk has received my construction permit application and found it complete
    And the urban office asked me for "Bản vẽ mặt bằng tầng 2"
    When I send "mat-bang-tang-2.pdf" with the secret "SAI12345"
    Then I am told "mã bí mật không khớp"
    And my dossier still waits for my supplement, with no file attached
