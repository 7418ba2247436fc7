Feature: A decree changes a procedure from a date
  A new decree shortens a procedure: from its effective date the handling step is merged
  into the desk's check and the deadline grows from 3 to 5 working days. The designer
  deploys the new version. Dossiers received before finish on the old rules, unless the
  designer decides to move them; a dossier whose step no longer exists stays where it is,
  and the office is told why.

  Background:
    Given the office runs the procedure "Thủ tục thử" with a deadline of 3 working days
    And dossier "A" is received at 09:00 on 2026-03-03
    And dossier "C" is received at 09:30 on 2026-03-03
    And the one-stop desk passes dossier "C" to its handling step
    And the decree's version of the procedure is deployed at 08:00 on 2026-03-05

  Scenario: dossiers received before the decree finish on the old rules
    When dossier "N" is received at 09:00 on 2026-03-05
    Then dossier "A" is handled under version 1 and is due at 17:00 on 2026-03-06
    And dossier "N" is handled under version 2 and is due at 17:00 on 2026-03-12
    When the one-stop desk passes dossier "A" to its handling step
    And the handling step of dossier "A" is done
    Then dossier "A" is resolved
    And the audit log is intact

  Scenario: the designer moves the dossiers received before, with the new deadline
    When the designer tries moving the dossiers to version 2
    Then the dry run says dossier "A" can move
    And the dry run says dossier "C" cannot move because "bước đang chờ (xu_ly) không còn trong phiên bản mới"
    And dossier "A" is handled under version 1 and is due at 17:00 on 2026-03-06
    When the designer moves the dossiers to version 2 with the new deadline
    Then dossier "A" is handled under version 2 and is due at 17:00 on 2026-03-10
    And dossier "C" is handled under version 1 and is due at 17:00 on 2026-03-06
    And the due-date history of dossier "A" shows the move
    And the audit log is intact
    When the one-stop desk finishes dossier "A" under the new rules
    Then dossier "A" is resolved
