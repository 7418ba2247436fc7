Feature: An auditor reads the process control sheet of a dossier
  The inspection team (đoàn kiểm tra) reads the Phiếu kiểm soát quá trình giải quyết hồ sơ:
  one row per hand-over, who handed over and who received, when, how long the step waited
  and was worked on in office hours, and whether it was done early, on time or late against
  its own allowance. Auditors read every dossier and change nothing.

  Scenario: a household business registration, step by step
    Given it is 08:00 on 2026-03-10 at the ward office
    And the desk has received a household business registration
    And reception took it at 08:10 on 2026-03-10 and handed it over at 08:30 on 2026-03-10
    And finance took it at 09:00 on 2026-03-10 and handed it over at 16:00 on 2026-03-10
    And leader took it at 08:00 on 2026-03-11 and handed it over at 10:00 on 2026-03-12
    When the auditor reads the control sheet at 10:30 on 2026-03-12
    Then the header says received at 08:00 on 2026-03-10, due at 17:00 on 2026-03-13, processing
    And the sheet has these rows:
      | no | from     | to       | handed over by | handed over at   | received by | waited | worked | result  |
      | 1  | MOT_CUA  | MOT_CUA  | reception      | 08:00 10/03/2026 | reception   | 0.17   | 0.33   | on_time |
      | 2  | MOT_CUA  | TC_KH    | reception      | 08:30 10/03/2026 | finance     | 0.5    | 5.5    | early   |
      | 3  | TC_KH    | LANH_DAO | finance        | 16:00 10/03/2026 | leader      | 1.0    | 9.5    | late    |
      | 4  | LANH_DAO | MOT_CUA  | leader         | 10:00 12/03/2026 |             |        |        | within  |
    And the auditor can claim nothing and complete nothing

  Scenario: time waiting for the applicant's documents does not count
    Given it is 09:00 on 2026-03-16 at the ward office
    And the desk has received a construction permit application
    And the desk found it complete
    And at 10:00 on 2026-03-16 the urban office asked the applicant for "Bản vẽ mặt bằng tầng 2"
    When it is 10:00 on 2026-03-18
    And the desk receives the additional documents
    And the auditor reads the control sheet at 10:30 on 2026-03-18
    Then the sheet shows the clock paused for 15 working hours waiting for the applicant
    And the due date moved 15 working hours later
