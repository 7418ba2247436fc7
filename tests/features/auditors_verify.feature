Feature: An inspection team verifies the audit log
  Every change to a dossier is written as an event in the dossier's own hash chain: each
  event holds the hash of the one before, and the chain's last hash is kept apart. Whoever
  edits an event in the database, bypassing the engine, breaks the chain at that event, and
  the verification names the dossier and the event.

  Scenario: a decision rewritten in the database is found
    Given the desk has received and returned two copy certifications
    When someone with access to the database rewrites the justice officer's decision on the first dossier in the audit log
    And the inspection team verifies the audit log
    Then the log is reported broken
    And the first break names the first dossier and the edited event: "nội dung sự kiện hoặc liên kết với sự kiện trước đó đã bị sửa"
    And no other chain is reported broken
    When the record is put back as it was
    And the inspection team verifies the audit log
    Then the log is reported intact, every event of every chain checked
