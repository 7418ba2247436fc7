Feature: A dossier that will miss its deadline gets an apology with a new date
  One working day before a due date can no longer be met, the timer worker flags the
  dossier and it appears on the leader's list. The leader of the handling department signs
  an apology (Phiếu xin lỗi và hẹn lại ngày trả kết quả) with the reason and a new return
  date. The applicant is promised the new date, but the legal due date stays: a dossier
  returned after it is reported late.

  Scenario: a household business registration is late, apologised for and reported late
    Given it is 09:00 on 2026-06-01 at the ward office
    And the desk has received a household business registration and handed it to the finance office
    When it is 10:00 on 2026-06-04
    And the timer worker looks for dossiers at risk
    Then the leader's list of dossiers at risk shows the registration, due at 17:00 on 2026-06-04
    When the leader apologises with a new return date of 2026-06-09: "Chờ xác minh địa điểm kinh doanh"
    Then the registration is no longer on the list of dossiers at risk
    And the apology letter gives the reason, the date promised at 17:00 on 2026-06-04 and the new date at 17:00 on 2026-06-09
    And the control sheet still shows the legal due date 17:00 on 2026-06-04
    When the finance office, the leader and the desk finish the registration at 10:00 on 2026-06-08
    Then the dossier is resolved late
    And the statistics from 2026-06-01 to 2026-06-30 count it as resolved late
