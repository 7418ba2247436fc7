Feature: An auditor compares the on-time rates of two procedures
  The inspection team (đoàn kiểm tra) reads report form 06 of Circular 01/2020/TT-VPCP for
  a period, one row per procedure: the dossiers received, and those resolved early, on time
  or late against their legal due date. The on-time rate is the share resolved early or on
  time. The same figures come as a spreadsheet for the inspection file.

  Scenario: copy certification is resolved in time less often than business registration
    Given the desk received a copy certification at 09:00 on 2026-04-06 and returned it at 10:00 on 2026-04-06
    And the desk received a copy certification at 09:00 on 2026-04-06 and returned it at 09:30 on 2026-04-07
    And the desk received a copy certification at 15:30 on 2026-04-07 and returned it at 16:00 on 2026-04-07
    And the desk received a copy certification at 10:00 on 2026-04-08 and returned it at 11:00 on 2026-04-09
    And the desk received a household business registration at 09:00 on 2026-04-06 and returned it at 11:00 on 2026-04-06
    And the desk received a household business registration at 09:00 on 2026-04-07 and returned it at 16:00 on 2026-04-10
    When the auditor asks at 09:00 on 2026-04-20 for the statistics from 2026-04-01 to 2026-04-17 by procedure
    Then the report has these rows:
      | procedure             | received | early | on time | late | on-time rate |
      | chung_thuc_ban_sao    | 4        | 1     | 1       | 2    | 50.0 %       |
      | dang_ky_ho_kinh_doanh | 2        | 1     | 1       | 0    | 100.0 %      |
    And the totals row says 6 received, 4 resolved early or on time out of 6
    And the spreadsheet download shows the same figures
