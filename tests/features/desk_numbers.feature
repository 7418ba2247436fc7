Feature: The desk types numbers as the office writes them
  A clerk types an area the way it is written on the applicant's papers: 85,5 m², a floor
  area of 1.000.000 m². The dossier keeps exactly that figure; a figure that could be read
  two ways is sent back to the clerk with a question, never stored as a guess.

  Scenario: a decimal comma and dots between thousands are kept as written
    Given it is 09:00 on 2026-07-06 at the ward office
    And the desk has opened the construction permit application form
    When the clerk types "85,5" as the building area and "1.000.000" as the floor area and receives the dossier
    Then the dossier holds a building area of 85.5 and a floor area of 1000000
    And the dossier page shows the building area as "85,5" and the floor area as "1.000.000"

  Scenario: a figure that reads two ways is asked about, and nothing is received
    Given it is 09:00 on 2026-07-06 at the ward office
    And the desk has opened the construction permit application form
    When the clerk types "1.000" as the building area and "342,5" as the floor area and receives the dossier
    Then the form asks "“1.000” có thể hiểu hai cách" next to the building area
    And no dossier was received
