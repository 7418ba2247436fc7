Feature: Scans attached to a dossier
  The desk scans what the applicant brings (the ID card, the copy to certify) and the
  departments add the files of their own steps. Each file is kept by its content hash and
  recorded in the dossier's audit trail, so an inspection team can tell that the scan they
  download is the one attached that day. Only PDF, JPEG and PNG files are taken, whatever
  their names say.

  Scenario: the desk scans the ID card, the justice officer adds the original's copy
    Given it is 09:00 on 2026-03-10 at the ward office
    And the desk has received a copy certification
    When the desk attaches "cccd-mat-truoc.png" to its check of the dossier
    And the desk hands the dossier over to the justice office
    And the justice officer attaches "ban-chinh.pdf" to the comparison step
    Then the auditor sees these files on the dossier:
      | step                            | file               | attached by    |
      | Tiếp nhận, kiểm tra hồ sơ       | cccd-mat-truoc.png | Nguyễn Thị Lan |
      | Đối chiếu bản sao với bản chính | ban-chinh.pdf      | Trần Văn Minh  |
    And the audit trail of the dossier holds each file's hash
    And the audit log is intact

  Scenario: a program renamed as a PDF is refused
    Given it is 09:00 on 2026-03-10 at the ward office
    And the desk has received a copy certification
    When the desk attaches a program named "giay-to.pdf" to its check of the dossier
    Then the desk is told "Chỉ nhận tệp PDF, JPEG hoặc PNG"
    And the dossier has no files
