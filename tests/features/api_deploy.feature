Feature: A designer deploys a new version of a procedure while old dossiers go on
  The process designer changes a procedure in the modeler and uploads the files through the
  API. A change makes a new version; dossiers received before it finish on the version they
  started with, dossiers received after it follow the new one. Nothing is deployed while any
  file has a problem, and only designers deploy: a deployed diagram runs inside the engine.

  Scenario: dossiers received before the new version finish on the old one
    Given it is 09:00 on 2026-03-05 at the ward office
    And the one-stop desk has received a copy certification "before"
    When the designer uploads the copy certification giving the justice officer 2 hours
    Then a new version of "chung_thuc_ban_sao" is deployed
    When it is 09:30
    And the one-stop desk receives a copy certification "after"
    Then dossier "before" runs on the previous version and dossier "after" on the new one
    When the desk finds dossiers "before" and "after" complete
    Then the justice officer has 3 hours for dossier "before" and 2 hours for dossier "after"
    And dossier "before" can still be taken to its result

  Scenario: uploading the same files again makes no new version
    Given the designer has uploaded the procedures of the processes folder
    When the designer uploads the same files again
    Then the answer is 200 and no new version is made

  Scenario: a file with a problem deploys nothing and says where to look
    Given the designer notes the versions of "chung_thuc_ban_sao"
    When the designer uploads the copy certification with a lane for the unknown department "KHONG_CO"
    Then the answer is 422 with a problem in "chung_thuc_ban_sao.bpmn" at the lane "Lane_TuPhap"
    And the versions of "chung_thuc_ban_sao" are unchanged

  Scenario: only designers deploy
    When the justice officer uploads the copy certification
    Then the answer is 403
