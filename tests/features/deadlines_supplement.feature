Feature: A construction permit waits for the owner's papers without losing time
  When the appraisal finds papers missing, the urban office asks the owner once for a
  supplement (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ). While the dossier waits, its clock
  is stopped; when the papers arrive, the due date moves by exactly the office time it
  waited, so a permit finished by the moved date is on time.

  Scenario: the owner answers five working days later and the permit is still on time
    Given it is 09:00 on 2026-07-06 at the ward office
    And the desk has received a construction permit application and found it complete
    When it is 10:00 on 2026-07-07
    And the urban office asks the applicant for "Bản vẽ mặt bằng móng và mặt cắt công trình"
    Then the dossier is awaiting the applicant's papers
    And the supplement request letter asks for "Bản vẽ mặt bằng móng và mặt cắt công trình"
    When it is 10:00 on 2026-07-14
    And the desk receives the applicant's papers
    Then the clock was stopped for 37.5 working hours
    And the due date moved from 17:00 on 2026-07-27 by exactly the paused time, to 17:00 on 2026-08-03
    When the urban office appraises it and inspects the site, the leader signs and the desk returns the permit at 15:00 on 2026-08-03
    Then the dossier is resolved on time
    And the statistics from 2026-07-01 to 2026-08-31 count it as resolved on time
