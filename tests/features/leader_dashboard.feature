Feature: The ward's leader sees the day at a glance
  The chairman of the ward opens the dashboard (Lãnh đạo) in the morning: how many dossiers
  the desk received today and in the reporting month, how many were resolved early, on time
  or late, how many are pending or overdue, which departments and which officers hold the
  work, and which copies wait for the chairman's signature. A ward's leader sees their own
  ward only.

  Scenario: a morning at the ward with one copy waiting for the chairman's signature
    Given it is 09:00 on 2026-03-03 at the ward office
    And the desk has received three copy certifications
    When it is 09:30
    And the first copy is certified and returned
    And the justice officer compares the second copy with its original
    And it is 11:00
    # The third copy is still being checked at the desk: not received yet.
    Then the leader's dashboard shows 2 received today, 1 resolved on time and 1 pending
    And the second copy waits for the leader's signature at "Lãnh đạo UBND phường Hà Đông"
    And "Trung tâm Phục vụ hành chính công phường Hà Đông" holds 1 step, overdue
    And the leader of Dương Nội sees none of the three copies
