Feature: The desk and the clerk find a dossier by what the applicant tells them
  An applicant comes back to the one-stop desk without the receipt. The officer types
  what the applicant says: the name, as it comes, without the accents; or the ID number
  on the citizen ID card; or the phone number. The justice officer finds the dossier in
  the department's queue the same way. A phone "abc" or an ID number "12" is no longer
  taken at the desk.

  Scenario: found by the name without accents, by the ID number and by the phone
    Given it is 09:00 on 2026-03-05 at the ward office
    When Nguyễn Văn An files a dossier with ID number 001085012345 and phone 0912345678
    And Nguyễn Văn Bình files a dossier with ID number 001090054321 and phone 0356111222
    Then reception finds the dossier of Nguyễn Văn An by typing "nguyen van an"
    And reception finds the dossier of Nguyễn Văn An by typing "001085012345"
    And reception finds the dossier of Nguyễn Văn Bình by typing "0356 111 222"
    And reception finds the dossiers of Nguyễn Văn An and Nguyễn Văn Bình by typing "nguyen van"
    And reception finds nothing by typing "tran thi"
    When reception claims the step of Nguyễn Văn An's dossier and finds it complete
    Then justice finds the step of Nguyễn Văn An's dossier in the queue by typing "van an"
    And finance finds nothing by typing "nguyen van an"

  Scenario: a phone or ID number that is not one is refused at the desk
    Given it is 09:00 on 2026-03-06 at the ward office
    When the desk files a dossier for Lê Thị Hoa with phone "abc"
    Then the filing is refused because of "applicant.phone": "chỉ được gồm chữ số"
    When the desk files a dossier for Lê Thị Hoa with ID number "12"
    Then the filing is refused because of "applicant.id_number": "12 chữ số"
