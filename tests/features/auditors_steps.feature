Feature: A leader finds the step that makes construction permits late
  A construction permit for a detached house is due 15 working days after receipt: a day
  at the desk, five for the appraisal, seven for the site inspection (kiểm tra hiện trạng),
  a day for the leader's signature and a day to return it. The steps report shows, per step,
  how long it waited and was worked on in office hours, and ranks the steps by the number
  of late permits in which they overran their own allowance.

  Scenario: the site inspection is what makes permits late
    Given 3 construction permits received at 09:00 on 2026-05-04 whose site inspection took 16 working days
    And a fourth, received at 09:00 on 2026-05-05, whose appraisal also took 6 working days and site inspection 16
    And one construction permit received at 09:00 on 2026-05-04 handled within every step's time
    When the leader asks at 09:00 on 2026-07-01 for the steps report of cap_phep_xay_dung from 2026-05-01 to 2026-06-30
    Then 4 permits were resolved late in the period
    And the step that most often made a permit late is "Kiểm tra hiện trạng công trình" of QLDT, in 4 of the 4 late permits
    And next comes "Thẩm định hồ sơ", in 1 late permit
    And the site inspection's median working time is 120 working hours
