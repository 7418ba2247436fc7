Feature: An applicant files a dossier online
  A citizen who cannot come to the desk in office hours files from home: they choose the
  desk and the procedure, fill in the same request the desk would, send a scan of each
  document and get the dossier code with its secret. The one-stop desk then checks the
  dossier as if it had been handed over at the counter. A filing made at night counts from
  the next morning's opening, and it counts as online in the statistics.

  Scenario: filed in the evening with two scans, accepted the next morning
    Given it is 20:30 on 2026-03-10 at the ward office
    When the applicant files a copy certification online with "bang-tot-nghiep.pdf" and "ban-sao.png"
    Then the applicant gets a dossier code and a secret
    And the deadline counts from 08:00 on 2026-03-11
    And the desk sees "bang-tot-nghiep.pdf" for the original and "ban-sao.png" for the copy
    When it is 08:15 on 2026-03-11
    And the desk accepts the dossier
    Then the dossier is with the justice office
    And the statistics of March count it as received online

  Scenario: a required document is missing
    Given it is 09:00 on 2026-03-10 at the ward office
    When the applicant files a copy certification online with only "ban-sao.png"
    Then the applicant is told "Thiếu bản chụp giấy tờ bắt buộc"
    And no dossier was filed
