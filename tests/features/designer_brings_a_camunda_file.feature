Feature: A designer brings a procedure drawn in Camunda Modeler
  The ward's designer drew "Đăng ký kết hôn" (marriage registration) in Camunda Modeler: our
  vocabulary in camunda:properties, the desk's check in the one-stop desk's lane, and an
  embedded sub-process in the justice lane in which the justice officer appraises the dossier
  and a leader signs in the leader's lane. The file also holds two habits of Camunda: a JUEL
  condition on the leader's decision and a user task with a Camunda form key instead of our
  form. The validator says where each one is and what to write instead; fixed that way, the
  file deploys as it is, still a Camunda file, and a dossier runs through the sub-process in
  the departments its lanes name.

  Scenario: the validator says what in the Camunda file the engine cannot run
    When the designer validates the Camunda Modeler file with its forms
    Then the answer is 422 with 2 problems in "camunda_modeler_tham_dinh.bpmn"
    And the condition of "Flow_DongY" is refused: "điều kiện ${approved} là biểu thức Camunda (JUEL); motcua tính bằng Python: hãy viết approved == True"
    And the step "Task_ThamDinh" is refused: "bước người dùng 'Xác minh, thẩm định hồ sơ' chưa có thuộc tính 'form'"
    And the problem of "Task_ThamDinh" says to write '<camunda:property name="form" value="dang_ky_ket_hon.<step>.json"/>'
    And "dang_ky_ket_hon" is not deployed

  Scenario: fixed as the validator says, the file deploys and a dossier runs through its sub-process
    Given the designer writes the condition of "Flow_DongY" as "approved == True"
    And the designer gives the step "Task_ThamDinh" the form "dang_ky_ket_hon.tham_dinh.json"
    When the designer validates the Camunda Modeler file with its forms
    Then the answer is 200
    When the designer deploys the Camunda Modeler file with its forms
    Then version 1 of "dang_ky_ket_hon" is deployed, its BPMN the designer's Camunda file
    Given it is 09:00 on 2026-03-05 at the ward office
    When the one-stop desk receives a marriage registration of "Trần Văn Bình" and "Lê Thị Cúc"
    Then the step "Tiếp nhận, kiểm tra hồ sơ" is in the queue of "MOT_CUA" with 3.75 working hours
    When reception completes it with the papers complete
    Then the step "Xác minh, thẩm định hồ sơ" is in the queue of "TU_PHAP" with 22.5 working hours
    And the step shows the form "Xác minh, thẩm định hồ sơ"
    When justice completes it finding the couple eligible
    Then the step "Ký Giấy chứng nhận kết hôn" is in the queue of "LANH_DAO" with 7.5 working hours
    When leader completes it approving the registration
    Then the dossier is resolved
    And its steps were done in "MOT_CUA", "TU_PHAP", "LANH_DAO"
