Feature: One dossier's fault stays in that dossier
  A script after a timer divides the fee by the number of copies. When an applicant's copies
  were typed as 0, that dossier fails when its timer fires; the timer worker keeps the fault
  as an incident of that dossier, tries it again later, and goes on with the others, so the
  office's other timers keep firing. The leader sees the incident, corrects the data and the
  dossier goes on, every change in its audit trail.

  Scenario: copies typed as 0 stop one dossier after its timer, not the office
    Given it is 09:00 on 2026-03-03 at the ward office
    And a procedure that works out the fee per copy an hour after receipt is deployed
    And the desk has received a dossier of it with 0 copies and another with 2 copies
    When it is 10:01
    And the timer worker runs
    Then the dossier with 2 copies waits at "Xử lý"
    And the dossier with 0 copies has an open incident at "Tính phí mỗi bản" saying "ZeroDivisionError: division by zero"
    And the health check counts 1 open incident
    When the timer worker runs again within the minute
    Then the incident has been tried 1 time
    When the leader corrects the copies to 2: "Công dân xác nhận nộp 2 bản sao"
    Then the incident is resolved by the leader
    And the dossier with 0 copies waits at "Xử lý"
    And its audit trail ends with "incident_opened, dossier_data_corrected, timer_fired, incident_resolved, item_handed_over"
    And the health check counts 0 open incidents
    And the audit log is intact
