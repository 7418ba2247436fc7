Feature: A decree changes a procedure from a date; dossiers received before finish on the old rules
  The ward's designer reads in the official gazette that the copy certification changes on
  a fixed day. She deploys the new version ahead of that day, in force from it: until then
  the desk goes on receiving on the rules in force, and a dossier received before the day
  finishes on them, however long it takes. She may take the new version back while its day
  has not come; once in force, a version stays (a newer one replaces it).

  Scenario: a decree changes a procedure from a date; dossiers received before finish on the old rules
    Given it is 09:00 on 2026-03-03 at the ward office
    When the designer deploys a new version of "chung_thuc_ban_sao" in force from "2026-03-10"
    Then the designer reads the versions of "chung_thuc_ban_sao" as
      | version | in force from | replaced from | status   |
      | 1       |               | 2026-03-10    | in_force |
      | 2       | 2026-03-10    |               | upcoming |
    And the desk's catalogue says "Từ 10/03/2026 áp dụng phiên bản 2" for "chung_thuc_ban_sao"
    When the one-stop desk receives a copy certification "before the decree"
    And it is 09:00 on 2026-03-10
    And the one-stop desk receives a copy certification "after the decree"
    Then "before the decree" runs on version 1 and "after the decree" on version 2
    When "before the decree" is taken through every step on the old rules
    Then "before the decree" is resolved, still on version 1
    And the designer reads the versions of "chung_thuc_ban_sao" as
      | version | in force from | replaced from | status   |
      | 1       |               | 2026-03-10    | replaced |
      | 2       | 2026-03-10    |               | in_force |

  Scenario: a version withdrawn before its day never applies
    Given it is 09:00 on 2026-03-11 at the ward office
    When the designer deploys a new version of "chung_thuc_ban_sao" in force from "2026-03-20"
    And the designer withdraws version 3 of "chung_thuc_ban_sao"
    Then the answer is 200
    When it is 09:00 on 2026-03-20
    And the one-stop desk receives a copy certification "on the withdrawn day"
    Then "on the withdrawn day" runs on version 2
    And the designer reads the versions of "chung_thuc_ban_sao" as
      | version | in force from | replaced from | status    |
      | 1       |               | 2026-03-10    | replaced  |
      | 2       | 2026-03-10    |               | in_force  |
      | 3       | 2026-03-20    |               | withdrawn |

  Scenario: what cannot be done is refused, and nothing moves
    Given it is 09:00 on 2026-03-23 at the ward office
    When the designer withdraws version 2 of "chung_thuc_ban_sao"
    Then the answer is 409
    When the designer withdraws version 9 of "chung_thuc_ban_sao"
    Then the answer is 404
    When the designer deploys a new version of "chung_thuc_ban_sao" in force from "01/04/2026"
    Then the answer is 422
    And the designer reads the versions of "chung_thuc_ban_sao" as
      | version | in force from | replaced from | status    |
      | 1       |               | 2026-03-10    | replaced  |
      | 2       | 2026-03-10    |               | in_force  |
      | 3       | 2026-03-20    |               | withdrawn |
